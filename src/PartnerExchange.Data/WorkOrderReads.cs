using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.ObjectPool;
using Npgsql;

namespace PartnerExchange.Data;

/// <summary>A work order as reads need it: its id, responsible partner, row version and stored API document.</summary>
/// <param name="Id">The order's id.</param>
/// <param name="PartnerId">The responsible partner, or <c>null</c> for the carrier's own departments.</param>
/// <param name="Version">The row version (the etag).</param>
/// <param name="Document">The order as the API shows it, protobuf-encoded, without name and etag.</param>
public sealed record StoredWorkOrder(long Id, string? PartnerId, int Version, byte[] Document);

/// <summary>
/// Reads one work order by id, the most frequent call of the API (integration systems poll their orders): a statement
/// prepared once on a connection kept open, taken from a small pool, so a read is one primary-key lookup with no query
/// translation, no connection opening and no statement preparation. Each read is its own autocommit statement, so it
/// sees every committed write, on SQLite (WAL) and PostgreSQL alike. A connection that failed is dropped, not reused.
/// </summary>
public sealed class WorkOrderReads : IDisposable
{
    private const string Sql = """SELECT "PartnerId", "Version", "Document" FROM "WorkOrders" WHERE "Id" = @id""";
    private readonly ObjectPool<Reader> _readers;

    internal WorkOrderReads(DatabaseSettings settings) =>
        _readers = new DefaultObjectPoolProvider { MaximumRetained = 4 * Environment.ProcessorCount }.Create(new ReaderPolicy(settings));

    /// <summary>The stored order <paramref name="id"/>, or <c>null</c> when there is none.</summary>
    public async Task<StoredWorkOrder?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        var reader = _readers.Get();
        try
        {
            var found = await reader.ReadAsync(id, cancellationToken);
            _readers.Return(reader);
            return found;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => (_readers as IDisposable)?.Dispose();

    /// <summary>One open connection with the prepared statement.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbParameter _id;

        public Reader(DatabaseSettings settings)
        {
            _connection = settings.Provider == DatabaseProvider.Sqlite
                ? new SqliteConnection(settings.ConnectionString)
                : new NpgsqlConnection(settings.ConnectionString);
            _connection.Open();
            _command = _connection.CreateCommand();
            _command.CommandText = Sql;
            _id = _command.CreateParameter();
            _id.ParameterName = "id";
            _id.DbType = System.Data.DbType.Int64;
            _id.Value = 0L;
            _command.Parameters.Add(_id);
            _command.Prepare();
        }

        public async Task<StoredWorkOrder?> ReadAsync(long id, CancellationToken cancellationToken)
        {
            _id.Value = id;
            await using var row = await _command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
            if (!await row.ReadAsync(cancellationToken))
            {
                return null;
            }

            return new StoredWorkOrder(id, row.IsDBNull(0) ? null : row.GetString(0), row.GetInt32(1), row.GetFieldValue<byte[]>(2));
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }

    private sealed class ReaderPolicy(DatabaseSettings settings) : IPooledObjectPolicy<Reader>
    {
        public Reader Create() => new(settings);

        public bool Return(Reader obj) => true;
    }
}
