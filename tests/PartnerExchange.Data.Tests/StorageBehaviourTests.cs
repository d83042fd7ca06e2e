using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Entities;
using PartnerExchange.Data.Tests.Infrastructure;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Tests;

/// <summary>How the model behaves on both providers: instants, concurrency versions, outbox cursor, uniqueness.</summary>
public sealed class StorageBehaviourTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Instants_StoredAndQueried_ExactTicksUtcAndOrderedInSql(DatabaseProvider provider)
    {
        // Arrange: ticks finer than PostgreSQL's microseconds, and an instant given with a non-zero offset.
        await using var database = await MigratedAsync(provider);
        var fine = T0.AddTicks(7);
        var shanghai = new DateTimeOffset(2026, 3, 2, 17, 0, 0, TimeSpan.FromHours(8)); // 09:00 UTC
        await using (var db = database.CreateContext())
        {
            db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
            db.WorkOrders.Add(MigrationSchemaTests.NewWorkOrder("WO-2", "si-a", shanghai));
            db.WorkOrders.Add(MigrationSchemaTests.NewWorkOrder("WO-1", "si-a", fine));
            db.WorkOrders.Add(MigrationSchemaTests.NewWorkOrder("WO-3", "si-a", T0.AddDays(1)));
            await db.SaveChangesAsync().DefaultTimeout();
        }

        // Act
        await using var read = database.CreateContext();
        var before = T0.AddHours(12);
        var orders = await read.WorkOrders.Where(w => w.CreatedAt < before).OrderBy(w => w.CreatedAt).ToListAsync().DefaultTimeout();

        // Assert
        Assert.Equal(["WO-1", "WO-2"], orders.Select(o => o.Number));
        Assert.Equal(fine.UtcTicks, orders[0].CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, orders[1].CreatedAt.Offset);
        Assert.Equal(shanghai, orders[1].CreatedAt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SaveChanges_StaleVersion_ThrowsConcurrencyAndKeepsWinner(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await MigratedAsync(provider);
        await using (var db = database.CreateContext())
        {
            db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
            await db.SaveChangesAsync().DefaultTimeout();
        }

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var a = await first.Partners.SingleAsync().DefaultTimeout();
        var b = await second.Partners.SingleAsync().DefaultTimeout();

        // Act
        a.DisplayName = "first";
        await first.SaveChangesAsync().DefaultTimeout();
        b.DisplayName = "second";
        var stale = second.SaveChangesAsync().DefaultTimeout();

        // Assert
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale);
        Assert.Equal(1, a.Version);
        await using var check = database.CreateContext();
        var stored = await check.Partners.SingleAsync().DefaultTimeout();
        Assert.Equal(("first", 1), (stored.DisplayName, stored.Version));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task OutboxEvents_Inserted_IdsIncreaseInInsertOrder(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await MigratedAsync(provider);
        await using var db = database.CreateContext();
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        var order = MigrationSchemaTests.NewWorkOrder("WO-1", "si-a", T0);
        db.WorkOrders.Add(order);
        await db.SaveChangesAsync().DefaultTimeout();

        // Act
        var ids = new List<long>();
        foreach (var type in new[] { "Created", "Dispatched", "Replied" })
        {
            var e = new OutboxEvent { WorkOrderId = order.Id, PartnerId = "si-a", Type = type, Payload = [], OccurredAt = T0 };
            db.OutboxEvents.Add(e);
            await db.SaveChangesAsync().DefaultTimeout();
            ids.Add(e.Id);
        }

        // Assert
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(3, ids.Distinct().Count());
        var after = await db.OutboxEvents.Where(e => e.PartnerId == "si-a" && e.Id > ids[0]).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync().DefaultTimeout();
        Assert.Equal(["Dispatched", "Replied"], after);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task IdempotencyRecords_SameCallerMethodRequestId_Rejected(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await MigratedAsync(provider);
        await using var db = database.CreateContext();
        db.IdempotencyRecords.Add(NewRecord("client-a", "r-1"));
        db.IdempotencyRecords.Add(NewRecord("client-b", "r-1"));
        await db.SaveChangesAsync().DefaultTimeout();

        // Act
        db.IdempotencyRecords.Add(NewRecord("client-a", "r-1"));
        var duplicate = db.SaveChangesAsync().DefaultTimeout();

        // Assert
        await Assert.ThrowsAsync<DbUpdateException>(() => duplicate);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Enums_Stored_AsTheirNames(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await MigratedAsync(provider);
        await using var db = database.CreateContext();
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        await db.SaveChangesAsync().DefaultTimeout();

        // Act
        var rows = await SchemaReader.QueryAsync(db, "SELECT \"Kind\", \"Mode\", \"Status\", \"SettlementState\" FROM \"Partners\"").DefaultTimeout();

        // Assert
        Assert.Equal(["ServiceIntegrator", "Emp", "Active", "Normal"], Assert.Single(rows));
    }

    private static IdempotencyRecord NewRecord(string caller, string requestId) => new()
    {
        Caller = caller,
        Method = "/partnerexchange.v1.WorkOrderService/ReplyWorkOrder",
        RequestId = requestId,
        RequestHash = [1],
        ResponseBytes = [2],
        CreatedAt = T0,
    };

    private static async Task<TestDatabase> MigratedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync().DefaultTimeout();
        return database;
    }
}
