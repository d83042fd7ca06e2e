using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerExchange.Data.Entities;

namespace PartnerExchange.Data;

/// <summary>
/// Inserts the new rows of the work-order write path (orders, revisits, outbox events, audit entries, idempotency
/// records) on SQLite with one kept, prepared statement per table, instead of EF Core's update pipeline. A create adds
/// four such rows, and EF Core sorted them, generated their SQL and parameters and read their keys back for every
/// SaveChanges: about half of the time of a create's SaveChanges, in the section where SQLite writers take turns.
/// </summary>
/// <remarks>
/// It acts only inside a transaction the caller began and only when the caller turned EF Core's automatic savepoints off
/// (<see cref="Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade.AutoSavepointsEnabled"/>): EF Core's own
/// savepoint is what undoes a failed save inside a transaction, so a caller without it undoes a failed save itself (the
/// shared work-order commit rolls the write back to its own savepoint, or the whole transaction). It also assumes the
/// save accepts its changes (no <c>SaveChanges(false)</c>). Within that, it acts only when every added entity is of
/// <see cref="Types"/> and nothing is deleted; otherwise EF Core saves everything as before. Rows go in the order of
/// <see cref="Types"/> (principals first), rows of one table in the order they were added, with EF Core's own type
/// mappings (the value converters of the model) and every mapped column; a property at its CLR default that has a
/// default value in the model gets that value, as the database default would give it when EF Core leaves the column
/// out. Generated keys come back by <c>RETURNING</c> and are set on the entries, so EF Core carries a new principal's
/// key into the rows that refer to it before they go in. The entities are then unchanged, as after EF Core's own save,
/// and EF Core saves what is left (modified rows). A failed insert throws <see cref="DbUpdateException"/>, as EF Core's
/// would. The inserts do not appear in EF Core's command log.
/// </remarks>
internal sealed class SqliteDirectInserts(SqliteStatementCache statements) : SaveChangesInterceptor
{
    /// <summary>The entity types inserted directly, principals before their dependants.</summary>
    public static readonly IReadOnlyList<Type> Types = [typeof(WorkOrder), typeof(WorkOrderRevisit), typeof(OutboxEvent), typeof(AuditEntry), typeof(IdempotencyRecord)];

    private readonly ConcurrentDictionary<(IEntityType Type, bool WithKey), Insert> _inserts = new();

    private long _inserted;

    /// <summary>Gets the instance every SQLite context shares.</summary>
    public static SqliteDirectInserts Instance { get; } = new(SqliteStatementCache.Instance);

    /// <summary>Gets how many rows were inserted directly (for tests).</summary>
    public long Inserted => Interlocked.Read(ref _inserted);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        Save(eventData.Context, result);

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Save(eventData.Context, result));

    /// <summary>Inserts the added rows when the rules above allow; suppresses EF Core's save when nothing is left for it.</summary>
    private InterceptionResult<int> Save(DbContext? context, InterceptionResult<int> result)
    {
        if (result.HasResult
            || context is null
            || context.Database.AutoSavepointsEnabled
            || context.Database.CurrentTransaction?.GetDbTransaction() is not SqliteTransaction { Connection: { } connection } transaction)
        {
            return result;
        }

        var added = new List<EntityEntry>();
        var left = false;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added when Rank(entry) >= 0:
                    added.Add(entry);
                    break;
                case EntityState.Added or EntityState.Deleted:
                    return result;
                case EntityState.Modified:
                    left = true;
                    break;
            }
        }

        if (added.Count == 0)
        {
            return result;
        }

        added = [.. added.OrderBy(Rank).ThenBy(e => TemporaryKey(e) ?? 0)];
        foreach (var entry in added)
        {
            Run(entry, connection, transaction);
        }

        foreach (var entry in added)
        {
            entry.State = EntityState.Unchanged;
        }

        Interlocked.Add(ref _inserted, added.Count);
        return left ? result : InterceptionResult<int>.SuppressWithResult(added.Count);
    }

    /// <summary>The entry's place in <see cref="Types"/>; -1 when it is not inserted directly.</summary>
    private static int Rank(EntityEntry entry)
    {
        var type = entry.Metadata.ClrType;
        for (var i = 0; i < Types.Count; i++)
        {
            if (Types[i] == type)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A row's temporary key: EF Core gives an added row one from an increasing (negative) sequence, so within a table rows
    /// go in the order they were added (EF Core's own save orders by it too); rows whose key was set go after those, in the
    /// order they were added (a stable sort).
    /// </summary>
    private static long? TemporaryKey(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey()!.Properties[0];
        var property = entry.Property(key.Name);
        return property.IsTemporary ? Convert.ToInt64(property.CurrentValue, CultureInfo.InvariantCulture) : null;
    }

    private void Run(EntityEntry entry, SqliteConnection connection, SqliteTransaction transaction)
    {
        var key = entry.Metadata.FindPrimaryKey()!.Properties[0];
        var keyEntry = entry.Property(key.Name);
        var insert = _inserts.GetOrAdd((entry.Metadata, !keyEntry.IsTemporary), Insert.For);
        var command = statements.Rent(connection, transaction, insert.Text);
        try
        {
            for (var i = 0; i < insert.Columns.Length; i++)
            {
                var column = insert.Columns[i];
                var value = entry.Property(column.Property.Name);
                var current = value.CurrentValue;
                if (column.Default is { } modelDefault && Equals(current, column.ClrDefault) && !Equals(current, modelDefault.Value))
                {
                    value.CurrentValue = current = modelDefault.Value;
                }

                command.Parameters.Add(column.Mapping.CreateParameter(command, column.Parameter, current, column.Property.IsNullable));
            }

            if (insert.Returns)
            {
                var generated = command.ExecuteScalar();
                keyEntry.CurrentValue = Convert.ChangeType(generated, key.ClrType, CultureInfo.InvariantCulture);
            }
            else
            {
                command.ExecuteNonQuery();
            }
        }
        catch (SqliteException failure)
        {
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", failure, [entry]);
        }
        finally
        {
            statements.Return(connection, command);
        }
    }

    /// <summary>
    /// A column of an insert: its parameter, property and type mapping, and the model's default value of the property if it
    /// has one, which a value at the CLR default (<paramref name="ClrDefault"/>) is replaced by.
    /// </summary>
    private sealed record Column(string Parameter, IProperty Property, RelationalTypeMapping Mapping, StrongBox<object?>? Default, object? ClrDefault);

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
            if (key.Count != 1 || type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
                || type.GetProperties().Any(p => p.IsShadowProperty() || p.GetDefaultValueSql(table) is not null || p.GetComputedColumnSql(table) is not null))
            {
                throw new NotSupportedException(
                    $"{type.DisplayName()} has a shape that direct inserts do not write (a composite key, owned or complex parts, shadow properties, or defaults computed by SQL).");
            }

            var properties = type.GetProperties().Where(p => withKey || p != key[0]).ToArray();
            var columns = properties.Select((p, i) => new Column(
                "@p" + i.ToString(CultureInfo.InvariantCulture),
                p,
                (RelationalTypeMapping)p.GetRelationalTypeMapping(),
                p.TryGetDefaultValue(out var modelDefault) ? new StrongBox<object?>(modelDefault) : null,
                p.ClrType.IsValueType ? Activator.CreateInstance(p.ClrType) : null)).ToArray();
            var names = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
            var values = string.Join(", ", columns.Select(c => c.Parameter));
            var returning = withKey ? string.Empty : " RETURNING " + Quote(key[0].GetColumnName(table)!);
            return new Insert($"INSERT INTO {Quote(table.Name)} ({names}) VALUES ({values}){returning};", columns, !withKey);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
