using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace PartnerExchange.Data;

/// <summary>The database engines Partner Exchange runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>SQLite: one file, WAL mode; the embedded default.</summary>
    Sqlite,

    /// <summary>PostgreSQL through Npgsql: the production engine shared by several server instances.</summary>
    Postgres,
}

/// <summary>The provider and connection string read from configuration.</summary>
internal sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:PartnerExchange";
    public const string DefaultSqliteConnectionString = "Data Source=data/partnerexchange.db";

    public static DatabaseSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providerText = configuration[ProviderKey];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerText) || string.Equals(providerText, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (string.Equals(providerText, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            provider = DatabaseProvider.Postgres;
        }
        else
        {
            throw new InvalidOperationException(
                $"Configuration setting '{ProviderKey}' has the unknown value '{providerText}'; use 'Sqlite' (the default) or 'Postgres'.");
        }

        var connectionString = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultSqliteConnectionString
                : throw new InvalidOperationException(
                    $"Configuration setting '{ConnectionStringKey}' is required when '{ProviderKey}' is 'Postgres'.");
        }

        return new DatabaseSettings(provider, connectionString);
    }

    /// <summary>Configures EF Core for the provider; the one place tests and the host share.</summary>
    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString).AddInterceptors(SqliteStatementCache.Instance);
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(connectionString);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        // The migrations are hand-written without a model snapshot, so EF Core cannot diff the model against them and
        // would always report pending changes. MigrationSchemaTests replaces that check: it proves on both providers
        // that the migrations create exactly the schema of the current model.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>The full path of the SQLite database file, or <c>null</c> for an in-memory or URI data source.</summary>
    public static string? SqliteFilePath(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(dataSource)
            || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetFullPath(dataSource);
    }
}
