using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PartnerExchange.Data;

/// <summary>Registers the Partner Exchange database services.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PartnerExchangeDbContext"/> (scoped, from a pool) and <see cref="IDbContextFactory{TContext}"/> (pooled) for the
    /// provider in <c>Database:Provider</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>) with the connection string
    /// <c>ConnectionStrings:PartnerExchange</c> (SQLite default <c>Data Source=data/partnerexchange.db</c>), and OpenIddict's
    /// managers over its tables in that database (<see cref="ClientApplications"/>).
    /// Throws <see cref="InvalidOperationException"/> naming the setting when the configuration is invalid.
    /// </summary>
    public static IServiceCollection AddPartnerExchangeData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = DatabaseSettings.FromConfiguration(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        // Contexts come from a pool: a call's context is reset and reused rather than built anew (a read of one order
        // costs a few microseconds of database work, and building a context cost more than that).
        services.AddPooledDbContextFactory<PartnerExchangeDbContext>(
            options => DatabaseSettings.Configure(options, settings.Provider, settings.ConnectionString));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<PartnerExchangeDbContext>>().CreateDbContext());
        services.AddSingleton(_ => new WorkOrderReads(settings));
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PartnerExchangeDbContext>());
        return services;
    }
}
