using Microsoft.Data.Sqlite;

namespace PartnerExchange.Data.Tests;

/// <summary><see cref="SqliteKeptStatements"/>: statements without parameters run by a statement kept on the connection.</summary>
public sealed class SqliteKeptStatementsTests
{
    [Fact]
    public void ScalarInt64_FirstColumnOfTheFirstRow_NullForNoRowOrNull()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SqliteKeptStatements.Execute(connection, "CREATE TABLE t (x INTEGER)");

        var empty = SqliteKeptStatements.ScalarInt64(connection, "SELECT max(x) FROM t");
        SqliteKeptStatements.Execute(connection, "INSERT INTO t VALUES (7), (3), (NULL)");
        var largest = SqliteKeptStatements.ScalarInt64(connection, "SELECT max(x) FROM t");
        var firstOfMany = SqliteKeptStatements.ScalarInt64(connection, "SELECT x FROM t ORDER BY x DESC");
        var firstIsNull = SqliteKeptStatements.ScalarInt64(connection, "SELECT x FROM t ORDER BY x");
        var noRow = SqliteKeptStatements.ScalarInt64(connection, "SELECT x FROM t WHERE x > 100");

        Assert.Equal((null, 7L, 7L, null, null), (empty, largest, firstOfMany, firstIsNull, noRow));
    }

    [Fact]
    public void Execute_SavepointsInATransaction_RolledBackToAndReleasedAsSqliteDoes()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SqliteKeptStatements.Execute(connection, "CREATE TABLE t (x INTEGER)");
        using var transaction = connection.BeginTransaction();

        for (var i = 0; i < 3; i++)
        {
            SqliteKeptStatements.Execute(connection, "SAVEPOINT write");
            SqliteKeptStatements.Execute(connection, "INSERT INTO t VALUES (1)");
            SqliteKeptStatements.Execute(connection, i == 1 ? "ROLLBACK TO write" : "RELEASE write");
        }

        transaction.Commit();
        Assert.Equal(2L, SqliteKeptStatements.ScalarInt64(connection, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void Execute_FailingStatement_SqliteExceptionAndTheStatementUsableAgain()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SqliteKeptStatements.Execute(connection, "CREATE TABLE t (x INTEGER UNIQUE)");
        SqliteKeptStatements.Execute(connection, "INSERT INTO t VALUES (1)");

        var failure = Assert.Throws<SqliteException>(() => SqliteKeptStatements.Execute(connection, "INSERT INTO t VALUES (1)"));
        SqliteKeptStatements.Execute(connection, "DELETE FROM t");
        SqliteKeptStatements.Execute(connection, "INSERT INTO t VALUES (1)");

        Assert.Equal(19, failure.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1L, SqliteKeptStatements.ScalarInt64(connection, "SELECT count(*) FROM t"));
    }
}
