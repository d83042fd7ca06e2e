using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Entities;
using PartnerExchange.Data.Tests.Infrastructure;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Tests;

/// <summary>
/// <see cref="SqliteDirectInserts"/>: inside a transaction the new rows of the work-order tables are inserted without EF
/// Core's update pipeline, stored exactly as EF Core stores them, in the order they were added; anything else is left to
/// EF Core.
/// </summary>
public sealed class SqliteDirectInsertsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 16, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task SaveChanges_NewOrderAndItsRowsInATransaction_InsertedDirectlyEveryColumnAsEfCoreStoresIt()
    {
        // Arrange: the same rows, once through the direct inserts and once through EF Core alone.
        await using var direct = await SqliteStatementCacheTests.MigratedAsync();
        await using var plain = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());

        // Act
        foreach (var (database, interceptors) in new[] { (direct, new Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] { inserts }), (plain, []) })
        {
            await using var db = Context(database, interceptors);
            await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
            AddOrderWithItsRows(db, 7);
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
    public async Task SaveChanges_ContextConfiguredAsTheServerConfiguresIt_InsertsDirectly()
    {
        // Arrange: DatabaseSettings.Configure, through the test database's context.
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        await using var db = database.CreateContext();
        db.Database.AutoSavepointsEnabled = false;
        var before = SqliteDirectInserts.Instance.Inserted;

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            db.AuditEntries.Add(Audit("configured"));
            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert: other tests may insert through the shared instance meanwhile, never fewer.
        Assert.True(SqliteDirectInserts.Instance.Inserted > before);
        await using var read = database.CreateContext();
        Assert.Equal("configured", (await read.AuditEntries.SingleAsync().DefaultTimeout()).Summary);
    }

    [Fact]
    public async Task SaveChanges_EventsAndEntriesAddedInTurns_IdsFollowTheOrderOfAdding()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts]);
        await SeedOrderAsync(db);

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            for (var i = 0; i < 6; i++)
            {
                db.OutboxEvents.Add(Event(1, "e" + i));
                db.AuditEntries.Add(Audit("a" + i));
            }

            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(12, inserts.Inserted);
        await using var read = database.CreateContext();
        Assert.Equal(["e0", "e1", "e2", "e3", "e4", "e5"], await read.OutboxEvents.OrderBy(e => e.Id).Select(e => e.Type).ToListAsync().DefaultTimeout());
        Assert.Equal(["a0", "a1", "a2", "a3", "a4", "a5"], await read.AuditEntries.OrderBy(e => e.Id).Select(e => e.Summary).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task SaveChanges_ChangedOrderAndANewEvent_EventInsertedDirectlyTheChangeSavedByEfCore()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts]);
        await SeedOrderAsync(db);
        var order = await db.WorkOrders.SingleAsync().DefaultTimeout();

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            order.Status = WorkOrderStatus.Replied;
            order.Version++;
            var added = Event(order.Id, "Replied");
            db.OutboxEvents.Add(added);
            await db.SaveChangesAsync().DefaultTimeout();
            Assert.True(added.Id > 0);
            Assert.Equal(EntityState.Unchanged, db.Entry(added).State);
            Assert.Equal(EntityState.Unchanged, db.Entry(order).State);
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
    public async Task SaveChanges_OutsideATransactionOrWithANewRowOfAnotherTable_LeftToEfCore()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts]);

        // Act: no transaction; then a partner (not inserted directly) with an audit entry in one transaction.
        db.AuditEntries.Add(Audit("outside"));
        await db.SaveChangesAsync().DefaultTimeout();
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            db.Partners.Add(MigrationSchemaTests.NewPartner("si-b", T0));
            db.AuditEntries.Add(Audit("with a partner"));
            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(0, inserts.Inserted);
        await using var read = database.CreateContext();
        Assert.Equal(["outside", "with a partner"], await read.AuditEntries.OrderBy(e => e.Id).Select(e => e.Summary).ToListAsync().DefaultTimeout());
        Assert.Equal(1, await read.Partners.CountAsync(p => p.Id == "si-b").DefaultTimeout());
    }

    [Fact]
    public async Task SaveChanges_EventOfANewOrderWhoseKeyIsGenerated_InsertedWithTheGeneratedKey()
    {
        // Arrange: the order without an id (SQLite generates it), its event pointing at the order's temporary key.
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts]);
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        await db.SaveChangesAsync().DefaultTimeout();
        var order = MigrationSchemaTests.NewWorkOrder("WO9", "si-a", T0);
        var added = Event(0, "Created");

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            db.WorkOrders.Add(order);
            db.OutboxEvents.Add(added);
            db.Entry(added).Property(e => e.WorkOrderId).CurrentValue = db.Entry(order).Property(o => o.Id).CurrentValue;
            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(2, inserts.Inserted);
        await using var read = database.CreateContext();
        var stored = await read.WorkOrders.SingleAsync().DefaultTimeout();
        Assert.True(stored.Id > 0);
        Assert.Equal(stored.Id, (await read.OutboxEvents.SingleAsync().DefaultTimeout()).WorkOrderId);
    }

    [Fact]
    public async Task SaveChanges_WithEfCoresAutomaticSavepoints_LeftToEfCoreAndAFailedSaveLeavesNothingOfIt()
    {
        // Arrange: a caller that relies on EF Core's own savepoint to undo a failed save inside its transaction.
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts], autoSavepoints: true);
        await SeedOrderAsync(db);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        db.IdempotencyRecords.Add(Record("r-1"));
        await db.SaveChangesAsync().DefaultTimeout();

        // Act: an event and an audit entry with a request id taken already, in one save.
        db.OutboxEvents.Add(Event(1, "Replied"));
        db.AuditEntries.Add(Audit("replied"));
        db.IdempotencyRecords.Add(Record("r-1"));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync().DefaultTimeout());
        db.ChangeTracker.Clear();
        await transaction.CommitAsync().DefaultTimeout();

        // Assert
        Assert.Equal(0, inserts.Inserted);
        await using var read = database.CreateContext();
        Assert.Equal(0, await read.OutboxEvents.CountAsync().DefaultTimeout());
        Assert.Equal(0, await read.AuditEntries.CountAsync().DefaultTimeout());
        Assert.Equal(["r-1"], await read.IdempotencyRecords.Select(r => r.RequestId).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task SaveChanges_WithADeletedRow_LeftToEfCore()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts]);
        db.AuditEntries.Add(Audit("old"));
        await db.SaveChangesAsync().DefaultTimeout();

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync().DefaultTimeout());
            db.AuditEntries.Add(Audit("new"));
            await db.SaveChangesAsync().DefaultTimeout();
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(0, inserts.Inserted);
        await using var read = database.CreateContext();
        Assert.Equal(["new"], await read.AuditEntries.Select(e => e.Summary).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task SaveChanges_RequestIdTakenAlready_DbUpdateExceptionAndTheTransactionGoesOn()
    {
        // Arrange
        await using var database = await SqliteStatementCacheTests.MigratedAsync();
        var inserts = new SqliteDirectInserts(new SqliteStatementCache());
        await using var db = Context(database, [inserts]);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        db.IdempotencyRecords.Add(Record("r-1"));
        await db.SaveChangesAsync().DefaultTimeout();

        // Act
        db.IdempotencyRecords.Add(Record("r-1"));
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync().DefaultTimeout());
        db.ChangeTracker.Clear();
        db.IdempotencyRecords.Add(Record("r-2"));
        await db.SaveChangesAsync().DefaultTimeout();
        await transaction.CommitAsync().DefaultTimeout();

        // Assert
        Assert.Equal(19, Assert.IsType<SqliteException>(failure.InnerException).SqliteErrorCode); // SQLITE_CONSTRAINT
        await using var read = database.CreateContext();
        Assert.Equal(["r-1", "r-2"], await read.IdempotencyRecords.OrderBy(r => r.Id).Select(r => r.RequestId).ToListAsync().DefaultTimeout());
    }

    /// <summary>A partner, an order with every column set (an instant off UTC, nullable enums), a revisit, two events, an audit entry and a record.</summary>
    private static void AddOrderWithItsRows(PartnerExchangeDbContext db, long id)
    {
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        db.SaveChanges();
        db.WorkOrders.Add(new WorkOrder
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
        db.WorkOrders.Add(bare);
        db.WorkOrderRevisits.Add(new WorkOrderRevisit { WorkOrderId = id, PartnerId = "si-a", RevisitedAt = T0.AddDays(1), Satisfaction = Satisfaction.Dissatisfied, GroupCustomer = true });
        db.OutboxEvents.Add(Event(id, "Created"));
        db.OutboxEvents.Add(new OutboxEvent { WorkOrderId = id, PartnerId = "si-a", Type = "Returned", Payload = [9, 8], OccurredAt = T0.AddDays(1), RecordedAt = null });
        db.AuditEntries.Add(Audit("created"));
        db.IdempotencyRecords.Add(Record("r-7"));
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

    /// <summary>A context with <paramref name="interceptors"/>, EF Core's automatic savepoints off as the shared work-order commit runs (unless <paramref name="autoSavepoints"/>).</summary>
    private static PartnerExchangeDbContext Context(TestDatabase database, Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors, bool autoSavepoints = false)
    {
        var db = new PartnerExchangeDbContext(new DbContextOptionsBuilder<PartnerExchangeDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(interceptors).Options);
        db.Database.AutoSavepointsEnabled = autoSavepoints;
        return db;
    }
}
