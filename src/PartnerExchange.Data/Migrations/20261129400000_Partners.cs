using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Gives the partner registry what partner management needs: the structured suspension and cancellation reasons and the
/// settlement currency of a partner (existing SIs are settled in CNY, as every seeded settlement basis is), who recorded
/// a subscriber base and its version (existing rows: nobody, version 0), and the response-rate deductions.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class PartnerRegistry : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129400000_Partners";

    private static readonly (string Table, string Column)[] AddedColumns =
    [
        ("Partners", "SuspensionReason"), ("Partners", "CancellationReason"), ("Partners", "SettlementCurrency"),
        ("SubscriberBases", "RecordedAt"), ("SubscriberBases", "RecordedBy"), ("SubscriberBases", "RecordedByRole"), ("SubscriberBases", "Version"),
    ];

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<string>("SuspensionReason", "Partners", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>("CancellationReason", "Partners", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>("SettlementCurrency", "Partners", maxLength: 3, fixedLength: true, nullable: true);
        migrationBuilder.Sql("UPDATE \"Partners\" SET \"SettlementCurrency\" = 'CNY' WHERE \"Kind\" = 'ServiceIntegrator';");

        migrationBuilder.AddColumn<long>("RecordedAt", "SubscriberBases", nullable: true);
        migrationBuilder.AddColumn<string>("RecordedBy", "SubscriberBases", maxLength: 128, nullable: true);
        migrationBuilder.AddColumn<string>("RecordedByRole", "SubscriberBases", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<int>("Version", "SubscriberBases", nullable: false, defaultValue: 0);

        migrationBuilder.CreateTable(
            name: "ResponseDeductions",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                Reason = table.Column<string>(maxLength: 32, nullable: false),
                Points = table.Column<int>(nullable: false),
                Description = table.Column<string>(maxLength: 2000, nullable: false),
                WorkOrderId = table.Column<long>(nullable: true),
                Automatic = table.Column<bool>(nullable: false),
                RecordedBy = table.Column<string>(maxLength: 128, nullable: false),
                RecordedByRole = table.Column<string>(maxLength: 32, nullable: false),
                RecordedByPartnerId = table.Column<string>(maxLength: 63, nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
                WithdrawnAt = table.Column<long>(nullable: true),
                WithdrawnBy = table.Column<string>(maxLength: 128, nullable: true),
                WithdrawnByRole = table.Column<string>(maxLength: 32, nullable: true),
                WithdrawReason = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ResponseDeductions", x => x.Id);
                table.ForeignKey("FK_ResponseDeductions_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_ResponseDeductions_WorkOrders_WorkOrderId", x => x.WorkOrderId, "WorkOrders", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_ResponseDeductions_Month_PartnerId", "ResponseDeductions", ["Month", "PartnerId"]);
        migrationBuilder.CreateIndex("IX_ResponseDeductions_PartnerId_Id", "ResponseDeductions", ["PartnerId", "Id"]);
        migrationBuilder.CreateIndex("IX_ResponseDeductions_WorkOrderId", "ResponseDeductions", "WorkOrderId");
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("ResponseDeductions");
        foreach (var (table, column) in AddedColumns.Reverse())
        {
            // EF Core's SQLite provider refuses DropColumn in a migration without a model; SQLite itself drops columns.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\";");
            }
            else
            {
                migrationBuilder.DropColumn(column, table);
            }
        }
    }
}
