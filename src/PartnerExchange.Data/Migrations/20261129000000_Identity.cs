using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Moves OAuth clients into the embedded OpenIddict server's tables (applications, authorizations, scopes, tokens),
/// whose secrets OpenIddict hashes, adds the server's own token signing keys and the audit trail's actor role and
/// partner, resource partner and summary, and drops the old <c>ClientCredentials</c> table. Its rows are not carried over:
/// they held only PBKDF2 hashes, which OpenIddict cannot check; the demo clients are seeded again from
/// <c>seeds/clients.json</c> on the next start outside Production, and real clients are provisioned again.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class Identity : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129000000_Identity";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // PostgreSQL cuts identifiers at 63 bytes, and EF Core marks the cut with '~'.
        var authorizationApplicationKey = migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL"
            ? "FK_OpenIddictAuthorizations_OpenIddictApplications_Application~"
            : "FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId";

        migrationBuilder.DropTable("ClientCredentials");

        migrationBuilder.CreateTable(
            name: "OpenIddictApplications",
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                ApplicationType = table.Column<string>(maxLength: 50, nullable: true),
                ClientId = table.Column<string>(maxLength: 100, nullable: true),
                ClientSecret = table.Column<string>(nullable: true),
                ClientType = table.Column<string>(maxLength: 50, nullable: true),
                ConcurrencyToken = table.Column<string>(maxLength: 50, nullable: true),
                ConsentType = table.Column<string>(maxLength: 50, nullable: true),
                DisplayName = table.Column<string>(nullable: true),
                DisplayNames = table.Column<string>(nullable: true),
                JsonWebKeySet = table.Column<string>(nullable: true),
                Permissions = table.Column<string>(nullable: true),
                PostLogoutRedirectUris = table.Column<string>(nullable: true),
                Properties = table.Column<string>(nullable: true),
                RedirectUris = table.Column<string>(nullable: true),
                Requirements = table.Column<string>(nullable: true),
                Settings = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_OpenIddictApplications", x => x.Id));

        migrationBuilder.CreateTable(
            name: "OpenIddictScopes",
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                ConcurrencyToken = table.Column<string>(maxLength: 50, nullable: true),
                Description = table.Column<string>(nullable: true),
                Descriptions = table.Column<string>(nullable: true),
                DisplayName = table.Column<string>(nullable: true),
                DisplayNames = table.Column<string>(nullable: true),
                Name = table.Column<string>(maxLength: 200, nullable: true),
                Properties = table.Column<string>(nullable: true),
                Resources = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_OpenIddictScopes", x => x.Id));

        migrationBuilder.CreateTable(
            name: "OpenIddictAuthorizations",
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                ApplicationId = table.Column<string>(nullable: true),
                ConcurrencyToken = table.Column<string>(maxLength: 50, nullable: true),
                CreationDate = table.Column<DateTime>(nullable: true),
                Properties = table.Column<string>(nullable: true),
                Scopes = table.Column<string>(nullable: true),
                Status = table.Column<string>(maxLength: 50, nullable: true),
                Subject = table.Column<string>(maxLength: 400, nullable: true),
                Type = table.Column<string>(maxLength: 50, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_OpenIddictAuthorizations", x => x.Id);
                table.ForeignKey(authorizationApplicationKey, x => x.ApplicationId, "OpenIddictApplications", "Id");
            });

        migrationBuilder.CreateTable(
            name: "OpenIddictTokens",
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                ApplicationId = table.Column<string>(nullable: true),
                AuthorizationId = table.Column<string>(nullable: true),
                ConcurrencyToken = table.Column<string>(maxLength: 50, nullable: true),
                CreationDate = table.Column<DateTime>(nullable: true),
                ExpirationDate = table.Column<DateTime>(nullable: true),
                Payload = table.Column<string>(nullable: true),
                Properties = table.Column<string>(nullable: true),
                RedemptionDate = table.Column<DateTime>(nullable: true),
                ReferenceId = table.Column<string>(maxLength: 100, nullable: true),
                Status = table.Column<string>(maxLength: 50, nullable: true),
                Subject = table.Column<string>(maxLength: 400, nullable: true),
                Type = table.Column<string>(maxLength: 150, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_OpenIddictTokens", x => x.Id);
                table.ForeignKey("FK_OpenIddictTokens_OpenIddictApplications_ApplicationId", x => x.ApplicationId, "OpenIddictApplications", "Id");
                table.ForeignKey("FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId", x => x.AuthorizationId, "OpenIddictAuthorizations", "Id");
            });

        migrationBuilder.CreateTable(
            name: "SigningKeys",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 64, nullable: false),
                PrivateKeyPem = table.Column<string>(maxLength: 8000, nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SigningKeys", x => x.Id));

        // The audit trail records the actor's role and partner, the resource's partner and a summary.
        migrationBuilder.AddColumn<string>("ActorRole", "AuditEntries", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>("ActorPartnerId", "AuditEntries", maxLength: 63, nullable: true);
        migrationBuilder.AddColumn<string>("PartnerId", "AuditEntries", maxLength: 63, nullable: true);
        migrationBuilder.AddColumn<string>("Summary", "AuditEntries", maxLength: 500, nullable: true);
        migrationBuilder.CreateIndex("IX_AuditEntries_PartnerId_Id", "AuditEntries", ["PartnerId", "Id"]);

        migrationBuilder.CreateIndex("IX_OpenIddictApplications_ClientId", "OpenIddictApplications", "ClientId", unique: true);
        migrationBuilder.CreateIndex("IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type", "OpenIddictAuthorizations", ["ApplicationId", "Status", "Subject", "Type"]);
        migrationBuilder.CreateIndex("IX_OpenIddictScopes_Name", "OpenIddictScopes", "Name", unique: true);
        migrationBuilder.CreateIndex("IX_OpenIddictTokens_ApplicationId_Status_Subject_Type", "OpenIddictTokens", ["ApplicationId", "Status", "Subject", "Type"]);
        migrationBuilder.CreateIndex("IX_OpenIddictTokens_AuthorizationId", "OpenIddictTokens", "AuthorizationId");
        migrationBuilder.CreateIndex("IX_OpenIddictTokens_ReferenceId", "OpenIddictTokens", "ReferenceId", unique: true);
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex("IX_AuditEntries_PartnerId_Id", "AuditEntries");
        foreach (var column in new[] { "Summary", "PartnerId", "ActorPartnerId", "ActorRole" })
        {
            // EF Core's SQLite provider refuses DropColumn in a migration without a model; SQLite itself drops columns.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql($"ALTER TABLE \"AuditEntries\" DROP COLUMN \"{column}\";");
            }
            else
            {
                migrationBuilder.DropColumn(column, "AuditEntries");
            }
        }
        migrationBuilder.DropTable("SigningKeys");
        migrationBuilder.DropTable("OpenIddictTokens");
        migrationBuilder.DropTable("OpenIddictAuthorizations");
        migrationBuilder.DropTable("OpenIddictScopes");
        migrationBuilder.DropTable("OpenIddictApplications");
        Initial.CreateClientCredentials(migrationBuilder);
    }
}
