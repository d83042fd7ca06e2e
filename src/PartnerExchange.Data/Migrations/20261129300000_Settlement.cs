using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// The monthly settlement: settlement months, assessments and the complaints behind them, refunds, statements and
/// their lines, customer revisits as rows, and on work orders the on-time completion and group-customer flags (existing
/// rows get false) and an index by creation time for the month's aggregates. Settlement bases gain who recorded them
/// and when.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class Settlement : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129300000_Settlement";

    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<bool>("CompletedOnTime", "WorkOrders", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<bool>("IsGroupCustomer", "WorkOrders", nullable: false, defaultValue: false);
        migrationBuilder.CreateIndex("IX_WorkOrders_CreatedAt_PartnerId", "WorkOrders", ["CreatedAt", "PartnerId"]);
        migrationBuilder.AddColumn<string>("RecordedBy", "SettlementBases", nullable: true);
        migrationBuilder.AddColumn<long>("RecordedAt", "SettlementBases", nullable: true);

        migrationBuilder.CreateTable(
            name: "SettlementPeriods",
            columns: table => new
            {
                Month = table.Column<string>(maxLength: 7, nullable: false),
                AssessedAt = table.Column<long>(nullable: true),
                ClosedAt = table.Column<long>(nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SettlementPeriods", x => x.Month));

        migrationBuilder.CreateTable(
            name: "Assessments",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                Mode = table.Column<string>(maxLength: 32, nullable: false),
                ComplaintCount = table.Column<long>(nullable: false),
                OnTimeCount = table.Column<long>(nullable: false),
                ExcludedCount = table.Column<long>(nullable: false),
                BilledUsers = table.Column<long>(nullable: true),
                GroupCustomers = table.Column<long>(nullable: true),
                SatisfiedGroupRevisits = table.Column<long>(nullable: false),
                GroupRevisits = table.Column<long>(nullable: false),
                EmpThreshold = table.Column<long>(nullable: false),
                PerTenThousandHundredths = table.Column<int>(nullable: false),
                OnTimeBasisPoints = table.Column<int>(nullable: false),
                GroupSatisfactionBasisPoints = table.Column<int>(nullable: false),
                ResponseScore = table.Column<int>(nullable: false),
                ResponseDeductions = table.Column<int>(nullable: false),
                Consecutive = table.Column<int>(nullable: false),
                ThresholdReached = table.Column<bool>(nullable: false),
                OnTimeBelow = table.Column<bool>(nullable: false),
                Outcome = table.Column<string>(maxLength: 32, nullable: false),
                AssessedAt = table.Column<long>(nullable: false),
                Final = table.Column<bool>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Assessments", x => new { x.PartnerId, x.Month });
                table.ForeignKey("FK_Assessments_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "AssessedComplaints",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                WorkOrderId = table.Column<long>(nullable: false),
                Number = table.Column<string>(maxLength: 32, nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                Exclusion = table.Column<string>(maxLength: 32, nullable: true),
                OnTime = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_AssessedComplaints", x => new { x.PartnerId, x.Month, x.WorkOrderId }));

        migrationBuilder.CreateTable(
            name: "Refunds",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                State = table.Column<string>(maxLength: 32, nullable: false),
                ChargedMinor = table.Column<long>(nullable: false),
                RefundMinor = table.Column<long>(nullable: false),
                Currency = table.Column<string>(fixedLength: true, maxLength: 3, nullable: false),
                PaidAt = table.Column<long>(nullable: true),
                PaidMonth = table.Column<string>(maxLength: 7, nullable: true),
                DeductionMonth = table.Column<string>(maxLength: 7, nullable: true),
                WorkOrderId = table.Column<long>(nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
                Document = table.Column<byte[]>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Refunds", x => x.Id);
                table.ForeignKey("FK_Refunds_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_Refunds_WorkOrders_WorkOrderId", x => x.WorkOrderId, "WorkOrders", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "Statements",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                Currency = table.Column<string>(fixedLength: true, maxLength: 3, nullable: false),
                Gross = table.Column<long>(nullable: false),
                Deductions = table.Column<long>(nullable: false),
                OpeningBalance = table.Column<long>(nullable: false),
                Net = table.Column<long>(nullable: false),
                Withheld = table.Column<long>(nullable: false),
                WithheldRule = table.Column<string>(maxLength: 32, nullable: true),
                Disposition = table.Column<string>(maxLength: 32, nullable: true),
                DispositionReason = table.Column<string>(maxLength: 2000, nullable: true),
                ReleaseAwaitingPayment = table.Column<bool>(nullable: false),
                Released = table.Column<long>(nullable: false),
                Payable = table.Column<long>(nullable: false),
                CarriedForward = table.Column<long>(nullable: false),
                Status = table.Column<string>(maxLength: 32, nullable: false),
                Outcome = table.Column<string>(maxLength: 32, nullable: false),
                LineCount = table.Column<int>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<long>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Statements", x => new { x.PartnerId, x.Month });
                table.ForeignKey("FK_Statements_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "StatementLines",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                LineNumber = table.Column<int>(nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                Amount = table.Column<long>(nullable: false),
                Description = table.Column<string>(maxLength: 500, nullable: false),
                RefundId = table.Column<long>(nullable: true),
                SourceMonth = table.Column<string>(maxLength: 7, nullable: true),
                RefundPaidMonth = table.Column<string>(maxLength: 7, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_StatementLines", x => new { x.PartnerId, x.Month, x.LineNumber }));

        migrationBuilder.CreateTable(
            name: "WorkOrderRevisits",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                WorkOrderId = table.Column<long>(nullable: false),
                PartnerId = table.Column<string>(maxLength: 63, nullable: true),
                RevisitedAt = table.Column<long>(nullable: false),
                Satisfaction = table.Column<string>(maxLength: 32, nullable: false),
                GroupCustomer = table.Column<bool>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_WorkOrderRevisits", x => x.Id);
                table.ForeignKey("FK_WorkOrderRevisits_WorkOrders_WorkOrderId", x => x.WorkOrderId, "WorkOrders", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateIndex("IX_Assessments_Month_PartnerId", "Assessments", ["Month", "PartnerId"]);
        migrationBuilder.CreateIndex("IX_Refunds_PartnerId_DeductionMonth", "Refunds", ["PartnerId", "DeductionMonth"]);
        migrationBuilder.CreateIndex("IX_Refunds_DeductionMonth_PartnerId", "Refunds", ["DeductionMonth", "PartnerId"]);
        migrationBuilder.CreateIndex("IX_Refunds_WorkOrderId", "Refunds", "WorkOrderId");
        migrationBuilder.CreateIndex("IX_Statements_Month_PartnerId", "Statements", ["Month", "PartnerId"]);
        migrationBuilder.CreateIndex("IX_WorkOrderRevisits_PartnerId_RevisitedAt", "WorkOrderRevisits", ["PartnerId", "RevisitedAt"]);
        migrationBuilder.CreateIndex("IX_WorkOrderRevisits_WorkOrderId", "WorkOrderRevisits", "WorkOrderId");
        migrationBuilder.CreateIndex("IX_WorkOrderRevisits_RevisitedAt_PartnerId", "WorkOrderRevisits", ["RevisitedAt", "PartnerId"]);
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var table in new[] { "WorkOrderRevisits", "StatementLines", "Statements", "Refunds", "AssessedComplaints", "Assessments", "SettlementPeriods" })
        {
            migrationBuilder.DropTable(table);
        }

        migrationBuilder.DropIndex("IX_WorkOrders_CreatedAt_PartnerId", "WorkOrders");
        foreach (var (table, column) in new[] { ("SettlementBases", "RecordedAt"), ("SettlementBases", "RecordedBy"), ("WorkOrders", "IsGroupCustomer"), ("WorkOrders", "CompletedOnTime") })
        {
            // EF Core's SQLite provider refuses DropColumn in a migration without a model; SQLite itself drops columns.
            if (migrationBuilder.ActiveProvider == Sqlite)
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
