using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace PartnerExchange.Data.Tests.Infrastructure;

/// <summary>
/// Describes a database schema as sorted lines (tables, columns with type, nullability and identity, keys, indexes with
/// uniqueness and columns, foreign keys with actions, constraint names), so two databases compare with Assert.Equal.
/// EF Core's own bookkeeping tables are left out.
/// </summary>
internal static partial class SchemaReader
{
    public static async Task<IReadOnlyList<string>> ReadAsync(PartnerExchangeDbContext db)
    {
        var lines = db.Database.IsSqlite() ? await ReadSqliteAsync(db) : await ReadPostgresAsync(db);
        return lines.Order(StringComparer.Ordinal).ToList();
    }

    private static bool IsEfBookkeeping(string table) => table.StartsWith("__EF", StringComparison.Ordinal);

    private static async Task<List<string>> ReadSqliteAsync(PartnerExchangeDbContext db)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'");
        foreach (var table in tables.Where(t => !IsEfBookkeeping(t[0])))
        {
            var name = table[0];
            var sql = table[1];
            lines.Add($"table {name} autoincrement={sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)}");
            lines.AddRange(ConstraintName().Matches(sql).Select(m => $"constraint {name}.{m.Groups[1].Value}"));
            foreach (var c in await QueryAsync(db, $"SELECT name, type, \"notnull\", pk, COALESCE(dflt_value, '') FROM pragma_table_info('{name}')"))
            {
                lines.Add($"column {name}.{c[0]} {c[1]} notnull={c[2]} pk={c[3]} default={c[4]}");
            }

            foreach (var i in await QueryAsync(db, $"SELECT name, \"unique\", origin, partial FROM pragma_index_list('{name}')"))
            {
                var columns = await QueryAsync(db, $"SELECT name FROM pragma_index_info('{i[0]}') ORDER BY seqno");
                lines.Add($"index {name}.{i[0]} unique={i[1]} origin={i[2]} partial={i[3]} ({string.Join(", ", columns.Select(x => x[0]))})");
            }

            foreach (var fk in (await QueryAsync(db, $"SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('{name}')"))
                .GroupBy(f => f[0]))
            {
                var parts = fk.OrderBy(f => int.Parse(f[1], CultureInfo.InvariantCulture)).ToList();
                lines.Add($"foreignkey {name}({string.Join(", ", parts.Select(p => p[3]))}) -> {parts[0][2]}({string.Join(", ", parts.Select(p => p[4]))}) "
                    + $"update={parts[0][5]} delete={parts[0][6]}");
            }
        }

        return lines;
    }

    private static async Task<List<string>> ReadPostgresAsync(PartnerExchangeDbContext db)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(db, """
            SELECT table_name, column_name, data_type, COALESCE(character_maximum_length::text, ''), is_nullable,
                   COALESCE(column_default, ''), is_identity, COALESCE(identity_generation, ''), COALESCE(collation_name, '')
            FROM information_schema.columns WHERE table_schema = 'public'
            """))
        {
            if (!IsEfBookkeeping(c[0]))
            {
                lines.Add($"column {c[0]}.{c[1]} {c[2]}({c[3]}) nullable={c[4]} default={c[5]} identity={c[6]} {c[7]} collation={c[8]}");
            }
        }

        foreach (var c in await QueryAsync(db, """
            SELECT t.relname, c.conname, c.contype::text, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public'
            """))
        {
            if (!IsEfBookkeeping(c[0]))
            {
                lines.Add($"constraint {c[0]}.{c[1]} {c[2]} {c[3]}");
            }
        }

        foreach (var i in await QueryAsync(db, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
        {
            if (!IsEfBookkeeping(i[0]))
            {
                lines.Add($"index {i[0]}.{i[1]} {i[2]}");
            }
        }

        foreach (var t in await QueryAsync(db, "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public'"))
        {
            if (!IsEfBookkeeping(t[0]))
            {
                lines.Add($"table {t[0]} {t[1]}");
            }
        }

        return lines;
    }

    /// <summary>Runs a query and returns every row as strings (NULL as empty).</summary>
    public static async Task<List<string[]>> QueryAsync(PartnerExchangeDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync().DefaultTimeout();
        }

        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
            var rows = new List<string[]>();
            while (await reader.ReadAsync().DefaultTimeout())
            {
                var row = new string[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? string.Empty : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                }

                rows.Add(row);
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync().DefaultTimeout();
            }
        }
    }

    [GeneratedRegex("CONSTRAINT \"([^\"]+)\"")]
    private static partial Regex ConstraintName();
}
