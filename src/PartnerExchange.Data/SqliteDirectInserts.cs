using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerExchange.Data.Entities;
using SQLitePCL;

namespace PartnerExchange.Data;

/// <summary>
/// Inserts the new rows of the work-order write path (orders, revisits, outbox events, audit entries, idempotency
/// records) on SQLite at once, with one kept, prepared statement per table and connection, bound and stepped directly
/// through SQLitePCLRaw (no command, parameter or reader objects per row), instead of tracking them for EF Core's
/// <c>SaveChanges</c>. A create adds four such rows, and EF Core's change tracking and update pipeline (entries, sorted
/// commands, SQL and parameters generated per call, keys read back) were most of the time of a create's save, in the
/// section where SQLite writers take turns.
/// </summary>
/// <remarks>
/// <see cref="DirectInserts.Insert{TEntity}"/> inserts directly only inside a transaction the caller began and only when
/// the caller turned EF Core's automatic savepoints off
/// (<see cref="Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade.AutoSavepointsEnabled"/>): EF Core's own
/// savepoint is what makes a failed save inside a transaction all-or-nothing, so a caller without it undoes a failed
/// write itself (the shared work-order commit rolls the write back to its own savepoint, or the whole transaction). Any
/// other caller, and any type not in <see cref="Types"/>, gets EF Core's <c>Add</c> as before. A row goes in when it is
/// inserted, so rows go in the order of the calls (a principal before the rows that refer to it), with EF Core's own type
/// mappings (the value converters of the model) and every mapped column; a property at its CLR default that has a
/// default value in the model gets that value, as the database default would give it when EF Core leaves the column
/// out. A generated key comes back by <c>RETURNING</c> and is set on the entity. The row is not tracked, so nothing may
/// change it afterwards, and what it refers to must be in the database already (foreign keys are checked at once, not at
/// the next <c>SaveChanges</c>). A failed insert
/// throws <see cref="DbUpdateException"/>, as EF Core's save would. The inserts do not appear in EF Core's command log.
/// </remarks>
internal sealed class SqliteDirectInserts(SqliteStatementCache statements)
{
    /// <summary>The entity types inserted directly.</summary>
    public static readonly IReadOnlySet<Type> Types = new HashSet<Type> { typeof(WorkOrder), typeof(WorkOrderRevisit), typeof(OutboxEvent), typeof(AuditEntry), typeof(IdempotencyRecord) };

    /// <summary>The provider types a column may have (after the model's value converter), as Microsoft.Data.Sqlite binds them.</summary>
    private static readonly IReadOnlySet<Type> Bindable = new HashSet<Type>
    {
        typeof(string), typeof(byte[]), typeof(long), typeof(int), typeof(short), typeof(byte), typeof(bool), typeof(double), typeof(float),
    };

    private readonly ConcurrentDictionary<(IEntityType Type, bool WithKey), Insert> _inserts = new();

    private long _inserted;

    /// <summary>Gets the instance <see cref="DirectInserts.Insert{TEntity}"/> uses.</summary>
    public static SqliteDirectInserts Instance { get; } = new(SqliteStatementCache.Instance);

    /// <summary>Gets how many rows were inserted directly (for tests).</summary>
    public long Inserted => Interlocked.Read(ref _inserted);

    /// <summary>Inserts <paramref name="row"/> at once when the rules above allow; false when it is left to the caller.</summary>
    public bool TryInsert(DbContext context, object row)
    {
        if (context.Database.AutoSavepointsEnabled
            || !Types.Contains(row.GetType())
            || context.Database.CurrentTransaction?.GetDbTransaction() is not SqliteTransaction { Connection: { } connection }
            || context.Model.FindEntityType(row.GetType()) is not { } type)
        {
            return false;
        }

        var key = type.FindPrimaryKey()!.Properties[0];
        var insert = _inserts.GetOrAdd((type, !Equals(key.GetGetter().GetClrValue(row), key.Sentinel)), Insert.For);
        var statement = statements.RentStatement(connection, insert.Text);
        try
        {
            for (var i = 0; i < insert.Columns.Length; i++)
            {
                var column = insert.Columns[i];
                var current = column.Property.GetGetter().GetClrValue(row);
                if (column.Default is { } modelDefault && Equals(current, column.ClrDefault) && !Equals(current, modelDefault.Value))
                {
                    column.Property.PropertyInfo!.SetValue(row, current = modelDefault.Value);
                }

                Bind(connection, statement, i + 1, current is null || column.Mapping.Converter is not { } converter ? current : converter.ConvertToProvider(current));
            }

            var done = raw.sqlite3_step(statement);
            if (insert.Returns && done == raw.SQLITE_ROW)
            {
                var generated = raw.sqlite3_column_int64(statement, 0);
                key.PropertyInfo!.SetValue(row, Convert.ChangeType(generated, key.ClrType, CultureInfo.InvariantCulture));
                done = raw.sqlite3_step(statement);
            }

            if (done != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(done, connection.Handle);
            }
        }
        catch (SqliteException failure)
        {
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", failure);
        }
        finally
        {
            statements.ReturnStatement(connection, insert.Text, statement);
        }

        Interlocked.Increment(ref _inserted);
        return true;
    }

    /// <summary>
    /// Binds a provider value to parameter <paramref name="index"/> as Microsoft.Data.Sqlite binds it: integers and
    /// booleans as INTEGER, floating point as REAL, text as TEXT, bytes as BLOB (an empty array as an empty BLOB, not NULL).
    /// </summary>
    private static void Bind(SqliteConnection connection, sqlite3_stmt statement, int index, object? value)
    {
        var bound = value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            string text => raw.sqlite3_bind_text(statement, index, text),
            byte[] { Length: 0 } => raw.sqlite3_bind_zeroblob(statement, index, 0),
            byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            short number => raw.sqlite3_bind_int64(statement, index, number),
            byte number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(statement, index, real),
            float real => raw.sqlite3_bind_double(statement, index, real),
            _ => throw new NotSupportedException($"A direct insert does not bind a {value.GetType()}."),
        };
        if (bound != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(bound, connection.Handle);
        }
    }

    /// <summary>
    /// A column of an insert: its property and type mapping, and the model's default value of the property if it has one,
    /// which a value at the CLR default (<paramref name="ClrDefault"/>) is replaced by. Bound at its position in the insert.
    /// </summary>
    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, StrongBox<object?>? Default, object? ClrDefault);

    /// <summary>The insert of one entity type: its text, and the properties bound as its parameters in order.</summary>
    private sealed record Insert(string Text, Column[] Columns, bool Returns)
    {
        /// <summary>
        /// The insert of every mapped column of the type's table; the key column too when the row has its key
        /// (<paramref name="plan"/>.WithKey), otherwise the generated key comes back by <c>RETURNING</c>.
        /// </summary>
        public static Insert For((IEntityType Type, bool WithKey) plan)
        {
            var (type, withKey) = plan;
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var key = type.FindPrimaryKey()!.Properties;
            if (key.Count != 1 || type.GetComplexProperties().Any() || type.GetNavigations().Any()
                || type.GetProperties().Any(p => p.PropertyInfo is null || p.GetDefaultValueSql(table) is not null || p.GetComputedColumnSql(table) is not null
                    || !Bindable.Contains(ProviderType(p))))
            {
                throw new NotSupportedException(
                    $"{type.DisplayName()} has a shape that direct inserts do not write (a composite key, navigations or complex parts, properties without a CLR property, defaults computed by SQL, or a stored type other than text, bytes, integers, booleans and floating point).");
            }

            var properties = type.GetProperties().Where(p => withKey || p != key[0]).ToArray();
            var columns = properties.Select(p => new Column(
                p,
                (RelationalTypeMapping)p.GetRelationalTypeMapping(),
                p.TryGetDefaultValue(out var modelDefault) ? new StrongBox<object?>(modelDefault) : null,
                p.ClrType.IsValueType ? Activator.CreateInstance(p.ClrType) : null)).ToArray();
            var names = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
            var values = string.Join(", ", properties.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)));
            var returning = withKey ? string.Empty : " RETURNING " + Quote(key[0].GetColumnName(table)!);
            return new Insert($"INSERT INTO {Quote(table.Name)} ({names}) VALUES ({values}){returning};", columns, !withKey);
        }

        /// <summary>The CLR type a property is stored as: its value converter's provider type, or its own, not nullable.</summary>
        private static Type ProviderType(IProperty property)
        {
            var mapping = property.GetRelationalTypeMapping();
            var stored = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            return Nullable.GetUnderlyingType(stored) ?? stored;
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>New rows of the work-order tables, inserted at once where <see cref="SqliteDirectInserts"/> allows.</summary>
public static class DirectInserts
{
    /// <summary>
    /// Adds a new row: inserted at once on SQLite inside a transaction whose caller turned EF Core's automatic savepoints
    /// off (see <see cref="SqliteDirectInserts"/>), otherwise tracked as added for the next <c>SaveChanges</c>.
    /// </summary>
    /// <typeparam name="TEntity">The row's entity type.</typeparam>
    /// <param name="db">The context whose transaction writes the row.</param>
    /// <param name="row">The new row.</param>
    public static void Insert<TEntity>(this PartnerExchangeDbContext db, TEntity row)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (!SqliteDirectInserts.Instance.TryInsert(db, row))
        {
            db.Add(row);
        }
    }
}
