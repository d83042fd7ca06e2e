using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PartnerExchange.Data.Entities;
using PartnerExchange.Data.Migrations;
using PartnerExchange.Data.Tests.Infrastructure;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Tests;

/// <summary>
/// The hand-written migrations have no model snapshot; these tests replace EF Core's pending-model-changes check by
/// proving, on SQLite and on PostgreSQL, that migrating gives exactly the schema <c>EnsureCreated</c> builds from the model.
/// </summary>
public sealed class MigrationSchemaTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrate_FreshDatabase_SchemaEqualsModel(DatabaseProvider provider)
    {
        // Arrange
        await using var migrated = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var created = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var migratedDb = migrated.CreateContext();
        await using var createdDb = created.CreateContext();

        // Act
        await migratedDb.Database.MigrateAsync().DefaultTimeout();
        await createdDb.Database.EnsureCreatedAsync().DefaultTimeout();

        // Assert
        var expected = await SchemaReader.ReadAsync(createdDb).DefaultTimeout();
        var actual = await SchemaReader.ReadAsync(migratedDb).DefaultTimeout();
        Assert.Contains(expected, line => line.StartsWith("column OutboxEvents.Id", StringComparison.Ordinal));
        SchemaAssert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrate_FromFirstMigrationWithData_KeepsDataAndSchemaEqualsModel(DatabaseProvider provider)
    {
        // Arrange: a database made by the first migration only, with rows in it.
        await using var database = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var created = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        var createdAt = new DateTimeOffset(2026, 3, 2, 1, 30, 0, TimeSpan.Zero);
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Initial.Id).DefaultTimeout();
            Assert.Equal([Initial.Id], await db.Database.GetAppliedMigrationsAsync().DefaultTimeout());
            Assert.DoesNotContain(await SchemaReader.ReadAsync(db).DefaultTimeout(), line => line.Contains("OutboxEvents", StringComparison.Ordinal));
            // The rows go in with the first migration's columns only (later ones add columns the entities have now).
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Partners" ("Id", "DisplayName", "Kind", "Mode", "Status", "SettlementState", "CreatedAt", "UpdatedAt", "Version")
                VALUES ('si-upgrade', 'Test partner si-upgrade', 'ServiceIntegrator', 'Emp', 'Active', 'Normal', {createdAt.UtcTicks}, {createdAt.UtcTicks}, 0)
                """).DefaultTimeout();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "SubscriberBases" ("PartnerId", "Month", "BilledUsers", "GroupCustomers") VALUES ('si-upgrade', '2026-02', 120, 3)
                """).DefaultTimeout();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "WorkOrders" ("Number", "Kind", "PartnerId", "Status", "Channel", "IsMajor", "CreatedAt", "DispatchedAt", "UpdatedAt", "DetailJson", "Version")
                VALUES ('WO-UPGRADE-1', 'Complaint', 'si-upgrade', 'Dispatched', 'Hotline', FALSE, {createdAt.UtcTicks}, {createdAt.UtcTicks}, {createdAt.UtcTicks}, {"{}"}, 1)
                """).DefaultTimeout();
        }

        // Act
        await using var upgraded = database.CreateContext();
        await upgraded.Database.MigrateAsync().DefaultTimeout();

        // Assert
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync().DefaultTimeout());
        var partner = await upgraded.Partners.SingleAsync().DefaultTimeout();
        Assert.Equal(("si-upgrade", AssessmentMode.Emp, createdAt), (partner.Id, partner.Mode, partner.CreatedAt));
        Assert.Equal(("CNY", null, null), (partner.SettlementCurrency, partner.SuspensionReason, partner.CancellationReason));
        var subscriberBase = await upgraded.SubscriberBases.SingleAsync().DefaultTimeout();
        Assert.Equal((120L, 0, null), (subscriberBase.BilledUsers, subscriberBase.Version, subscriberBase.RecordedBy));
        var order = await upgraded.WorkOrders.SingleAsync().DefaultTimeout();
        Assert.Equal(("WO-UPGRADE-1", "si-upgrade", createdAt), (order.Number, order.PartnerId, order.CreatedAt));

        await using var createdDb = created.CreateContext();
        await createdDb.Database.EnsureCreatedAsync().DefaultTimeout();
        SchemaAssert.Equal(await SchemaReader.ReadAsync(createdDb).DefaultTimeout(), await SchemaReader.ReadAsync(upgraded).DefaultTimeout());

        // The new tables work on the upgraded database.
        upgraded.OutboxEvents.Add(new OutboxEvent { WorkOrderId = order.Id, PartnerId = "si-upgrade", Type = "Created", Payload = [1, 2], OccurredAt = createdAt });
        await upgraded.SaveChangesAsync().DefaultTimeout();
        Assert.Equal(1, await upgraded.OutboxEvents.CountAsync().DefaultTimeout());
        upgraded.ResponseDeductions.Add(new ResponseDeduction
        {
            PartnerId = "si-upgrade", Month = "2026-02", Reason = ResponseDeductionReason.HidingFacts, Points = 10, Description = "test",
            WorkOrderId = order.Id, RecordedBy = "test", RecordedByRole = "partner-manager", CreatedAt = createdAt,
        });
        await upgraded.SaveChangesAsync().DefaultTimeout();
        Assert.Equal(new Dictionary<string, long> { ["si-upgrade"] = 10 }, await ResponseScores.ForMonthAsync(upgraded, "2026-02").DefaultTimeout());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrate_DownToFirstMigration_SchemaEqualsFirstMigrationOnly(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var firstOnly = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var db = database.CreateContext();
        await using var firstOnlyDb = firstOnly.CreateContext();
        await db.Database.MigrateAsync().DefaultTimeout();
        await firstOnlyDb.GetService<IMigrator>().MigrateAsync(Initial.Id).DefaultTimeout();

        // Act
        await db.GetService<IMigrator>().MigrateAsync(Initial.Id).DefaultTimeout();

        // Assert
        Assert.Equal([Initial.Id], await db.Database.GetAppliedMigrationsAsync().DefaultTimeout());
        SchemaAssert.Equal(await SchemaReader.ReadAsync(firstOnlyDb).DefaultTimeout(), await SchemaReader.ReadAsync(db).DefaultTimeout());
    }

    [Fact]
    public async Task Migrations_InOrder_InitialIsFirstAndAllAreKnown()
    {
        // Arrange
        await using var database = TestDatabase.CreateSqlite();
        await using var db = database.CreateContext();

        // Act
        var ids = db.Database.GetMigrations().ToList();

        // Assert
        Assert.Equal([Initial.Id, OutboxAndIdempotency.Id, Identity.Id, People.Id, WorkOrderLifecycle.Id, Settlement.Id, PartnerRegistry.Id, ServiceReports.Id, SharedKeys.Id], ids);
    }

    internal static Partner NewPartner(string id, DateTimeOffset at) => new()
    {
        Id = id,
        DisplayName = "Test partner " + id,
        Kind = PartnerKind.ServiceIntegrator,
        Mode = AssessmentMode.Emp,
        Status = PartnerStatus.Active,
        SettlementState = SettlementState.Normal,
        CreatedAt = at,
        UpdatedAt = at,
    };

    internal static WorkOrder NewWorkOrder(string number, string? partnerId, DateTimeOffset at) => new()
    {
        Number = number,
        Kind = WorkOrderKind.Complaint,
        PartnerId = partnerId,
        Status = WorkOrderStatus.Dispatched,
        Channel = WorkOrderChannel.Hotline,
        CreatedAt = at,
        DispatchedAt = at,
        UpdatedAt = at,
        DetailJson = "{}",
    };
}
