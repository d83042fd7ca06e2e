using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Gives work orders what the lifecycle needs (and outbox events the time they were written, by which the live
/// feed's retention is judged): the responsible party's kind, the instant of the next automatic step (the
/// sweeper's index), the overdue and counts-in-assessment flags, the order as the API shows it, and indexes for listing
/// by update time. Existing rows get no next step and an empty document (no work order was ever written through the API
/// before this migration).
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class WorkOrderLifecycle : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129200000_WorkOrderLifecycle";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<string>("ResponsibleKind", "WorkOrders", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<long>("NextDueAt", "WorkOrders", nullable: true);
        migrationBuilder.AddColumn<bool>("IsOverdue", "WorkOrders", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<bool>("CountsInAssessment", "WorkOrders", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<byte[]>("Document", "WorkOrders", nullable: false, defaultValue: Array.Empty<byte>());

        migrationBuilder.CreateIndex("IX_WorkOrders_NextDueAt", "WorkOrders", "NextDueAt");
        migrationBuilder.AddColumn<long>("RecordedAt", "OutboxEvents", nullable: true);
        migrationBuilder.CreateIndex("IX_OutboxEvents_RecordedAt", "OutboxEvents", "RecordedAt");
        migrationBuilder.CreateIndex("IX_WorkOrders_UpdatedAt_Id", "WorkOrders", ["UpdatedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_WorkOrders_PartnerId_UpdatedAt_Id", "WorkOrders", ["PartnerId", "UpdatedAt", "Id"]);
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex("IX_WorkOrders_PartnerId_UpdatedAt_Id", "WorkOrders");
        migrationBuilder.DropIndex("IX_WorkOrders_UpdatedAt_Id", "WorkOrders");
        migrationBuilder.DropIndex("IX_WorkOrders_NextDueAt", "WorkOrders");
        migrationBuilder.DropIndex("IX_OutboxEvents_RecordedAt", "OutboxEvents");
        if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            migrationBuilder.Sql("ALTER TABLE \"OutboxEvents\" DROP COLUMN \"RecordedAt\";");
        }
        else
        {
            migrationBuilder.DropColumn("RecordedAt", "OutboxEvents");
        }
        foreach (var column in new[] { "Document", "CountsInAssessment", "IsOverdue", "NextDueAt", "ResponsibleKind" })
        {
            // EF Core's SQLite provider refuses DropColumn in a migration without a model; SQLite itself drops columns.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql($"ALTER TABLE \"WorkOrders\" DROP COLUMN \"{column}\";");
            }
            else
            {
                migrationBuilder.DropColumn(column, "WorkOrders");
            }
        }
    }
}
