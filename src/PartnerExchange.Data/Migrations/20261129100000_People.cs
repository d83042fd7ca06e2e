using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Adds people's accounts in ASP.NET Core Identity's user tables (schema version 1) under the product's names: the
/// accounts with their role, partner and disabling, and Identity's claims, external logins and tokens of an account.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class People : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129100000_People";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "PersonAccounts",
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                Role = table.Column<string>(maxLength: 32, nullable: false),
                PartnerId = table.Column<string>(maxLength: 63, nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
                DisabledAt = table.Column<long>(nullable: true),
                UserName = table.Column<string>(maxLength: 256, nullable: true),
                NormalizedUserName = table.Column<string>(maxLength: 256, nullable: true),
                Email = table.Column<string>(maxLength: 256, nullable: true),
                NormalizedEmail = table.Column<string>(maxLength: 256, nullable: true),
                EmailConfirmed = table.Column<bool>(nullable: false),
                PasswordHash = table.Column<string>(nullable: true),
                SecurityStamp = table.Column<string>(nullable: true),
                ConcurrencyStamp = table.Column<string>(nullable: true),
                PhoneNumber = table.Column<string>(nullable: true),
                PhoneNumberConfirmed = table.Column<bool>(nullable: false),
                TwoFactorEnabled = table.Column<bool>(nullable: false),
                LockoutEnd = table.Column<long>(nullable: true),
                LockoutEnabled = table.Column<bool>(nullable: false),
                AccessFailedCount = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PersonAccounts", x => x.Id);
                table.ForeignKey("FK_PersonAccounts_Partners_PartnerId", x => x.PartnerId, "Partners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "PersonAccountClaims",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false).Identity(),
                UserId = table.Column<string>(nullable: false),
                ClaimType = table.Column<string>(nullable: true),
                ClaimValue = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PersonAccountClaims", x => x.Id);
                table.ForeignKey("FK_PersonAccountClaims_PersonAccounts_UserId", x => x.UserId, "PersonAccounts", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "PersonAccountLogins",
            columns: table => new
            {
                LoginProvider = table.Column<string>(nullable: false),
                ProviderKey = table.Column<string>(nullable: false),
                ProviderDisplayName = table.Column<string>(nullable: true),
                UserId = table.Column<string>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PersonAccountLogins", x => new { x.LoginProvider, x.ProviderKey });
                table.ForeignKey("FK_PersonAccountLogins_PersonAccounts_UserId", x => x.UserId, "PersonAccounts", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "PersonAccountTokens",
            columns: table => new
            {
                UserId = table.Column<string>(nullable: false),
                LoginProvider = table.Column<string>(nullable: false),
                Name = table.Column<string>(nullable: false),
                Value = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PersonAccountTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                table.ForeignKey("FK_PersonAccountTokens_PersonAccounts_UserId", x => x.UserId, "PersonAccounts", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("UserNameIndex", "PersonAccounts", "NormalizedUserName", unique: true);
        migrationBuilder.CreateIndex("EmailIndex", "PersonAccounts", "NormalizedEmail");
        migrationBuilder.CreateIndex("IX_PersonAccounts_PartnerId", "PersonAccounts", "PartnerId");
        migrationBuilder.CreateIndex("IX_PersonAccountClaims_UserId", "PersonAccountClaims", "UserId");
        migrationBuilder.CreateIndex("IX_PersonAccountLogins_UserId", "PersonAccountLogins", "UserId");
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("PersonAccountTokens");
        migrationBuilder.DropTable("PersonAccountLogins");
        migrationBuilder.DropTable("PersonAccountClaims");
        migrationBuilder.DropTable("PersonAccounts");
    }
}
