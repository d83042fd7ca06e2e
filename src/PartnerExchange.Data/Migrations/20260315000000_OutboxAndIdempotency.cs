using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Adds the work-order event outbox (its id is the feed cursor), the idempotency records of mutating calls, and an
/// index for reading one resource's audit trail in time order.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class OutboxAndIdempotency : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20260315000000_OutboxAndIdempotency";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "OutboxEvents",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                WorkOrderId = table.Column<long>(nullable: false),
                PartnerId = table.Column<string>(maxLength: 63, nullable: true),
                Type = table.Column<string>(maxLength: 100, nullable: false),
                Payload = table.Column<byte[]>(nullable: false),
                OccurredAt = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_OutboxEvents", x => x.Id);
                table.ForeignKey("FK_OutboxEvents_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_OutboxEvents_WorkOrders_WorkOrderId", x => x.WorkOrderId, "WorkOrders", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "IdempotencyRecords",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                Caller = table.Column<string>(maxLength: 128, nullable: false),
                Method = table.Column<string>(maxLength: 200, nullable: false),
                RequestId = table.Column<string>(maxLength: 128, nullable: false),
                RequestHash = table.Column<byte[]>(nullable: false),
                ResponseBytes = table.Column<byte[]>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_IdempotencyRecords", x => x.Id));

        migrationBuilder.CreateIndex("IX_OutboxEvents_PartnerId_Id", "OutboxEvents", ["PartnerId", "Id"]);
        migrationBuilder.CreateIndex("IX_OutboxEvents_WorkOrderId", "OutboxEvents", "WorkOrderId");
        migrationBuilder.CreateIndex("IX_IdempotencyRecords_Caller_Method_RequestId", "IdempotencyRecords", ["Caller", "Method", "RequestId"], unique: true);
        migrationBuilder.CreateIndex("IX_IdempotencyRecords_CreatedAt", "IdempotencyRecords", "CreatedAt");
        migrationBuilder.CreateIndex("IX_AuditEntries_ResourceName_OccurredAt", "AuditEntries", ["ResourceName", "OccurredAt"]);
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex("IX_AuditEntries_ResourceName_OccurredAt", "AuditEntries");
        migrationBuilder.DropTable("IdempotencyRecords");
        migrationBuilder.DropTable("OutboxEvents");
    }
}
