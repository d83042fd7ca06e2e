using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Tests.Infrastructure;

namespace PartnerExchange.Data.Tests;

/// <summary>
/// <see cref="SqliteStatementCache"/>: inside a transaction EF Core's commands run as kept, prepared commands, with the
/// same results and failures as before; connections that close and reopen (and so trade SQLite handles through the
/// pool) never run a statement kept from an earlier handle.
/// </summary>
public sealed class SqliteStatementCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveChanges_SameInsertThriceInOneTransaction_KeptFromTheSecondReusedByTheThirdAllStored()
    {
        // Arrange
        await using var database = await MigratedAsync();
        var cache = new SqliteStatementCache();
        await using var db = Context(database, cache);

        // Act
        await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
        {
            db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
            await db.SaveChangesAsync().DefaultTimeout();
            db.Partners.Add(MigrationSchemaTests.NewPartner("si-b", T0));
            await db.SaveChangesAsync().DefaultTimeout();
            db.Partners.Add(MigrationSchemaTests.NewPartner("si-c", T0));
            await db.SaveChangesAsync().DefaultTimeout();
            Assert.Equal(3, await db.Partners.CountAsync().DefaultTimeout());
            await transaction.CommitAsync().DefaultTimeout();
        }

        // Assert
        Assert.True(cache.Reused >= 1, $"expected the third insert to reuse the command kept at the second; reused {cache.Reused}");
        await using var read = database.CreateContext();
        Assert.Equal(["si-a", "si-b", "si-c"], await read.Partners.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Commands_OutsideTransactions_RunAsTheyAre()
    {
        // Arrange: the connection held open, so only the missing transaction keeps the commands from being kept.
        await using var database = await MigratedAsync();
        var cache = new SqliteStatementCache();
        await using var db = Context(database, cache);
        await db.Database.OpenConnectionAsync().DefaultTimeout();

        // Act
        for (var i = 0; i < 4; i++)
        {
            db.Partners.Add(MigrationSchemaTests.NewPartner($"si-{i}", T0));
            await db.SaveChangesAsync().DefaultTimeout();
            await db.Partners.CountAsync().DefaultTimeout();
        }

        // Assert
        Assert.Equal(0, cache.Reused);
        Assert.Equal(4, await db.Partners.CountAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Query_SameTextWhileItsKeptReaderIsOpen_RunsOnAnotherCommandAndBothReadEverything()
    {
        // Arrange
        await using var database = await MigratedAsync();
        var cache = new SqliteStatementCache();
        await using var db = Context(database, cache);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        var query = await KeptQueryOfThreePartnersAsync(db);

        // Act: stream the kept query and run the same text inside the loop.
        var outer = new List<string>();
        var inner = new List<int>();
        await foreach (var id in query.AsAsyncEnumerable())
        {
            outer.Add(id);
            inner.Add((await query.ToListAsync().DefaultTimeout()).Count);
        }

        // Assert
        Assert.Equal(["si-a", "si-b", "si-c"], outer);
        Assert.Equal([3, 3, 3], inner);
        Assert.True(cache.Reused >= 2, $"expected the kept query to be reused; reused {cache.Reused}");
    }

    [Fact]
    public async Task Query_ManyOtherTextsKeptWhileAKeptReaderIsOpen_TheOpenReaderReadsOn()
    {
        // Arrange: a kept query streaming inside a transaction.
        await using var database = await MigratedAsync();
        var cache = new SqliteStatementCache();
        await using var db = Context(database, cache);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        var query = await KeptQueryOfThreePartnersAsync(db);
        var streamed = new List<string>();
        await using var rows = query.AsAsyncEnumerable().GetAsyncEnumerator();
        Assert.True(await rows.MoveNextAsync());
        streamed.Add(rows.Current);

        // Act: more texts than a connection keeps, each run twice (so each is kept).
        for (var i = 0; i < SqliteStatementCache.MaxPerConnection + 6; i++)
        {
            var text = "SELECT " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " AS \"Value\"";
            for (var run = 0; run < 2; run++)
            {
                Assert.Equal([i], await db.Database.SqlQueryRaw<int>(text).ToListAsync().DefaultTimeout());
            }
        }

        while (await rows.MoveNextAsync())
        {
            streamed.Add(rows.Current);
        }

        // Assert
        Assert.Equal(["si-a", "si-b", "si-c"], streamed);
    }

    [Fact]
    public async Task SaveChanges_KeptInsertFailsOnDuplicate_FailsAsBeforeAndTheNextInsertStillStores()
    {
        // Arrange
        await using var database = await MigratedAsync();
        var cache = new SqliteStatementCache();
        await using var db = Context(database, cache);
        await using var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout();
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        await db.SaveChangesAsync().DefaultTimeout();
        db.ChangeTracker.Clear();

        // Act
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-a", T0));
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync().DefaultTimeout());
        db.ChangeTracker.Clear();
        db.Partners.Add(MigrationSchemaTests.NewPartner("si-b", T0));
        await db.SaveChangesAsync().DefaultTimeout();
        await transaction.CommitAsync().DefaultTimeout();

        // Assert
        Assert.IsType<SqliteException>(failure.InnerException);
        Assert.True(cache.Reused >= 1, $"expected the last insert to run the command kept at the failed one; reused {cache.Reused}");
        await using var read = database.CreateContext();
        Assert.Equal(["si-a", "si-b"], await read.Partners.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Transactions_ReopenedOnAnotherPooledHandle_NeverRunAStatementOfTheEarlierHandle()
    {
        // Arrange: two contexts alternate transactions with the same statements. Each commit closes the connection and
        // returns its SQLite handle to the pool, where a connection opened meanwhile (and kept open) takes it, so every
        // transaction runs on a handle its context has not used before.
        await using var database = await MigratedAsync();
        var cache = new SqliteStatementCache();
        var connectionString = database.ConnectionString + ";Default Timeout=2";
        await using var first = Context(connectionString, cache);
        await using var second = Context(connectionString, cache);
        var holders = new List<SqliteConnection>();

        // Act
        try
        {
            for (var i = 0; i < 5; i++)
            {
                foreach (var (db, name) in new[] { (first, "a"), (second, "b") })
                {
                    await using (var transaction = await db.Database.BeginTransactionAsync().DefaultTimeout())
                    {
                        db.Partners.Add(MigrationSchemaTests.NewPartner($"si-{name}-{i}-1", T0));
                        await db.SaveChangesAsync().DefaultTimeout();
                        db.Partners.Add(MigrationSchemaTests.NewPartner($"si-{name}-{i}-2", T0));
                        await db.SaveChangesAsync().DefaultTimeout();
                        db.Partners.Add(MigrationSchemaTests.NewPartner($"si-{name}-{i}-3", T0));
                        await db.SaveChangesAsync().DefaultTimeout();
                        await db.Partners.CountAsync().DefaultTimeout();
                        await transaction.CommitAsync().DefaultTimeout();
                    }

                    db.ChangeTracker.Clear();
                    var holder = new SqliteConnection(connectionString);
                    await holder.OpenAsync().DefaultTimeout();
                    holders.Add(holder);
                }
            }
        }
        finally
        {
            foreach (var holder in holders)
            {
                await holder.DisposeAsync();
            }
        }

        // Assert: every row stored by its own transaction, and the kept commands were used.
        await using var read = database.CreateContext();
        Assert.Equal(30, await read.Partners.CountAsync().DefaultTimeout());
        Assert.True(cache.Reused >= 10, $"expected every transaction's third insert to reuse a command; reused {cache.Reused}");
    }

    /// <summary>Stores si-a, si-b and si-c, then runs a query of their ids twice in the open transaction (so it is kept).</summary>
    private static async Task<IQueryable<string>> KeptQueryOfThreePartnersAsync(PartnerExchangeDbContext db)
    {
        foreach (var id in new[] { "si-a", "si-b", "si-c" })
        {
            db.Partners.Add(MigrationSchemaTests.NewPartner(id, T0));
        }

        await db.SaveChangesAsync().DefaultTimeout();
        var query = db.Partners.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id);
        await query.ToListAsync().DefaultTimeout();
        await query.ToListAsync().DefaultTimeout();
        return query;
    }

    private static PartnerExchangeDbContext Context(TestDatabase database, SqliteStatementCache cache) => Context(database.ConnectionString, cache);

    private static PartnerExchangeDbContext Context(string connectionString, SqliteStatementCache cache) =>
        new(new DbContextOptionsBuilder<PartnerExchangeDbContext>().UseSqlite(connectionString).AddInterceptors(cache).Options);

    internal static async Task<TestDatabase> MigratedAsync()
    {
        var database = TestDatabase.CreateSqlite();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync().DefaultTimeout();
        return database;
    }
}
