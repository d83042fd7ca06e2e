using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace PartnerExchange.Data;

/// <summary>
/// Keeps the SQLite statements of EF Core's commands prepared for the rest of a transaction. Microsoft.Data.Sqlite
/// prepares a command's statements when it first runs and keeps them as long as the command and its open connection
/// live; EF Core makes a new command for every query and every SaveChanges, so in one transaction (a shared work-order
/// commit runs up to 64 creates, each the same inserts) every statement was parsed and planned again: a fifth of the
/// time of a create. A command text that runs a second time inside a transaction runs from then on as an equal command
/// kept per connection and text, with EF Core's own parameters (the first run is EF Core's own command, so a transaction
/// of one write keeps nothing). Outside a transaction EF Core closes the connection after each command,
/// and closing drops every prepared statement anyway: such commands run as they are. A kept command in use (its reader
/// still open) is never lent twice; a connection keeps at most <see cref="MaxPerConnection"/> texts.
/// </summary>
internal sealed class SqliteStatementCache : DbCommandInterceptor
{
    /// <summary>The most command texts one connection keeps prepared; past it, the idle ones are dropped and kept anew.</summary>
    public const int MaxPerConnection = 64;

    private readonly ConditionalWeakTable<SqliteConnection, Kept> _connections = new();

    private long _reused;

    /// <summary>Gets the instance every context shares: it keeps its commands per connection.</summary>
    public static SqliteStatementCache Instance { get; } = new();

    /// <summary>Gets how many commands ran as a kept command already prepared (for tests).</summary>
    public long Reused => Interlocked.Read(ref _reused);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (result.HasResult || Lend(command) is not var (kept, lent))
        {
            return result;
        }

        try
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(kept.Open(lent, lent.ExecuteReader()));
        }
        catch
        {
            kept.Return(lent);
            throw;
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || Lend(command) is not var (kept, lent))
        {
            return result;
        }

        try
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(kept.Open(lent, await lent.ExecuteReaderAsync(cancellationToken)));
        }
        catch
        {
            kept.Return(lent);
            throw;
        }
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Close(command, eventData.DataReader);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Close(command, eventData.DataReader);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Close(command, eventData.DataReader);
        return result;
    }

    /// <summary>A reader of a kept command ends (closed or disposed, whichever EF Core does first): its command goes back.</summary>
    private void Close(DbCommand command, DbDataReader reader)
    {
        if (command.Connection is SqliteConnection connection && _connections.TryGetValue(connection, out var kept))
        {
            kept.Close(reader);
        }
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Run(command, result, lent => lent.ExecuteNonQuery());

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        RunAsync(command, result, lent => lent.ExecuteNonQueryAsync(cancellationToken));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Run(command, result, lent => lent.ExecuteScalar()!);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        RunAsync(command, result, async lent => (await lent.ExecuteScalarAsync(cancellationToken))!);

    /// <summary>
    /// The SQLite statement of <paramref name="text"/> kept prepared on <paramref name="connection"/> (prepared at its
    /// first rent), for a statement of our own bound and stepped directly; give it back with <see cref="ReturnStatement"/>.
    /// Finalized when the connection closes, like the kept commands.
    /// </summary>
    internal sqlite3_stmt RentStatement(SqliteConnection connection, string text) =>
        _connections.GetValue(connection, Kept.For).TakeStatement(connection, text);

    /// <summary>
    /// Gives back a statement of <see cref="RentStatement"/> of <paramref name="text"/>, reset (so that it holds no lock)
    /// and its bindings cleared; finalized instead when the connection closed meanwhile.
    /// </summary>
    internal void ReturnStatement(SqliteConnection connection, string text, sqlite3_stmt statement)
    {
        raw.sqlite3_reset(statement);
        raw.sqlite3_clear_bindings(statement);
        if (connection.State != System.Data.ConnectionState.Open || !_connections.TryGetValue(connection, out var kept) || !kept.ReturnStatement(text, statement))
        {
            statement.Dispose();
        }
    }

    /// <summary>Runs a command that leaves nothing open (no reader) as its kept command, which goes back at once.</summary>
    private InterceptionResult<T> Run<T>(DbCommand command, InterceptionResult<T> result, Func<SqliteCommand, T> run)
    {
        if (result.HasResult || Lend(command) is not var (kept, lent))
        {
            return result;
        }

        try
        {
            return InterceptionResult<T>.SuppressWithResult(run(lent));
        }
        finally
        {
            kept.Return(lent);
        }
    }

    /// <inheritdoc cref="Run{T}"/>
    private async ValueTask<InterceptionResult<T>> RunAsync<T>(DbCommand command, InterceptionResult<T> result, Func<SqliteCommand, Task<T>> run)
    {
        if (result.HasResult || Lend(command) is not var (kept, lent))
        {
            return result;
        }

        try
        {
            return InterceptionResult<T>.SuppressWithResult(await run(lent));
        }
        finally
        {
            kept.Return(lent);
        }
    }

    /// <summary>The kept command for <paramref name="command"/>, set up to run as it would; null outside a transaction.</summary>
    private (Kept Kept, SqliteCommand Lent)? Lend(DbCommand command)
    {
        if (command is not SqliteCommand { Connection: { } connection, Transaction: { } transaction } source)
        {
            return null;
        }

        var kept = _connections.GetValue(connection, Kept.For);
        if (kept.Take(connection, source.CommandText) is not var (lent, reused))
        {
            return null;
        }

        if (reused)
        {
            Interlocked.Increment(ref _reused);
        }

        lent.Transaction = transaction;
        lent.CommandTimeout = source.CommandTimeout;
        lent.Parameters.Clear();
        foreach (SqliteParameter parameter in source.Parameters)
        {
            lent.Parameters.Add(parameter);
        }

        return (kept, lent);
    }

    /// <summary>
    /// One connection's kept commands by text, and those lent to an open reader; dropped when the connection closes.
    /// Closing gives the connection's SQLite handle back to Microsoft.Data.Sqlite's pool and disposes the commands it
    /// tracks; a command used again after that would prepare on the next handle untracked, and its statements would
    /// outlive the next close on a handle that another connection may then take.
    /// </summary>
    private sealed class Kept
    {
        private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);
        private readonly Dictionary<DbDataReader, SqliteCommand> _reading = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

        public static Kept For(SqliteConnection connection)
        {
            var kept = new Kept();
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == System.Data.ConnectionState.Closed)
                {
                    kept.Drop();
                }
            };
            return kept;
        }

        /// <summary>
        /// The kept command of <paramref name="text"/>; null the first time the text runs since the connection opened
        /// (it runs as EF Core's own command: a transaction of one write keeps nothing).
        /// </summary>
        public (SqliteCommand Command, bool Reused)? Take(SqliteConnection connection, string text)
        {
            if (_idle.Remove(text, out var command))
            {
                return (command, true);
            }

            if (_seen.Count >= 4 * MaxPerConnection)
            {
                _seen.Clear();
            }

            if (_seen.Add(text))
            {
                return null;
            }

            if (_idle.Count >= MaxPerConnection)
            {
                DropIdle();
            }

            command = connection.CreateCommand();
            command.CommandText = text;
            return (command, false);
        }

        public DbDataReader Open(SqliteCommand command, DbDataReader reader)
        {
            _reading[reader] = command;
            return reader;
        }

        public void Close(DbDataReader reader)
        {
            if (_reading.Remove(reader, out var command))
            {
                // The reader ends first (it may still run the text's later statements, with the parameters bound);
                // EF Core's own disposal of it afterwards does nothing.
                reader.Dispose();
                Return(command);
            }
        }

        /// <summary>
        /// The kept statement of <paramref name="text"/>, prepared now when none is kept (a statement lent is out of the
        /// dictionary until it comes back, so it is never lent twice).
        /// </summary>
        public sqlite3_stmt TakeStatement(SqliteConnection connection, string text)
        {
            if (_statements.Remove(text, out var statement))
            {
                return statement;
            }

            if (_statements.Count >= MaxPerConnection)
            {
                DropStatements();
            }

            var prepared = raw.sqlite3_prepare_v2(connection.Handle, text, out statement);
            if (prepared != raw.SQLITE_OK)
            {
                statement?.Dispose();
                SqliteException.ThrowExceptionForRC(prepared, connection.Handle);
            }

            return statement!;
        }

        /// <summary>Keeps a statement given back; false when one of its text is kept already.</summary>
        public bool ReturnStatement(string text, sqlite3_stmt statement) => _statements.TryAdd(text, statement);

        /// <summary>Drops everything kept (the connection closed).</summary>
        public void Drop()
        {
            DropIdle();
            DropStatements();
            foreach (var command in _reading.Values)
            {
                command.Dispose();
            }

            _reading.Clear();
            _seen.Clear();
        }

        /// <summary>Drops the kept commands not in use; those with an open reader stay until their reader ends.</summary>
        private void DropIdle()
        {
            foreach (var command in _idle.Values)
            {
                command.Dispose();
            }

            _idle.Clear();
        }

        public void Return(SqliteCommand command)
        {
            command.Parameters.Clear();
            command.Transaction = null;
            if (command.Connection?.State != System.Data.ConnectionState.Open || !_idle.TryAdd(command.CommandText, command))
            {
                command.Dispose();
            }
        }

        /// <summary>Finalizes the kept statements not lent out.</summary>
        private void DropStatements()
        {
            foreach (var statement in _statements.Values)
            {
                statement.Dispose();
            }

            _statements.Clear();
        }
    }
}
