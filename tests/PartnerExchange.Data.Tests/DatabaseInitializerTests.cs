using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Data.Tests.Infrastructure;

namespace PartnerExchange.Data.Tests;

public sealed class DatabaseInitializerTests
{
    [Fact]
    public async Task InitializeAsync_SqliteFileInMissingDirectory_CreatesFileInWalModeMigratesAndSeeds()
    {
        // Arrange
        var root = Path.Combine(Path.GetTempPath(), "px-data-tests", "init-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(root, "data", "partnerexchange.db");
        await using var services = Services(new() { ["ConnectionStrings:PartnerExchange"] = $"Data Source={file}" });

        try
        {
            // Act
            await DatabaseInitializer.InitializeAsync(services, Seeds.Directory, "Development", CancellationToken.None).DefaultTimeout();

            // Assert
            Assert.True(File.Exists(file));
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync().DefaultTimeout());
            Assert.True(await db.Partners.CountAsync().DefaultTimeout() >= 5);
            Assert.Equal("wal", Assert.Single(await SchemaReader.QueryAsync(db, "PRAGMA journal_mode").DefaultTimeout())[0]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task InitializeAsync_SecondStart_KeepsDataAndDoesNotReseed(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var services = Services(new()
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:PartnerExchange"] = database.ConnectionString,
        });
        await DatabaseInitializer.InitializeAsync(services, Seeds.Directory, "Development", CancellationToken.None).DefaultTimeout();
        await using (var scope = services.CreateAsyncScope())
        {
            // A partner manager cancels a seeded partner's catalogue entry; a re-seed would bring it back.
            var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
            db.ServiceCatalogue.Remove(await db.ServiceCatalogue.FirstAsync(s => s.ServiceCode == "GAME-PASS").DefaultTimeout());
            await db.SaveChangesAsync().DefaultTimeout();
        }

        // Act: the database is not empty any more, so even a Production start with demo seeds present does not touch seeds.
        await DatabaseInitializer.InitializeAsync(services, Seeds.Directory, "Production", CancellationToken.None).DefaultTimeout();

        // Assert
        await using var check = services.CreateAsyncScope();
        var checkDb = check.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        Assert.False(await checkDb.ServiceCatalogue.AnyAsync(s => s.ServiceCode == "GAME-PASS").DefaultTimeout());
        Assert.True(await checkDb.Partners.AnyAsync().DefaultTimeout());
    }

    [Fact]
    public async Task InitializeAsync_SeededDatabaseWithoutClients_DemoClientsComeBackOutsideProduction()
    {
        // Arrange: a database seeded before the identity migration lost its clients with the old table.
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite).DefaultTimeout();
        await using var services = Services(new() { ["ConnectionStrings:PartnerExchange"] = database.ConnectionString });
        await DatabaseInitializer.InitializeAsync(services, Seeds.Directory, "Development", CancellationToken.None).DefaultTimeout();
        await using (var scope = services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
            await foreach (var application in applications.ListAsync())
            {
                await applications.DeleteAsync(application).DefaultTimeout();
            }
        }

        // Act
        await DatabaseInitializer.InitializeAsync(services, Seeds.Directory, "Development", CancellationToken.None).DefaultTimeout();

        // Assert
        await using var check = services.CreateAsyncScope();
        var manager = check.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        Assert.Equal(10, await manager.CountAsync().DefaultTimeout());
    }

    [Fact]
    public async Task InitializeAsync_EmptyDatabaseInProduction_RefusesDemoClients()
    {
        // Arrange
        await using var database = TestDatabase.CreateSqlite();
        await using var services = Services(new() { ["ConnectionStrings:PartnerExchange"] = database.ConnectionString });

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DatabaseInitializer.InitializeAsync(services, Seeds.Directory, "Production", CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.Contains("clients.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("SqlServer")]
    public void AddPartnerExchangeData_UnknownProvider_ThrowsNamingSetting(string value)
    {
        // Arrange
        var configuration = Configuration(new() { ["Database:Provider"] = value });

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPartnerExchangeData(configuration));

        // Assert
        Assert.Contains("Database:Provider", ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPartnerExchangeData_PostgresWithoutConnectionString_ThrowsNamingSetting()
    {
        // Arrange
        var configuration = Configuration(new() { ["Database:Provider"] = "Postgres" });

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPartnerExchangeData(configuration));

        // Assert
        Assert.Contains("ConnectionStrings:PartnerExchange", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "Microsoft.EntityFrameworkCore.Sqlite", "Data Source=data/partnerexchange.db")]
    [InlineData("Sqlite", "Data Source=other.db", "Microsoft.EntityFrameworkCore.Sqlite", "Data Source=other.db")]
    [InlineData("Postgres", "Host=127.0.0.1;Database=px", "Npgsql.EntityFrameworkCore.PostgreSQL", "Host=127.0.0.1;Database=px")]
    public async Task AddPartnerExchangeData_Settings_SelectProviderAndConnectionString(string? provider, string? connectionString, string expectedProvider, string expectedConnectionString)
    {
        // Arrange
        var values = new Dictionary<string, string?>();
        if (provider is not null)
        {
            values["Database:Provider"] = provider;
        }

        if (connectionString is not null)
        {
            values["ConnectionStrings:PartnerExchange"] = connectionString;
        }

        // Act
        await using var services = Services(values);

        // Assert
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        Assert.Equal(expectedProvider, db.Database.ProviderName);
        Assert.Equal(expectedConnectionString, db.Database.GetConnectionString());
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PartnerExchangeDbContext>>();
        await using var fromFactory = await factory.CreateDbContextAsync().DefaultTimeout();
        Assert.Equal(expectedProvider, fromFactory.Database.ProviderName);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ServiceProvider Services(Dictionary<string, string?> values) =>
        new ServiceCollection().AddLogging().AddPartnerExchangeData(Configuration(values)).BuildServiceProvider();
}
