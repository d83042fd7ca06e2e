using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Extensions;
using NodaTime.Serialization.SystemTextJson;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Time;
using Proto = PartnerExchange.Contracts.V1;

namespace PartnerExchange.Server.Services;

/// <summary>A work order read for a change: its row, its lifecycle state and the order as the API shows it.</summary>
internal sealed record LoadedWorkOrder(Data.Entities.WorkOrder Row, WorkOrderState State, Proto.WorkOrder Document)
{
    /// <summary>Gets the resource name.</summary>
    public string Name => WorkOrderStore.NameOf(Row.Id);
}

/// <summary>
/// Reads and writes work orders: one row per order (columns to query by, the lifecycle state as JSON, the API document
/// as protobuf), and for every change the outbox events, each with the order as it was right after it, and the audit
/// entry, in the caller's transaction. Writers of work orders are serialised (SQLite has one writer; on PostgreSQL a
/// transaction-scoped advisory lock), so outbox cursors commit in cursor order and a watcher never skips an event.
/// </summary>
internal sealed class WorkOrderStore(PartnerExchangeDbContext db, BusinessClock clock, CalendarCache calendars, LifecycleSettings settings, WriterQueue writers, WalCheckpointer checkpointer)
{
    /// <summary>The advisory lock key that serialises work-order writers on PostgreSQL ("PXWO").</summary>
    private const long WriterLock = 0x5058574F;

    /// <summary>The largest order id, by a query compiled once (every create asks it).</summary>
    private static readonly CompiledPerModel<Func<PartnerExchangeDbContext, CancellationToken, Task<long?>>> LargestId =
        new(() => EF.CompileAsyncQuery((PartnerExchangeDbContext db, CancellationToken _) => db.WorkOrders.Max(o => (long?)o.Id)));

    /// <summary>A partner of the registry by id, by a query compiled once (routing asks it on every create).</summary>
    private static readonly CompiledPerModel<Func<PartnerExchangeDbContext, string, CancellationToken, Task<Data.Entities.Partner?>>> FindPartner =
        new(() => EF.CompileAsyncQuery((PartnerExchangeDbContext db, string id, CancellationToken _) => db.Partners.AsNoTracking().SingleOrDefault(p => p.Id == id)));

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions { IgnoreReadOnlyProperties = true }
        .ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    /// <summary>Gets the lifecycle settings.</summary>
    public LifecycleSettings Settings => settings;

    /// <summary>The resource name of order <paramref name="id"/>.</summary>
    public static string NameOf(long id) => "workOrders/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The etag of a row version.</summary>
    public static string EtagOf(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>The lifecycle state stored in a row.</summary>
    public static WorkOrderState ReadState(Data.Entities.WorkOrder row) =>
        JsonSerializer.Deserialize<WorkOrderState>(row.DetailJson, Json) ?? throw new InvalidDataException($"{NameOf(row.Id)} has no lifecycle state.");

    /// <summary>The order as the API shows it, from its stored document; clocks past due read as breached.</summary>
    public static Proto.WorkOrder Show(StoredWorkOrder stored, Instant now)
    {
        var order = Proto.WorkOrder.Parser.ParseFrom(stored.Document);
        order.Name = NameOf(stored.Id);
        order.Etag = EtagOf(stored.Version);
        ReadAt(order, now);
        return order;
    }

    /// <summary>
    /// Runs <paramref name="write"/>, which opens its own transaction, after this instance's earlier work-order writers
    /// on SQLite (see <see cref="WriterQueue"/>); on PostgreSQL at once, where the advisory lock orders writers.
    /// </summary>
    public async Task<T> QueueWriteAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (!writers.OnSqlite(db))
        {
            return await write();
        }

        await writers.Gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            writers.Gate.Release();
        }
    }

    /// <summary>Whether writes share commits (<see cref="WriteSharedAsync"/>): on SQLite, whose writers are serialised anyway.</summary>
    public bool SharesCommits => writers.OnSqlite(db);

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction shared with the work-order writes waiting beside it, and returns its
    /// answer once that transaction has committed (group commit). On SQLite every commit waits for the disk (WAL,
    /// <c>synchronous=FULL</c>), and writers take turns anyway: so the first caller to get the turn runs every write
    /// waiting by then (up to <see cref="WriterQueue.MaxShared"/>), each after a savepoint, and commits once. A write
    /// that fails is rolled back to its savepoint and fails alone; a commit that fails fails every write of it, none of
    /// which is then stored; a transaction that cannot begin fails the caller whose turn it was, and the next tries. <paramref name="write"/> gets the store of the shared transaction
    /// and must do all its database work through it. A caller cancelled before its write began is left out. The caller
    /// whose turn it is runs the transaction on the writers' own context (<see cref="WriterQueue.SharedStore"/>).
    /// </summary>
    public async Task<T> WriteSharedAsync<T>(Func<PartnerExchangeDbContext, WorkOrderStore, Task<T>> write, CancellationToken cancellationToken)
    {
        var job = new SharedWrite<T>(write);
        writers.Waiting.Enqueue(job);
        try
        {
            await writers.Gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (job.TryLeaveOut())
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // Another caller's turn already began this write: its outcome is this call's.
            return await job.Outcome;
        }

        try
        {
            while (!job.Outcome.IsCompleted)
            {
                await SharedStore().RunSharedAsync();
            }
        }
        catch (Exception) when (job.TryLeaveOut())
        {
            // No transaction could begin, and this write never ran.
            throw;
        }
        finally
        {
            writers.Gate.Release();
        }

        return await job.Outcome;
    }

    /// <summary>The store of the shared commits (<see cref="WriterQueue.SharedStore"/>), made at its first use; call in the writers' turn.</summary>
    private WorkOrderStore SharedStore() =>
        writers.SharedStore ??= new WorkOrderStore(writers.SharedContext(), clock, calendars, settings, writers, checkpointer);

    /// <summary>
    /// One shared transaction on this store's context (the writers' own): the waiting writes in their order, then one
    /// commit. A write after the first successful one runs after a savepoint, so that it can fail
    /// alone; while nothing succeeded yet, a failure rolls back the whole (empty) transaction and a new one begins.
    /// </summary>
    private async Task RunSharedAsync()
    {
        var ran = new List<ISharedWrite>();
        try
        {
            // RunWritesAsync's savepoints undo a failed write whole, the rows it inserted at once included (DirectInserts.Insert
            // inserts at once only while EF Core's automatic savepoints are off); EF Core's own savepoint around each
            // SaveChanges would only add two statements per write.
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                await RunWritesAsync(ran);
            }
            finally
            {
                db.Database.AutoSavepointsEnabled = true;
            }
        }
        catch (Exception failure)
        {
            foreach (var write in ran)
            {
                write.Fail(failure);
            }

            // The transaction could not begin or commit: the next turn starts on a new context and connection.
            await writers.DropSharedAsync();

            if (ran.Count == 0)
            {
                throw;
            }

            return;
        }

        foreach (var write in ran)
        {
            write.Publish();
        }
    }

    /// <summary>
    /// The waiting writes in one transaction of this store's context, added to <paramref name="ran"/> as they begin, then
    /// its commit; the context's tracker is left empty.
    /// </summary>
    private async Task RunWritesAsync(List<ISharedWrite> ran)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            // Opened once and kept open (a transaction that opened the connection would close it at its end), so that
            // the connection's page cache and prepared statements serve every later turn.
            await db.Database.OpenConnectionAsync();
        }

        checkpointer.Defer(connection);
        var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            var stored = 0;
            while (ran.Count < WriterQueue.MaxShared && writers.Waiting.TryDequeue(out var next))
            {
                if (!next.TryBegin())
                {
                    continue;
                }

                ran.Add(next);
                if (stored > 0)
                {
                    SqliteKeptStatements.Execute(connection, "SAVEPOINT write");
                }

                var succeeded = await next.RunAsync(db, this);
                db.ChangeTracker.Clear();
                if (succeeded)
                {
                    stored++;
                    if (stored > 1)
                    {
                        SqliteKeptStatements.Execute(connection, "RELEASE write");
                    }
                }
                else if (stored > 0)
                {
                    SqliteKeptStatements.Execute(connection, "ROLLBACK TO write");
                }
                else
                {
                    await transaction.RollbackAsync();
                    await transaction.DisposeAsync();
                    transaction = await db.Database.BeginTransactionAsync();
                }
            }

            await transaction.CommitAsync();
            checkpointer.Committed(connection);
        }
        finally
        {
            await transaction.DisposeAsync();
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Takes the work-order writer lock for the current transaction (PostgreSQL; SQLite transactions are already exclusive).</summary>
    public async Task SerializeWritersAsync(CancellationToken cancellationToken)
    {
        if (!writers.OnSqlite(db))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriterLock})", cancellationToken);
        }
    }

    /// <summary>The order <paramref name="id"/> for a change; NOT_FOUND when missing or not visible to <paramref name="caller"/>.</summary>
    public async Task<LoadedWorkOrder> FindAsync(long id, Caller caller, CancellationToken cancellationToken)
    {
        var row = await db.WorkOrders.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (row is null || !WorkOrderState.IsVisibleTo(caller, row.PartnerId))
        {
            throw new ResourceNotFoundException(NameOf(id));
        }

        return Load(row);
    }

    /// <summary>
    /// A partner of the registry by id (routing asks it on every create), not tracked; in the writers' turn as the turn
    /// read it before while no other connection changed the database (<see cref="WriterQueue.PartnerAsync"/>).
    /// </summary>
    public Task<Data.Entities.Partner?> FindPartnerAsync(string id, CancellationToken cancellationToken) =>
        ReferenceEquals(writers.SharedStore, this)
            ? writers.PartnerAsync(id, () => FindPartner.For(db)(db, id, cancellationToken))
            : FindPartner.For(db)(db, id, cancellationToken);

    /// <summary>The calendar the clocks compute on.</summary>
    public Task<BusinessCalendar> CalendarAsync(CancellationToken cancellationToken) => calendars.GetAsync(db, cancellationToken);

    /// <summary>
    /// Runs every automatic step of the order due by now (warnings, breaches, notices, hold end, automatic close), one
    /// at a time, each with the order as it was right after it; a move runs this first so nothing due is skipped.
    /// </summary>
    public List<(OrderEvent Event, Proto.WorkOrder Snapshot)> CatchUp(LoadedWorkOrder order, Instant now, BusinessCalendar calendar)
    {
        var happened = new List<(OrderEvent, Proto.WorkOrder)>();
        for (var step = order.State.RunNextDue(now, settings, calendar); step.Count > 0; step = order.State.RunNextDue(now, settings, calendar))
        {
            happened.AddRange(Snapshots(order, step, now));
        }

        return happened;
    }

    /// <summary>Each event with the order as it stands now (call right after the step that raised them).</summary>
    public List<(OrderEvent Event, Proto.WorkOrder Snapshot)> Snapshots(LoadedWorkOrder order, IEnumerable<OrderEvent> events, Instant now)
    {
        Project(order, now);
        var snapshot = order.Document.Clone();
        snapshot.Name = order.Name;
        snapshot.Etag = NextEtag(order.Row);
        return events.Select(e => (e, snapshot)).ToList();
    }

    /// <summary>
    /// Stores a changed (or new) order with its events and the audit entry of the change, in the caller's transaction,
    /// and returns the order as the API now shows it.
    /// </summary>
    public Proto.WorkOrder Save(
        LoadedWorkOrder order, IReadOnlyList<(OrderEvent Event, Proto.WorkOrder Snapshot)> events, Proto.Actor actor, Caller? caller, string method,
        string? requestId, string summary, Instant now)
    {
        Project(order, now);
        var row = order.Row;
        var state = order.State;
        row.Status = state.Status;
        row.PartnerId = state.Party?.PartnerId;
        row.ResponsibleKind = state.Party?.Kind;
        row.IsMajor = state.Major;
        row.DispatchedAt = state.Dispatched?.ToDateTimeOffset();
        row.ReplyDueAt = state.Latest(ClockKind.Reply)?.Due.ToDateTimeOffset();
        row.ResolveDueAt = state.Latest(ClockKind.Resolve)?.Due.ToDateTimeOffset();
        row.RepliedAt = state.FirstReply?.ToDateTimeOffset();
        row.ResolvedAt = state.LastResolved?.ToDateTimeOffset();
        row.ClosedAt = state.Closed?.ToDateTimeOffset();
        row.NextDueAt = state.NextDue(settings)?.ToDateTimeOffset();
        row.IsOverdue = state.IsOverdue;
        row.CountsInAssessment = order.Document.Complaint?.CountsInAssessment ?? false;
        row.CompletedOnTime = state.CompletedOnTime;
        row.IsGroupCustomer = order.Document.Customer?.GroupCustomer ?? false;
        var receipt = order.Document.DirectReceipt;
        row.ReceivedAt = receipt?.ReceiveTime?.ToDateTimeOffset() ?? row.CreatedAt;
        row.DirectChannel = receipt is { Channel: not Proto.DirectChannel.Unspecified } ? (DirectChannel)(int)receipt.Channel : null;
        row.SolvedOnFirstContact = receipt?.SolvedOnFirstContact ?? false;
        row.SupportType = state.Subject.SupportType;
        row.Satisfaction = order.Document.Satisfaction == Proto.Satisfaction.Unspecified ? null : (Satisfaction)(int)order.Document.Satisfaction;
        row.ReturnCount = state.ReturnCount;
        row.ReplyBreached = state.Clocks.Any(c => c.Kind == ClockKind.Reply && (c.BreachRaised || (c.Met is { } met && met > c.Due)));
        row.UpdatedAt = now.ToDateTimeOffset();
        row.DetailJson = JsonSerializer.Serialize(state, Json);
        var document = order.Document.Clone();
        document.Name = string.Empty;
        document.Etag = string.Empty;
        row.Document = document.ToByteArray();
        var shownEtag = NextEtag(row);
        if (db.Entry(row).State == EntityState.Detached)
        {
            // A new order: in the shared commit it goes in now and is not tracked, so nothing may change it after this.
            db.Insert(row);
        }

        foreach (var (happened, snapshot) in events)
        {
            if (happened.Type == OrderEventType.Revisited)
            {
                db.Insert(new Data.Entities.WorkOrderRevisit
                {
                    WorkOrderId = row.Id,
                    PartnerId = row.PartnerId,
                    RevisitedAt = happened.At.ToDateTimeOffset(),
                    Satisfaction = (Satisfaction)(int)order.Document.Satisfaction,
                    GroupCustomer = order.Document.Customer?.GroupCustomer ?? false,
                });
            }

            var message = new Proto.WorkOrderEvent
            {
                Type = (Proto.WorkOrderEventType)(int)happened.Type,
                WorkOrder = order.Name,
                EventTime = happened.At.ToTimestamp(),
                Actor = happened.Automatic || IsAutomatic(happened.Type) ? Actors.System : actor,
                Snapshot = snapshot,
                Clock = happened.Clock is { } kind ? (Proto.DeadlineClock)(int)kind : Proto.DeadlineClock.Unspecified,
            };
            db.Insert(new Data.Entities.OutboxEvent
            {
                WorkOrderId = row.Id,
                PartnerId = row.PartnerId,
                Type = happened.Type.ToString(),
                Payload = message.ToByteArray(),
                OccurredAt = happened.At.ToDateTimeOffset(),
                RecordedAt = now.ToDateTimeOffset(),
            });
        }

        var audited = caller ?? new Caller("system", "system", null);
        AuditTrail.Record(db, audited, method, order.Name, row.PartnerId, requestId, summary, now.ToDateTimeOffset());
        var shown = order.Document.Clone();
        shown.Name = order.Name;
        shown.Etag = shownEtag;
        ReadAt(shown, now);
        return shown;
    }

    /// <summary>
    /// Runs the earliest automatic step due at or before <paramref name="upTo"/> of the order whose step is earliest, in
    /// its own transaction; false when nothing is due. Each step is a conditional update on the row's version, so with
    /// several instances on one database exactly one of them raises it.
    /// </summary>
    public Task<bool> SweepOneAsync(Instant upTo, CancellationToken cancellationToken) =>
        QueueWriteAsync(() => SweepOneCoreAsync(upTo, cancellationToken), cancellationToken);

    private async Task<bool> SweepOneCoreAsync(Instant upTo, CancellationToken cancellationToken)
    {
        var limit = upTo.ToDateTimeOffset();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SerializeWritersAsync(cancellationToken);
        var row = await db.WorkOrders
            .Where(o => o.NextDueAt != null && o.NextDueAt <= limit)
            .OrderBy(o => o.NextDueAt).ThenBy(o => o.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return false;
        }

        var order = Load(row);
        var calendar = await CalendarAsync(cancellationToken);
        var now = Instant.Max(clock.Now, upTo);
        var step = order.State.RunNextDue(upTo, settings, calendar);
        var events = Snapshots(order, step, now);
        var summary = step.Count == 0 ? "next automatic step recomputed" : string.Join(", ", step.Select(e => e.Clock is { } c ? $"{e.Type} ({c})" : e.Type.ToString()));
        Save(order, events, Actors.System, null, "sweeper", null, summary, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance raised this step first.
            await transaction.RollbackAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return true;
    }

    /// <summary>When the next automatic step of any order is due, or <c>null</c> when none is.</summary>
    public async Task<Instant?> NextDueAsync(CancellationToken cancellationToken)
    {
        var next = await db.WorkOrders.Where(o => o.NextDueAt != null).OrderBy(o => o.NextDueAt).Select(o => o.NextDueAt).FirstOrDefaultAsync(cancellationToken);
        return next?.ToInstant();
    }

    /// <summary>
    /// Recomputes the provisional deadlines of open orders on <paramref name="calendar"/>, with a DEADLINE_RECOMPUTED
    /// event per clock that moved; returns how many moved. Calendar edits are rare, so the orders are found by a
    /// filtered read of the open ones rather than an index.
    /// </summary>
    public async Task<int> RecomputeProvisionalAsync(BusinessCalendar calendar, Instant now, string why, CancellationToken cancellationToken)
    {
        await SerializeWritersAsync(cancellationToken);
        WorkOrderStatus[] open = [WorkOrderStatus.Dispatched, WorkOrderStatus.Acknowledged, WorkOrderStatus.Replied, WorkOrderStatus.OnHold, WorkOrderStatus.Returned];
        var rows = await db.WorkOrders.Where(o => open.Contains(o.Status) && o.DetailJson.Contains("\"Provisional\":true")).ToListAsync(cancellationToken);
        var moved = 0;
        foreach (var row in rows)
        {
            var order = Load(row);
            var events = order.State.RecomputeProvisional(now, calendar);
            if (events.Count > 0)
            {
                moved += events.Count;
                Save(order, Snapshots(order, events, now), Actors.System, null, "CalendarService/SetCalendarDays", null, why, now);
            }
        }

        return moved;
    }

    /// <summary>
    /// The id the next new order gets: under the writer lock, one past the largest stored (in the writers' turn by a
    /// statement kept on their connection).
    /// </summary>
    public async Task<long> NextIdAsync(CancellationToken cancellationToken)
    {
        var largest = ReferenceEquals(writers.SharedStore, this)
            ? SqliteKeptStatements.ScalarInt64((SqliteConnection)db.Database.GetDbConnection(), "SELECT max(\"Id\") FROM \"WorkOrders\"")
            : await LargestId.For(db)(db, cancellationToken);
        return (largest ?? 0) + 1;
    }

    /// <summary>The etag the row will have once saved: a new row keeps its first version, a stored one moves to the next.</summary>
    private string NextEtag(Data.Entities.WorkOrder row) =>
        EtagOf(db.Entry(row).State is EntityState.Detached or EntityState.Added ? row.Version : row.Version + 1);

    private static bool IsAutomatic(OrderEventType type) => type is OrderEventType.DeadlineWarning or OrderEventType.DeadlineBreached
        or OrderEventType.NoticeNotClosedSameDay or OrderEventType.NoticeOpenAfter3Days or OrderEventType.HoldEnded;

    private static LoadedWorkOrder Load(Data.Entities.WorkOrder row)
    {
        var state = ReadState(row);
        state.Name = NameOf(row.Id);
        return new LoadedWorkOrder(row, state, Proto.WorkOrder.Parser.ParseFrom(row.Document));
    }

    /// <summary>Writes what the lifecycle state decides onto the document: state, party, clocks, hold, times, counters.</summary>
    private static void Project(LoadedWorkOrder order, Instant now)
    {
        var state = order.State;
        var document = order.Document;
        document.Status = (Proto.WorkOrderStatus)(int)state.Status;
        document.ReplyDeadline = Deadline(state.Latest(ClockKind.Reply), now);
        document.ResolveDeadline = Deadline(state.Latest(ClockKind.Resolve), now);
        document.ArrivalDeadline = Deadline(state.Latest(ClockKind.Arrival), now);
        document.SecondVisitDeadline = Deadline(state.Latest(ClockKind.SecondVisit), now);
        document.ReturnCount = state.ReturnCount;
        document.CreateTime = state.Created.ToTimestamp();
        document.DispatchTime = state.Dispatched?.ToTimestamp();
        document.AcknowledgeTime = state.Acknowledged?.ToTimestamp();
        document.ReplyTime = state.FirstReply?.ToTimestamp();
        document.ResolveTime = state.LastResolved?.ToTimestamp();
        document.CloseTime = state.Closed?.ToTimestamp();
        document.UpdateTime = now.ToTimestamp();
        document.Overdue = state.IsOverdue;
        if (state.Hold is { } hold && document.Hold is { } shown)
        {
            shown.Decided = !hold.Pending;
            shown.Approved = hold.Approved;
            shown.ApprovedEndTime = hold.Approved ? hold.End?.ToTimestamp() : null;
        }

        if (!state.ReroutePending)
        {
            document.PendingReroute = null;
        }

        if (document.Complaint is { } complaint)
        {
            complaint.Major = state.Major;
            complaint.CountsInAssessment = !complaint.DirectToSi && state.Status != WorkOrderStatus.Voided
                && state.Party is { Kind: ResponsiblePartyKind.ServiceIntegrator };
        }

        if (document.TechnicalSupport is { } support)
        {
            support.FirstVisitTime = state.Visits.Count > 0 ? state.Visits[0].At.ToTimestamp() : null;
        }
    }

    /// <summary>A clock as the contract shows it; breached when met late or still unmet past its due time.</summary>
    private static Proto.Deadline? Deadline(Clock? clock, Instant now) => clock is null ? null : new Proto.Deadline
    {
        DueTime = clock.Due.ToTimestamp(),
        Provisional = clock.Provisional,
        MetTime = clock.Met?.ToTimestamp(),
        Breached = clock.BreachRaised || (!clock.IsRunning && clock.IsBreachedAt(now)),
        PausedDuration = clock.Paused.ToProtobufDuration(),
    };

    /// <summary>What changes by the reader's time alone: an unmet clock of a working order that passed its due time reads breached.</summary>
    private static void ReadAt(Proto.WorkOrder order, Instant now)
    {
        if (order.Status is Proto.WorkOrderStatus.OnHold or Proto.WorkOrderStatus.Resolved || order.Status >= Proto.WorkOrderStatus.Closed)
        {
            return;
        }

        foreach (var deadline in new[] { order.ReplyDeadline, order.ResolveDeadline, order.ArrivalDeadline, order.SecondVisitDeadline })
        {
            if (deadline is { MetTime: null, Breached: false } && deadline.DueTime.ToDateTimeOffset() < now.ToDateTimeOffset())
            {
                deadline.Breached = true;
                order.Overdue = true;
            }
        }
    }
}

/// <summary>
/// The business calendar the clocks compute on, kept in memory and read again from the database at most every 30
/// seconds (or at once after this instance writes calendar days), so another instance's calendar change reaches this
/// one within 30 seconds.
/// </summary>
internal sealed class CalendarCache(TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private (BusinessCalendar Calendar, DateTimeOffset ReadAt)? _current;

    /// <summary>The calendar, read again when older than 30 seconds.</summary>
    public async Task<BusinessCalendar> GetAsync(PartnerExchangeDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_current is { } current && now - current.ReadAt < MaxAge && now >= current.ReadAt)
        {
            return current.Calendar;
        }

        var calendar = await ReadAsync(db, cancellationToken);
        _current = (calendar, now);
        return calendar;
    }

    /// <summary>The calendar as <paramref name="db"/> sees it now (its own transaction's writes included), not cached.</summary>
    public async Task<BusinessCalendar> ReadAsync(PartnerExchangeDbContext db, CancellationToken cancellationToken)
    {
        var days = await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken);
        return new BusinessCalendar(days.Select(d => new BusinessDay(
            LocalDate.FromDateOnly(d.Date), d.IsWorkingDay, d.HolidayName, d.IsMakeUpDay, IsProvisional: false)));
    }

    /// <summary>Forgets the cached calendar (after this instance wrote days).</summary>
    public void Invalidate() => _current = null;
}

/// <summary>
/// Queues this instance's work-order writers in memory before they open a transaction on SQLite, so that they wait
/// their turn without a thread, instead of each polling the database's write lock (Microsoft.Data.Sqlite answers a
/// busy <c>BEGIN IMMEDIATE</c> by sleeping the thread 150 ms and trying again). Other processes on the same file still
/// wait on SQLite's lock as before.
/// </summary>
internal sealed class WriterQueue(IDbContextFactory<PartnerExchangeDbContext> contexts) : IAsyncDisposable
{
    /// <summary>The most writes one shared transaction runs.</summary>
    public const int MaxShared = 64;

    /// <summary>The most partners <see cref="PartnerAsync"/> keeps; past it, it starts again empty.</summary>
    public const int MaxPartners = 1024;

    private readonly Dictionary<string, Data.Entities.Partner> _partners = new(StringComparer.Ordinal);
    private int _engine;
    private PartnerExchangeDbContext? _shared;
    private long? _partnersVersion;

    /// <summary>
    /// Gets or sets the store the shared commits run on (<see cref="WorkOrderStore.WriteSharedAsync"/>), over
    /// <see cref="SharedContext"/>; used only in the writers' turn.
    /// </summary>
    public WorkOrderStore? SharedStore { get; set; }

    /// <summary>
    /// The writers' own context, kept for the process with its connection open: SQLite keeps a connection's page cache
    /// while no other connection writes, so the index pages a create touches stay in memory from one shared commit to
    /// the next instead of being read again by whichever pooled connection had the turn, and its statements stay
    /// prepared. Used only in the writers' turn.
    /// </summary>
    public PartnerExchangeDbContext SharedContext() => _shared ??= contexts.CreateDbContext();

    /// <summary>
    /// A partner as <paramref name="read"/> reads it on the writers' context, kept while no other connection has changed
    /// the database since (SQLite's <c>data_version</c> of the writers' connection, which moves with every commit of
    /// another connection and never with its own): partners are only ever written on other connections, so a kept one
    /// is what a read would return. An id with no partner is not kept (a caller could send any number of them), and at
    /// most <see cref="MaxPartners"/> are. Call in the writers' turn only.
    /// </summary>
    public async Task<Data.Entities.Partner?> PartnerAsync(string id, Func<Task<Data.Entities.Partner?>> read)
    {
        var connection = (SqliteConnection)_shared!.Database.GetDbConnection();
        var version = SqliteKeptStatements.ScalarInt64(connection, "PRAGMA data_version");
        if (version != _partnersVersion)
        {
            _partners.Clear();
            _partnersVersion = version;
        }

        if (_partners.TryGetValue(id, out var kept))
        {
            return kept;
        }

        var partner = await read();
        if (partner is not null)
        {
            if (_partners.Count >= MaxPartners)
            {
                _partners.Clear();
            }

            _partners[id] = partner;
        }

        return partner;
    }

    /// <summary>Gets how many partners <see cref="PartnerAsync"/> keeps (for tests).</summary>
    public int KeptPartners => _partners.Count;

    /// <summary>Drops the writers' context and its store (after a failed transaction); the next turn makes new ones.</summary>
    public async Task DropSharedAsync()
    {
        SharedStore = null;
        _partners.Clear();
        _partnersVersion = null;
        if (_shared is { } shared)
        {
            _shared = null;
            try
            {
                if (shared.Database.GetDbConnection() is SqliteConnection { State: System.Data.ConnectionState.Open } connection)
                {
                    WalCheckpointer.Restore(connection);
                }

                await shared.Database.CloseConnectionAsync();
            }
            finally
            {
                await shared.DisposeAsync();
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await DropSharedAsync();

    /// <summary>Gets the writes waiting for a shared transaction (<see cref="WorkOrderStore.WriteSharedAsync"/>).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<ISharedWrite> Waiting { get; } = new();

    /// <summary>Gets the gate: one writer at a time.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>
    /// Whether the product database is SQLite (otherwise PostgreSQL), asked of the first context and remembered: every
    /// context of a process has the same provider, and EF Core's own check reads assembly metadata on each call.
    /// </summary>
    public bool OnSqlite(PartnerExchangeDbContext db)
    {
        if (_engine == 0)
        {
            _engine = db.Database.IsSqlite() ? 1 : 2;
        }

        return _engine == 1;
    }
}

/// <summary>How the contract names who did something.</summary>
internal static class Actors
{
    /// <summary>Gets the server itself (automatic steps).</summary>
    public static Proto.Actor System { get; } = new() { Subject = "system", DisplayName = "Partner Exchange", Role = Proto.ActorRole.System };

    /// <summary>The actor of an authenticated caller.</summary>
    public static Proto.Actor Of(Caller caller) => new()
    {
        Subject = caller.Subject,
        Role = RoleOf(caller.Role),
        Partner = caller.PartnerId is null ? string.Empty : "partners/" + caller.PartnerId,
    };

    /// <summary>The contract's role of a token role.</summary>
    public static Proto.ActorRole RoleOf(string? role) => role switch
    {
        ClientRoles.Partner => Proto.ActorRole.ServiceIntegrator,
        ClientRoles.CarrierDesk => Proto.ActorRole.CarrierAgent,
        ClientRoles.PartnerManager => Proto.ActorRole.PartnerManager,
        ClientRoles.ReconciliationJob => Proto.ActorRole.ReconciliationJob,
        "system" => Proto.ActorRole.System,
        _ => Proto.ActorRole.Unspecified,
    };
}

/// <summary>Conversions between NodaTime instants and protobuf's well-known types.</summary>
internal static class ProtoInstants
{
    /// <summary>The timestamp of an instant.</summary>
    public static Timestamp ToTimestamp(this Instant instant) => Timestamp.FromDateTimeOffset(instant.ToDateTimeOffset());

    /// <summary>The protobuf duration of a NodaTime duration.</summary>
    public static Google.Protobuf.WellKnownTypes.Duration ToProtobufDuration(this NodaTime.Duration duration) =>
        Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(duration.ToTimeSpan());
}

/// <summary>A write waiting for a shared transaction, as the caller whose turn it is runs it.</summary>
internal interface ISharedWrite
{
    /// <summary>Marks the write begun; false when its caller was cancelled first (it is then left out).</summary>
    bool TryBegin();

    /// <summary>Runs the write in the shared transaction; false when it failed (its failure is kept for its caller).</summary>
    Task<bool> RunAsync(PartnerExchangeDbContext db, WorkOrderStore store);

    /// <summary>Fails the write with the shared transaction's failure (nothing of it was stored).</summary>
    void Fail(Exception failure);

    /// <summary>Gives the caller its outcome, after the commit.</summary>
    void Publish();
}

/// <summary>A write with its own answer type, waiting for a shared transaction.</summary>
internal sealed class SharedWrite<T>(Func<PartnerExchangeDbContext, WorkOrderStore, Task<T>> write) : ISharedWrite
{
    private const int Waiting = 0;
    private const int Begun = 1;
    private const int LeftOut = 2;
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private T? _answer;
    private Exception? _failure;

    /// <summary>Gets the answer or failure, set once the shared transaction ended.</summary>
    public Task<T> Outcome => _outcome.Task;

    /// <summary>Leaves the write out when it has not begun (its caller was cancelled).</summary>
    public bool TryLeaveOut() => Interlocked.CompareExchange(ref _state, LeftOut, Waiting) == Waiting;

    public bool TryBegin() => Interlocked.CompareExchange(ref _state, Begun, Waiting) == Waiting;

    public async Task<bool> RunAsync(PartnerExchangeDbContext db, WorkOrderStore store)
    {
        try
        {
            _answer = await write(db, store);
            return true;
        }
        catch (Exception failure)
        {
            _failure = failure;
            return false;
        }
    }

    public void Fail(Exception failure) => _outcome.TrySetException(_failure ?? failure);

    public void Publish()
    {
        if (_failure is not null)
        {
            _outcome.TrySetException(_failure);
        }
        else
        {
            _outcome.TrySetResult(_answer!);
        }
    }
}
