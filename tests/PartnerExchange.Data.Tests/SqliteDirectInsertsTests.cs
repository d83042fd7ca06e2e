using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Entities;
using PartnerExchange.Data.Tests.Infrastructure;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Tests;

/// <summary>
/// <see cref="SqliteDirectInserts"/> and <see cref="DirectInserts.Insert{TEntity}"/>: inside a transaction whose caller
/// turned EF Core's automatic savepoints off, the new rows of the work-order tables go in at once, untracked, stored
/// exactly as EF Core stores them, in the order of the calls; anything else is added for EF Core's save as before.
/// </summary>
public sealed class SqliteDirectInsertsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 16, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Insert_NewOrderAndItsRows_EveryColumnStoredAsEfCoreStoresIt()
    {
        // Arrange: the same rows, once inserted directly and once added for EF Core's save (automatic savepoints on).
        await using var direct = await SqliteStatementCacheTests.MigratedAsync();
        await using var plain = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());

        // Act
        foreach (var (database, autoSavepoints) in new[] { (direct, false), (plain, true) })
        {
            await using var db = Context(database, autoSavepoints);
            await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
            InsertOrderWithItsRows(db, 7, row => Insert(db, inserts, row));
            Assert.Equal(autoSavepoints ? 7 : 0, db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added));
            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(7, inserts.Inserted);
        foreach (var table in new[] { "Partners", "WorkOrders", "WorkOrderRevisits", "OutboxEvents", "AuditEntries", "IdempotencyRecords" })
        {
            var expected = await RowsAsync(plain, table);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await RowsAsync(direct, table));
        }
    }

    [Fact]
    public async Task Insert_ThroughTheExtension_InsertedAtOnceUntrackedWithItsGeneratedKey()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        await using var db = Context(database);
        var before = SqliteDirectInserts.Instance.Inserted;
        var audit = Audit("at once");

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            db.Insert(audit);
            Assert.True(audit.Id > 0);
            Assert.Empty(db.ChangeTracker.Entries());
            Assert.Equal("at once", (await db.AuditEntries.AsNoTracking().SingleAsync().DefaultTimeout()).Summary);
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert: other tests may insert through the shared instance meanwhile, never fewer.
        Assert.True(SqliteDirectInserts.Instance.Inserted > before);
        await using var read = database.CreateContext();
        Assert.Equal(audit.Id, (await read.AuditEntries.SingleAsync().DefaultTimeout()).Id);
    }

    [Fact]
    public async Task Insert_EventsAndEntriesInTurns_IdsFollowTheOrderOfTheCalls()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database);
        await SeedOrderAsync(db);

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            for (var i = 0; i < 6; i++)
            {
                Insert(db, inserts, Event(1, "e" + i));
                Insert(db, inserts, Audit("a" + i));
            }

            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(12, inserts.Inserted);
        await using var read = database.CreateContext();
        Assert.Equal(["e0", "e1", "e2", "e3", "e4", "e5"], await read.OutboxEvents.OrderBy(e => e.Id).Select(e => e.Type).ToListAsync().DefaultTimeout());
        Assert.Equal(["a0", "a1", "a2", "a3", "a4", "a5"], await read.AuditEntries.OrderBy(e => e.Id).Select(e => e.Summary).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Insert_EventOfAChangedOrder_EventAtOnceTheChangeSavedByEfCore()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database);
        await SeedOrderAsync(db);
        var order = await db.WorkOrders.SingleAsync().DefaultTimeout();

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            order.Status = WorkOrderStatus.Replied;
            order.Version++;
            Insert(db, inserts, Event(order.Id, "Replied"));
            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(1, inserts.Inserted);
        await using var read = database.CreateContext();
        var stored = await read.WorkOrders.SingleAsync().DefaultTimeout();
        Assert.Equal((WorkOrderStatus.Replied, 2), (stored.Status, stored.Version));
        Assert.Equal("Replied", (await read.OutboxEvents.SingleAsync().DefaultTimeout()).Type);
    }

    [Fact]
    public async Task Insert_OutsideATransactionWithAutomaticSavepointsOrAnotherTable_AddedForEfCoresSave()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database);
        await using var withSavepoints = Context(database, autoSavepoints: true);

        // Act: no transaction; a partner (not a work-order table) in a transaction; EF Core's savepoints on.
        Assert.False(inserts.TryInsert(db, Audit("outside")));
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            Assert.False(inserts.TryInsert(db, MigrationSchemaTests.NewPartner("si-b", T0)));
            await transaction.CommitAsync().DefaultTimeout();
        }

        await using (var transaction = await withSavepoints.Database.BeginTransactionAsync().DefaultTimeout())
        {
            Assert.False(inserts.TryInsert(withSavepoints, Audit("with savepoints")));
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(0, inserts.Inserted);
        await using var read = database.CreateContext();
        Assert.Equal(0, await read.AuditEntries.CountAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Insert_WithEfCoresAutomaticSavepoints_AFailedSaveLeavesNothingOfIt()
    {
        // Arrange: a caller that relies on EF Core's own savepoint to undo a failed save inside its transaction.
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        await using var db = Context(database, autoSavepoints: true);
        await SeedOrderAsync(db);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        db.Insert(Record("r-1"));
        await db.SaveChangesAsync().DefaultTimeout();

        // Act: an event and an audit entry with a request id taken already, in one save.
        db.Insert(Event(1, "Replied"));
        db.Insert(Audit("replied"));
        db.Insert(Record("r-1"));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync().DefaultTimeout());
        db.ChangeTracker.Clear();
        await transaction.CommitAsync().DefaultTimeout();

        // Assert
        await using var read = database.CreateContext();
        Assert.Equal(0, await read.OutboxEvents.CountAsync().DefaultTimeout());
        Assert.Equal(0, await read.AuditEntries.CountAsync().DefaultTimeout());
        Assert.Equal(["r-1"], await read.IdempotencyRecords.Select(r => r.RequestId).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Insert_RequestIdTakenAlready_DbUpdateExceptionAndTheTransactionGoesOn()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        Insert(db, inserts, Record("r-1"));

        // Act
        var failure = Assert.Throws<DbUpdateException>(() => Insert(db, inserts, Record("r-1")));
        Insert(db, inserts, Record("r-2"));
        await transaction.CommitAsync().DefaultTimeout();

        // Assert
        Assert.Equal(19, Assert.IsType<SqliteException>(failure.InnerException).SqliteErrorCode); // SQLITE_CONSTRAINT
        await using var read = database.CreateContext();
        Assert.Equal(["r-1", "r-2"], await read.IdempotencyRecords.OrderBy(r => r.Id).Select(r => r.RequestId).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Insert_ManyTransactionsThenTheConnectionCloses_StatementsKeptWithoutALockThenFinalized()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database);
        await db.Database.OpenConnectionAsync().DefaultTimeout();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var handle = connection.Handle!;
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL").DefaultTimeout();

        // Act: three transactions of two tables on one open connection, then the connection closes.
        for (var round = 0; round < 3; round++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
            Insert(db, inserts, Audit("a" + round));
            Insert(db, inserts, Record("r-" + round));
            await transaction.CommitAsync().DefaultTimeout();
        }

        var keptWhileOpen = StatementBytes(handle);
        var checkpointWhileOpen = await TruncateLogAsync(database);
        await db.Database.CloseConnectionAsync().DefaultTimeout();

        // Assert: kept between transactions but reset (another connection copies and empties the whole log, which a
        // statement left running would prevent), finalized at the close.
        Assert.True(keptWhileOpen > 0);
        Assert.Equal(0L, checkpointWhileOpen);
        Assert.Equal(0, StatementBytes(handle));
        await using var read = database.CreateContext();
        Assert.Equal(3, await read.AuditEntries.CountAsync().DefaultTimeout());
    }

    /// <summary>The memory the statements prepared on a SQLite handle use.</summary>
    private static int StatementBytes(SQLitePCL.sqlite3 handle)
    {
        SQLitePCL.raw.sqlite3_db_status(handle, SQLitePCL.raw.SQLITE_DBSTATUS_STMT_USED, out var used, out _, 0);
        return used;
    }

    /// <summary>A TRUNCATE checkpoint on a connection of its own; its "busy" column (0 when the whole log was copied and emptied).</summary>
    private static async Task<long> TruncateLogAsync(TestDatabase database)
    {
        await using var other = new SqliteConnection(database.ConnectionString + ";Pooling=False");
        await other.OpenAsync().DefaultTimeout();
        await using var command = other.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        return (long)(await command.ExecuteScalarAsync().DefaultTimeout())!;
    }

    /// <summary>A partner, an order with every column set (an instant off UTC, nullable enums), a revisit, two events, an audit entry and a record.</summary>
    private static void InsertOrderWithItsRows(PartnerExchangeDbContext db, long id, Action<object> insert)
    {
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        db.SaveChanges();
        insert(new WorkOrder
        {
            Id = id,
            Number = "WO20260302000007",
            Kind = WorkOrderKind.TechnicalSupport,
            PartnerId = "si-a",
            ResponsibleKind = ResponsiblePartyKind.ServiceIntegrator,
            NextDueAt = T0.AddHours(2),
            IsOverdue = true,
            CompletedOnTime = true,
            IsGroupCustomer = true,
            CountsInAssessment = true,
            Status = WorkOrderStatus.OnHold,
            Channel = WorkOrderChannel.KeyAccountDesk,
            Severity = "Severe",
            IsMajor = true,
            CreatedAt = T0,
            DispatchedAt = T0.AddMinutes(1),
            ReplyDueAt = T0.AddHours(12),
            ResolveDueAt = T0.AddHours(24),
            RepliedAt = T0.AddMinutes(30),
            ResolvedAt = T0.AddHours(3),
            ClosedAt = T0.AddDays(7),
            UpdatedAt = T0.AddDays(7).AddTicks(1),
            DetailJson = "{\"Status\":5}",
            Document = [1, 2, 3],
            ReceivedAt = T0.AddMinutes(-5),
            DirectChannel = DirectChannel.Email,
            SolvedOnFirstContact = true,
            SupportType = TechnicalSupportType.OnSite,
            Satisfaction = Satisfaction.Dissatisfied,
            ReturnCount = 2,
            ReplyBreached = true,
            Version = 3,
        });
        var bare = MigrationSchemaTests.NewWorkOrder("WO20260302000008", null, T0);
        bare.Id = id + 1;
        bare.Document = null!; // left unset: the model's default (an empty document) applies, as the database default does for EF Core
        insert(bare);
        insert(new WorkOrderRevisit { WorkOrderId = id, PartnerId = "si-a", RevisitedAt = T0.AddDays(1), Satisfaction = Satisfaction.Dissatisfied, GroupCustomer = true });
        insert(Event(id, "Created"));
        insert(new OutboxEvent { WorkOrderId = id, PartnerId = "si-a", Type = "Returned", Payload = [9, 8], OccurredAt = T0.AddDays(1), RecordedAt = null });
        insert(Audit("created"));
        insert(Record("r-7"));
    }

    private static async Task SeedOrderAsync(PartnerExchangeDbContext db)
    {
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        var order = MigrationSchemaTests.NewWorkOrder("WO1", "si-a", T0);
        order.Id = 1;
        order.Version = 1;
        db.WorkOrders.Add(order);
        await db.SaveChangesAsync().DefaultTimeout();
        db.ChangeTracker.Clear();
    }

    private static OutboxEvent Event(long workOrderId, string type) =>
        new() { WorkOrderId = workOrderId, PartnerId = "si-a", Type = type, Payload = [1], OccurredAt = T0, RecordedAt = T0.AddSeconds(1) };

    private static AuditEntry Audit(string summary) => new()
    {
        Actor = "desk-1",
        ActorRole = "carrier-desk",
        PartnerId = "si-a",
        Summary = summary,
        Action = "/partnerexchange.v1.WorkOrderService/CreateWorkOrder",
        ResourceName = "workOrders/7",
        OccurredAt = T0,
        RequestId = "r-7",
    };

    private static IdempotencyRecord Record(string requestId) => new()
    {
        Caller = "desk-1",
        Method = "/partnerexchange.v1.WorkOrderService/CreateWorkOrder",
        RequestId = requestId,
        RequestHash = [1, 2],
        ResponseBytes = [3, 4, 5],
        CreatedAt = T0,
    };

    /// <summary>Every stored value of <paramref name="table"/>, row by row in key order, as SQLite holds it.</summary>
    private static async Task<List<string>> RowsAsync(TestDatabase database, string table)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        var rows = new List<string>();
        while (await reader.ReadAsync().DefaultTimeout())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i =>
                $"{reader.GetName(i)}={reader.GetDataTypeName(i)}:{(reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i))}")));
        }

        return rows;
    }

    /// <summary>A context configured as the server configures it, EF Core's automatic savepoints off as the shared work-order commit runs (unless <paramref name="autoSavepoints"/>).</summary>
    private static PartnerExchangeDbContext Context(TestDatabase database, bool autoSavepoints = false)
    {
        var db = database.CreateContext();
        db.Database.AutoSavepointsEnabled = autoSavepoints;
        return db;
    }

    /// <summary>Inserts through <paramref name="inserts"/>, or adds for the next save where it declines, as <see cref="DirectInserts.Insert{TEntity}"/> does.</summary>
    private static void Insert(PartnerExchangeDbContext db, SqliteDirectInserts inserts, object row)
    {
        if (!inserts.TryInsert(db, row))
        {
            db.Add(row);
        }
    }
}
