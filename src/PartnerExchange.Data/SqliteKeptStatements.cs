using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PartnerExchange.Data;

/// <summary>
/// Statements of our own without parameters (a savepoint, a pragma, an aggregate) run on an open SQLite connection by a
/// statement kept prepared on it (<see cref="SqliteStatementCache"/>: reset after every run, finalized when the
/// connection closes), for the section where SQLite writers take turns: no command, reader or preparation per run.
/// </summary>
public static class SqliteKeptStatements
{
    /// <summary>Runs <paramref name="text"/> to its end (its rows, if any, are skipped).</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="text">One SQL statement without parameters.</param>
    public static void Execute(SqliteConnection connection, string text) => Run(connection, text, readFirst: false);

    /// <summary>The first column of the first row of <paramref name="text"/> as an integer; <c>null</c> for no row or NULL.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="text">One SQL query without parameters.</param>
    public static long? ScalarInt64(SqliteConnection connection, string text) => Run(connection, text, readFirst: true);

    private static long? Run(SqliteConnection connection, string text, bool readFirst)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var statements = SqliteStatementCache.Instance;
        var statement = statements.RentStatement(connection, text);
        try
        {
            var stepped = raw.sqlite3_step(statement);
            long? first = readFirst && stepped == raw.SQLITE_ROW && raw.sqlite3_column_type(statement, 0) != raw.SQLITE_NULL
                ? raw.sqlite3_column_int64(statement, 0)
                : null;
            while (stepped == raw.SQLITE_ROW)
            {
                stepped = raw.sqlite3_step(statement);
            }

            if (stepped != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(stepped, connection.Handle);
            }

            return first;
        }
        finally
        {
            statements.ReturnStatement(connection, text, statement);
        }
    }
}
