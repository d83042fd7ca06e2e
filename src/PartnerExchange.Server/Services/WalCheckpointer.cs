using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data;
using SQLitePCL;

namespace PartnerExchange.Server.Services;

/// <summary>Settings of the <see cref="WalCheckpointer"/> (<c>Sqlite:CheckpointPages</c>).</summary>
/// <param name="Pages">The pages shared commits add to the log before it is copied back (default 4,000: 16 MiB of 4-KiB pages).</param>
internal sealed record WalCheckpointSettings(int Pages);

/// <summary>
/// Copies the SQLite write-ahead log back into the database file beside the shared work-order commits instead of
/// inside them. SQLite's own automatic checkpoint runs in the commit that takes the log past 1,000 pages, so under load
/// every few shared commits waited for a checkpoint in the writers' turn (a quarter of the turn's time). Each shared
/// transaction turns that off on the writers' connection (<see cref="Defer"/>) and counts the pages its commit added to
/// the log (<see cref="Committed"/>); once they reach <see cref="WalCheckpointSettings.Pages"/>, this service checkpoints on its own
/// connection in two passes: the bulk while the writers go on, then what they added meanwhile while holding the
/// writers' turn (<see cref="WriterQueue.Gate"/>), so that the log is copied whole and the next commit starts it again
/// from its beginning. The log therefore stays about that many pages and one pass's writes long.
/// A passive checkpoint alone, without the turn, never catches up under constant commits and lets the log grow without
/// bound. When eight times as many pages wait (this service stopped, or another process keeps the log from being
/// copied whole), shared commits checkpoint themselves again as SQLite does by default, which bounds the log in every case.
/// Durability is unchanged: a checkpoint with <c>synchronous=FULL</c> syncs the log before copying and the file after.
/// Nothing here on PostgreSQL or on a database that is not a file in WAL mode.
/// </summary>
internal sealed partial class WalCheckpointer(
    IDbContextFactory<PartnerExchangeDbContext> contexts, WriterQueue writers, WalCheckpointSettings settings, ILogger<WalCheckpointer> logger)
    : BackgroundService
{
    /// <summary>SQLite's default automatic checkpoint, in log pages.</summary>
    private const int SqliteDefaultAutoCheckpoint = 1000;

    private readonly SemaphoreSlim _due = new(0, 1);
    private int _pagesSinceCheckpoint;
    private int _checkpoints;
    private volatile bool _running;

    /// <summary>Gets the pages waiting to be copied back at which shared commits checkpoint themselves again.</summary>
    public int BehindPages => 8 * settings.Pages;

    /// <summary>Gets how many whole checkpoints this service made (for tests).</summary>
    public int Checkpoints => Volatile.Read(ref _checkpoints);

    /// <summary>
    /// Leaves the log of the shared commits on the open <paramref name="connection"/> to this service while it runs and
    /// keeps up; otherwise SQLite's automatic checkpoint stays on. Undo with <see cref="Restore"/>.
    /// </summary>
    public void Defer(SqliteConnection connection)
    {
        var deferred = _running && Volatile.Read(ref _pagesSinceCheckpoint) < BehindPages;
        raw.sqlite3_wal_autocheckpoint(connection.Handle, deferred ? 0 : SqliteDefaultAutoCheckpoint);
        raw.sqlite3_db_status(connection.Handle, raw.SQLITE_DBSTATUS_CACHE_WRITE, out _, out _, 1);
    }

    /// <summary>Turns SQLite's automatic checkpoint back on for <paramref name="connection"/> (before it closes and its handle goes back to the pool).</summary>
    public static void Restore(SqliteConnection connection) => raw.sqlite3_wal_autocheckpoint(connection.Handle, SqliteDefaultAutoCheckpoint);

    /// <summary>
    /// Counts the pages a shared commit on <paramref name="connection"/> added to the log (since <see cref="Defer"/> or
    /// the last call); past <see cref="WalCheckpointSettings.Pages"/> it asks for a checkpoint.
    /// </summary>
    public void Committed(SqliteConnection connection)
    {
        raw.sqlite3_db_status(connection.Handle, raw.SQLITE_DBSTATUS_CACHE_WRITE, out var pages, out _, 1);
        Counted(pages);
    }

    /// <summary>Counts <paramref name="pages"/> added to the log; past <see cref="WalCheckpointSettings.Pages"/> it asks for a checkpoint.</summary>
    public void Counted(int pages)
    {
        if (Interlocked.Add(ref _pagesSinceCheckpoint, pages) >= settings.Pages && _due.CurrentCount == 0)
        {
            try
            {
                _due.Release();
            }
            catch (SemaphoreFullException)
            {
                // Asked already.
            }
        }
    }

    /// <summary>
    /// One checkpoint in two passes on <paramref name="connection"/> (see the class); true when the whole log was copied.
    /// </summary>
    public async Task<bool> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        Passive(connection);
        await writers.Gate.WaitAsync(cancellationToken);
        try
        {
            var (log, copied) = Passive(connection);
            if (log < 0 || log != copied)
            {
                // Another connection was checkpointing, or a reader of another process still reads an older part of the
                // log: it is copied next time (and the pages keep counting towards the fallback).
                return false;
            }

            Volatile.Write(ref _pagesSinceCheckpoint, 0);
            Interlocked.Increment(ref _checkpoints);
            return true;
        }
        finally
        {
            writers.Gate.Release();
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var db = await contexts.CreateDbContextAsync(stoppingToken);
        if (!writers.OnSqlite(db))
        {
            return;
        }

        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(stoppingToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode";
            if (await command.ExecuteScalarAsync(stoppingToken) is not "wal")
            {
                return;
            }
        }

        _running = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _due.WaitAsync(stoppingToken);
                try
                {
                    await CheckpointAsync(connection, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCheckpointFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: closing the last connection copies the log back.
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>
    /// A passive checkpoint (never waits for readers or writers): the log's length and how much of it is copied, in
    /// pages; (-1, -1) when another connection was checkpointing (SQLITE_BUSY).
    /// </summary>
    private static (int Log, int Copied) Passive(SqliteConnection connection)
    {
        var rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var log, out var copied);
        if (rc == raw.SQLITE_BUSY)
        {
            return (-1, -1);
        }

        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return (log, copied);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A checkpoint of the SQLite write-ahead log failed; the next shared commit asks again.")]
    private partial void LogCheckpointFailed(Exception exception);
}
