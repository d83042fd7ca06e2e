using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.Abstractions;
using PartnerExchange.Data.Seeding;

namespace PartnerExchange.Data;

/// <summary>Prepares the database at start-up: creates the SQLite file in WAL mode, applies migrations, seeds an empty database.</summary>
public static class DatabaseInitializer
{
    /// <summary>
    /// Applies all pending migrations, then, when the database holds no partner yet, loads the seeds from
    /// <paramref name="seedsDirectory"/>. In the <c>Production</c> environment seeds with demo client credentials are
    /// refused with an <see cref="InvalidOperationException"/>; a missing or malformed seed file throws an exception
    /// naming the file. Needs the services from <see cref="DataServiceCollectionExtensions.AddPartnerExchangeData"/>; with
    /// a <see cref="PersonAccountManager"/> registered, the demo people of <c>people.json</c> are added to a database
    /// without any person's account (never in Production).
    /// </summary>
    public static async Task InitializeAsync(
        IServiceProvider services, string seedsDirectory, string environmentName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(seedsDirectory);
        ArgumentNullException.ThrowIfNull(environmentName);

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<PartnerExchangeDbContext>();
        var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(DatabaseInitializer).FullName!) ?? NullLogger.Instance;

        if (db.Database.IsSqlite())
        {
            await PrepareSqliteAsync(db, logger, cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        DataLog.Migrated(logger, db.Database.ProviderName ?? "?", pending.Count, string.Join(", ", pending));

        var applications = provider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await db.Partners.AnyAsync(cancellationToken))
        {
            DataLog.SeedsSkipped(logger, seedsDirectory);

            // A database seeded before the identity migration has partners but no clients at all; give it the demo
            // clients again. With any client present nothing is read, so a deleted demo client stays deleted.
            if (await applications.CountAsync(cancellationToken) == 0)
            {
                await SeedLoader.RegisterAbsentClientsAsync(applications, seedsDirectory, environmentName, time, cancellationToken);
            }
        }
        else
        {
            var loaded = await SeedLoader.LoadAsync(db, applications, seedsDirectory, environmentName, time, cancellationToken);
            DataLog.SeedsLoaded(
                logger, seedsDirectory, loaded.Partners, loaded.Contacts, loaded.SubscriberBases, loaded.SettlementBases,
                loaded.CatalogueEntries, loaded.CalendarDays, loaded.Clients);
        }

        // The demo people come once, into a database without any person's account, where the host has Identity.
        if (provider.GetService<PersonAccountManager>() is { } people)
        {
            var added = await SeedLoader.RegisterAbsentPeopleAsync(db, people, seedsDirectory, environmentName, cancellationToken);
            if (added > 0)
            {
                DataLog.PeopleSeeded(logger, seedsDirectory, added);
            }
        }
    }

    /// <summary>
    /// Applies all pending migrations (creating the SQLite file in WAL mode first) and nothing else: no seeds. For
    /// server commands that work on the database without starting the server.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        if (db.Database.IsSqlite())
        {
            await PrepareSqliteAsync(db, NullLogger.Instance, cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Creates the directory of the database file and switches the database to write-ahead logging (persistent).</summary>
    private static async Task PrepareSqliteAsync(PartnerExchangeDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var connectionString = db.Database.GetConnectionString() ?? DatabaseSettings.DefaultSqliteConnectionString;
        var path = DatabaseSettings.SqliteFilePath(connectionString);
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = await command.ExecuteScalarAsync(cancellationToken);
            DataLog.SqliteJournalMode(logger, path, mode as string ?? "?");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
