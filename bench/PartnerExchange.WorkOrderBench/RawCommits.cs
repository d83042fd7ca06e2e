using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PartnerExchange.WorkOrderBench;

/// <summary>
/// The raw durable commit rate of the disk: one connection (the SQLite build the server uses), write-ahead logging as
/// the server's database, <c>synchronous=FULL</c>, and one single-row INSERT per transaction, for <c>--seconds</c>.
/// The file <c>--db</c> is created afresh and deleted afterwards; <c>--warmup-commits</c> untimed commits go first.
/// </summary>
internal static class RawCommits
{
    public static int Run(Options options)
    {
        var path = options.String("db");
        var seconds = options.Double("seconds", 5);
        Delete(path);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE Commits (Id INTEGER PRIMARY KEY, At INTEGER NOT NULL, Payload BLOB NOT NULL);");
            var synchronous = Scalar(connection, "PRAGMA synchronous");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Commits (At, Payload) VALUES ($at, $payload)";
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            insert.Parameters.AddWithValue("$payload", new byte[200]);
            // Untimed commits first (--warmup-commits, default 1500): past the first checkpoint (1000 pages) the WAL is
            // written from its start again instead of growing, as in a server that has been running for a while; a
            // growing file's fsync also commits its new size.
            for (var i = 0; i < options.Int("warmup-commits", 1500); i++)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                at.Value = i;
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            var latencies = new List<double>();
            var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < end)
            {
                var begin = Stopwatch.GetTimestamp();
                using (var transaction = connection.BeginTransaction())
                {
                    insert.Transaction = transaction;
                    at.Value = begin;
                    insert.ExecuteNonQuery();
                    transaction.Commit();
                }

                latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            latencies.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                commits = latencies.Count,
                seconds = elapsed,
                commits_per_second = latencies.Count / elapsed,
                p50_ms = Percentiles.Of(latencies, 0.50),
                p99_ms = Percentiles.Of(latencies, 0.99),
                synchronous = synchronous?.ToString(),
                sqlite_version = connection.ServerVersion,
            }));
        }

        Delete(path);
        return 0;
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
