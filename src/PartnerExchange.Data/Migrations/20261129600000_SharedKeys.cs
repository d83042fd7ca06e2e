using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PartnerExchange.Data.Migrations;

/// <summary>
/// Lets every instance on the database share the keys of people's sign-in: ASP.NET Core Data Protection's key ring
/// (the sign-in cookie and antiforgery tokens) in <c>DataProtectionKeys</c>, and on <c>SigningKeys</c> the purpose of
/// each key, so the Development encryption key of authorization and device codes is kept beside the signing keys.
/// Existing rows are signing keys.
/// </summary>
[DbContext(typeof(PartnerExchangeDbContext))]
[Migration(Id)]
public sealed class SharedKeys : Migration
{
    /// <summary>The migration id.</summary>
    public const string Id = "20261129600000_SharedKeys";

    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<string>("Purpose", "SigningKeys", maxLength: 32, nullable: false, defaultValue: "Signing");

        migrationBuilder.CreateTable(
            name: "DataProtectionKeys",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false).Identity(),
                FriendlyName = table.Column<string>(nullable: true),
                Xml = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_DataProtectionKeys", x => x.Id));
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("DataProtectionKeys");

        // Encryption keys have no place in a table of signing keys only.
        migrationBuilder.Sql("DELETE FROM \"SigningKeys\" WHERE \"Purpose\" <> 'Signing';");

        // EF Core's SQLite provider refuses DropColumn in a migration without a model; SQLite itself drops columns.
        if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            migrationBuilder.Sql("ALTER TABLE \"SigningKeys\" DROP COLUMN \"Purpose\";");
        }
        else
        {
            migrationBuilder.DropColumn("Purpose", "SigningKeys");
        }
    }
}
