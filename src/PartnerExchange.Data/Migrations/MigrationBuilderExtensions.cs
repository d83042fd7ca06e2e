using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace PartnerExchange.Data.Migrations;

/// <summary>Helpers for the hand-written migrations, which must run unchanged on SQLite and PostgreSQL.</summary>
internal static class MigrationBuilderExtensions
{
    /// <summary>Marks a 64-bit key column as generated on insert, for both providers (each ignores the other's annotation).</summary>
    public static OperationBuilder<AddColumnOperation> Identity(this OperationBuilder<AddColumnOperation> column) =>
        column
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
