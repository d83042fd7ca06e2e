using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// The first schema: partners and their contacts, subscriber and settlement bases, the service catalogue, the business
/// calendar, client credentials, work orders and the audit trail. Column types come from the CLR types, so the same
/// migration creates the provider's own types on SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class Initial : Migration
{
    /// <summary>The migration id, for migrating to exactly this point.</summary>
    public const string Id = "20260301000000_Initial";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "Partners",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 63, nullable: false),
                DisplayName = table.Column<string>(maxLength: 200, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                Mode = table.Column<string>(maxLength: 32, nullable: true),
                Status = table.Column<string>(maxLength: 32, nullable: false),
                StatusReason = table.Column<string>(maxLength: 1000, nullable: true),
                SettlementState = table.Column<string>(maxLength: 32, nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<long>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Partners", x => x.Id));

        migrationBuilder.CreateTable(
            name: "CalendarDays",
            columns: table => new
            {
                Date = table.Column<DateOnly>(nullable: false),
                IsWorkingDay = table.Column<bool>(nullable: false),
                HolidayName = table.Column<string>(maxLength: 64, nullable: true),
                IsMakeUpDay = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CalendarDays", x => x.Date));

        migrationBuilder.CreateTable(
            name: "AuditEntries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                Actor = table.Column<string>(maxLength: 128, nullable: false),
                Action = table.Column<string>(maxLength: 200, nullable: false),
                ResourceName = table.Column<string>(maxLength: 200, nullable: false),
                OccurredAt = table.Column<long>(nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: true),
                RequestId = table.Column<string>(maxLength: 128, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_AuditEntries", x => x.Id));

        CreateClientCredentials(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "PartnerContacts",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                Value = table.Column<string>(maxLength: 200, nullable: false),
                ContactName = table.Column<string>(maxLength: 100, nullable: true),
                EffectiveFrom = table.Column<DateOnly>(nullable: false),
                NotifiedAt = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PartnerContacts", x => x.Id);
                table.ForeignKey("FK_PartnerContacts_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "ServiceCatalogue",
            columns: table => new
            {
                ServiceCode = table.Column<string>(maxLength: 32, nullable: false),
                ServiceName = table.Column<string>(maxLength: 200, nullable: false),
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ServiceCatalogue", x => x.ServiceCode);
                table.ForeignKey("FK_ServiceCatalogue_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "SettlementBases",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                GrossAmountMinor = table.Column<long>(nullable: false),
                Currency = table.Column<string>(fixedLength: true, maxLength: 3, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SettlementBases", x => new { x.PartnerId, x.Month });
                table.ForeignKey("FK_SettlementBases_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "SubscriberBases",
            columns: table => new
            {
                PartnerId = table.Column<string>(maxLength: 63, nullable: false),
                Month = table.Column<string>(maxLength: 7, nullable: false),
                BilledUsers = table.Column<long>(nullable: false),
                GroupCustomers = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SubscriberBases", x => new { x.PartnerId, x.Month });
                table.ForeignKey("FK_SubscriberBases_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "WorkOrders",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).Identity(),
                Number = table.Column<string>(maxLength: 32, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                PartnerId = table.Column<string>(maxLength: 63, nullable: true),
                Status = table.Column<string>(maxLength: 32, nullable: false),
                Channel = table.Column<string>(maxLength: 32, nullable: false),
                Severity = table.Column<string>(maxLength: 32, nullable: true),
                RepeatOfId = table.Column<long>(nullable: true),
                IsMajor = table.Column<bool>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
                DispatchedAt = table.Column<long>(nullable: true),
                ReplyDueAt = table.Column<long>(nullable: true),
                ResolveDueAt = table.Column<long>(nullable: true),
                RepliedAt = table.Column<long>(nullable: true),
                ResolvedAt = table.Column<long>(nullable: true),
                ClosedAt = table.Column<long>(nullable: true),
                UpdatedAt = table.Column<long>(nullable: false),
                DetailJson = table.Column<string>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_WorkOrders", x => x.Id);
                table.ForeignKey("FK_WorkOrders_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
                table.ForeignKey("FK_WorkOrders_WorkOrders_RepeatOfId", x => x.RepeatOfId, "WorkOrders", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateIndex("IX_AuditEntries_OccurredAt", "AuditEntries", "OccurredAt");
        migrationBuilder.CreateIndex("IX_PartnerContacts_PartnerId_Kind_EffectiveFrom", "PartnerContacts", ["PartnerId", "Kind", "EffectiveFrom"]);
        migrationBuilder.CreateIndex("IX_ServiceCatalogue_PartnerId", "ServiceCatalogue", "PartnerId");
        migrationBuilder.CreateIndex("IX_WorkOrders_Number", "WorkOrders", "Number", unique: true);
        migrationBuilder.CreateIndex("IX_WorkOrders_PartnerId_CreatedAt", "WorkOrders", ["PartnerId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_WorkOrders_RepeatOfId", "WorkOrders", "RepeatOfId");
    }

    /// <summary>The <c>ClientCredentials</c> table of this migration, which <see cref="Identity"/> drops and its Down restores.</summary>
    internal static void CreateClientCredentials(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ClientCredentials",
            columns: table => new
            {
                ClientId = table.Column<string>(maxLength: 64, nullable: false),
                SecretHash = table.Column<string>(maxLength: 200, nullable: false),
                Role = table.Column<string>(maxLength: 32, nullable: false),
                PartnerId = table.Column<string>(maxLength: 63, nullable: true),
                DisplayName = table.Column<string>(maxLength: 200, nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ClientCredentials", x => x.ClientId);
                table.ForeignKey("FK_ClientCredentials_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateIndex("IX_ClientCredentials_PartnerId", "ClientCredentials", "PartnerId");
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("WorkOrders");
        migrationBuilder.DropTable("SubscriberBases");
        migrationBuilder.DropTable("SettlementBases");
        migrationBuilder.DropTable("ServiceCatalogue");
        migrationBuilder.DropTable("PartnerContacts");
        migrationBuilder.DropTable("ClientCredentials");
        migrationBuilder.DropTable("AuditEntries");
        migrationBuilder.DropTable("CalendarDays");
        migrationBuilder.DropTable("Partners");
    }
}
