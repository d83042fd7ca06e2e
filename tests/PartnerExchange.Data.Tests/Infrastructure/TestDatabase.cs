using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;

namespace PartnerExchange.Data.Tests.Infrastructure;

/// <summary>
/// A fresh, uniquely named, empty database for one test: a temporary SQLite file, or a database created on the
/// PostgreSQL server named by <c>PX_TEST_POSTGRES</c>. Disposing deletes it.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "PX_TEST_POSTGRES";

    private readonly Func<Task> _drop;
    private ServiceProvider? _services;

    private TestDatabase(DatabaseProvider provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? Task.FromResult(CreateSqlite()) : CreatePostgresAsync();

    public static TestDatabase CreateSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var connectionString = $"Data Source={Path.Combine(directory, "test.db")}";
        return new TestDatabase(DatabaseProvider.Sqlite, connectionString, () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });
    }

    public static string PostgresServerConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {PostgresVariable} is not set, so the PostgreSQL tests cannot run. "
                + "Run the tests with `bash tests/run.sh`, which installs and starts PostgreSQL and sets it.");

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = PostgresServerConnectionString();
        var name = "px_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync().DefaultTimeout();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().DefaultTimeout();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        return new TestDatabase(DatabaseProvider.Postgres, connectionString, async () =>
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync().DefaultTimeout();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync().DefaultTimeout();
        });
    }

    public PartnerExchangeDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<PartnerExchangeDbContext>();
        DatabaseSettings.Configure(options, Provider, ConnectionString);
        return new PartnerExchangeDbContext(options.Options);
    }

    /// <summary>OpenIddict's application manager over this database, as the server registers it.</summary>
    public IOpenIddictApplicationManager Applications()
    {
        if (_services is null)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddDbContext<PartnerExchangeDbContext>(options => DatabaseSettings.Configure(options, Provider, ConnectionString));
            services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PartnerExchangeDbContext>());
            _services = services.BuildServiceProvider();
        }

        return _services.GetRequiredService<IOpenIddictApplicationManager>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _drop().DefaultTimeout();
    }
}
