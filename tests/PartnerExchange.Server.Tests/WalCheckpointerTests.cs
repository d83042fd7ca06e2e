using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Server.Services;
using static PartnerExchange.Server.Tests.WorkOrderKit;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// The write-ahead log of the shared work-order commits is copied back beside them (<see cref="WalCheckpointer"/>):
/// it stays bounded however many orders are written, and shared commits checkpoint themselves again as SQLite does by
/// default while the checkpointer falls behind.
/// </summary>
public sealed class WalCheckpointerTests
{
    /// <summary>A short log (the default is 4,000 pages), so that a few hundred orders fill it several times.</summary>
    private static readonly string[] ShortLog = ["--Sqlite:CheckpointPages=300"];

    [Fact]
    public async Task SharedCreates_LogCopiedBackBesideThem_DoesNotGrowWithTheOrdersWritten()
    {
        await using var server = await TestServer.StartAsync(null, ShortLog);
        var checkpointer = server.Services.GetRequiredService<WalCheckpointer>();
        var log = new FileInfo(Path.Combine(server.Directory, "px.db-wal"));
        var before = (await server.WrittenAsync()).Orders;

        await CreateManyAsync(server, 300);
        await UntilAsync(() => checkpointer.Checkpoints > 0);
        log.Refresh();
        var afterFirst = log.Length;
        var checkpoints = checkpointer.Checkpoints;

        await CreateManyAsync(server, 900);
        await UntilAsync(() => checkpointer.Checkpoints > checkpoints);
        log.Refresh();

        // The log file keeps the largest length it reached: three times the orders in a log that is never copied back
        // whole makes it about four times as long.
        Assert.True(log.Length < 2 * afterFirst, $"the log grew from {afterFirst} to {log.Length} bytes");
        Assert.Equal(before + 1200, (await server.WrittenAsync()).Orders);
    }

    [Fact]
    public async Task Defer_WhileTheCheckpointerKeepsUp_AutomaticCheckpointOffFallsBehind_OnAgain()
    {
        await using var server = await TestServer.StartAsync(null, ShortLog);
        var checkpointer = server.Services.GetRequiredService<WalCheckpointer>();
        var writers = server.Services.GetRequiredService<WriterQueue>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.Directory, "px.db")}");
        await connection.OpenAsync();
        await UntilAsync(() => AutoCheckpointAfter(checkpointer, connection) == 0);

        // The writers' turn held: the checkpointer cannot finish, and the pages pile up past BehindPages.
        await writers.Gate.WaitAsync();
        try
        {
            checkpointer.Counted(checkpointer.BehindPages);

            Assert.Equal(1000, AutoCheckpointAfter(checkpointer, connection));
        }
        finally
        {
            writers.Gate.Release();
        }

        await UntilAsync(() => AutoCheckpointAfter(checkpointer, connection) == 0);
        WalCheckpointer.Restore(connection);
        Assert.Equal(1000, AutoCheckpoint(connection));
    }

    [Fact]
    public async Task CheckpointAsync_AnotherConnectionHoldsTheCheckpointLock_NotCountedAsCopied()
    {
        await using var server = await TestServer.StartAsync(null, ShortLog);
        var checkpointer = server.Services.GetRequiredService<WalCheckpointer>();
        await server.CreateAsync(Enquiry());
        var file = $"Data Source={Path.Combine(server.Directory, "px.db")};Pooling=False";
        await using var writer = new SqliteConnection(file);
        await using var blocker = new SqliteConnection(file);
        await using var own = new SqliteConnection(file);
        await Task.WhenAll(writer.OpenAsync(), blocker.OpenAsync(), own.OpenAsync());
        Execute(writer, "BEGIN IMMEDIATE");

        // A full checkpoint takes the checkpoint lock, then waits for the writer inside SQLite's busy handler.
        var blocked = Task.Run(() => Execute(blocker, "PRAGMA busy_timeout=3000; PRAGMA wal_checkpoint(FULL)"));
        await Task.Delay(300);
        var before = checkpointer.Checkpoints;
        var copied = await checkpointer.CheckpointAsync(own, CancellationToken.None);
        Execute(writer, "ROLLBACK");
        await blocked;

        Assert.False(copied);
        Assert.Equal(before, checkpointer.Checkpoints);
    }

    [Fact]
    public async Task CreateWorkOrder_UnknownPartners_NotKeptByTheWritersTurn()
    {
        await using var server = await TestServer.StartAsync(null);
        var writers = server.Services.GetRequiredService<WriterQueue>();

        for (var i = 0; i < 20; i++)
        {
            var error = await FailsAsync(() => server.CreateAsync(Enquiry("partners/si-unknown-" + i)));
            Assert.Equal(Grpc.Core.StatusCode.NotFound, error.StatusCode);
        }

        await server.CreateAsync(Enquiry());

        Assert.Equal(1, writers.KeptPartners);
    }

    [Fact]
    public async Task Defer_CheckpointerNotRunning_AutomaticCheckpointStaysOn()
    {
        await using var server = await TestServer.StartAsync(null);
        var stopped = ActivatorUtilities.CreateInstance<WalCheckpointer>(server.Services);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.Directory, "px.db")}");
        await connection.OpenAsync();

        Assert.Equal(1000, AutoCheckpointAfter(stopped, connection));
    }

    private static async Task CreateManyAsync(TestServer server, int count)
    {
        const int Callers = 12;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
        {
            for (var i = caller; i < count; i += Callers)
            {
                await server.CreateAsync(Enquiry());
            }
        }));
    }

    private static void Execute(SqliteConnection connection, string text)
    {
        using var command = connection.CreateCommand();
        command.CommandText = text;
        command.ExecuteNonQuery();
    }

    private static long AutoCheckpointAfter(WalCheckpointer checkpointer, SqliteConnection connection)
    {
        checkpointer.Defer(connection);
        return AutoCheckpoint(connection);
    }

    private static long AutoCheckpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.True(waited < 10_000, "not within 10 s");
            await Task.Delay(20);
        }
    }
}
