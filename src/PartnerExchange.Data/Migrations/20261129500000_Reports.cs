using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Gives the reports of RULEBOOK section 8 what they need: the SIs' monthly service analysis reports, one per partner and
/// month, and on work orders the columns the period reports aggregate by (receipt time, direct channel, solved on first
/// contact, support type, latest satisfaction, return count, reply breached) with an index on partner and receipt.
/// Existing rows get their creation as receipt time and defaults elsewhere; the server fills the columns on the next
/// change of each order.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class ServiceReports : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129500000_Reports";

    private static readonly string[] WorkOrderColumns =
        ["ReceivedAt", "DirectChannel", "SolvedOnFirstContact", "SupportType", "Satisfaction", "ReturnCount", "ReplyBreached"];

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<long>("ReceivedAt", "WorkOrders", nullable: true);
        migrationBuilder.AddColumn<string>("DirectChannel", "WorkOrders", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<bool>("SolvedOnFirstContact", "WorkOrders", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>("SupportType", "WorkOrders", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>("Satisfaction", "WorkOrders", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<int>("ReturnCount", "WorkOrders", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<bool>("ReplyBreached", "WorkOrders", nullable: false, defaultValue: false);
        migrationBuilder.Sql("UPDATE \"WorkOrders\" SET \"ReceivedAt\" = \"CreatedAt\";");
        migrationBuilder.CreateIndex("IX_WorkOrders_PartnerId_ReceivedAt_Id", "WorkOrders", ["PartnerId", "ReceivedAt", "Id"]);

        migrationBuilder.CreateTable(
            name: "ServiceAnalysisReports",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                SubmittedBy = table.Column<string>(maxLength: 128, nullable: false),
                SubmittedAt = table.Column<long>(nullable: false),
                Document = table.Column<byte[]>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ServiceAnalysisReports", x => new { x.PartnerId, x.Month });
                table.ForeignKey("FK_ServiceAnalysisReports_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("ServiceAnalysisReports");
        migrationBuilder.DropIndex("IX_WorkOrders_PartnerId_ReceivedAt_Id", "WorkOrders");
        foreach (var column in WorkOrderColumns.Reverse())
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
