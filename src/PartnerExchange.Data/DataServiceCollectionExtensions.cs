using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PartnerExchange.Data;

/// <summary>Registers the Partner Exchange database services.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PartnerExchangeDbContext"/> (scoped) and <see cref="IDbContextFactory{TContext}"/> for the
    /// provider in <c>Database:Provider</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>) with the connection string
    /// <c>ConnectionStrings:PartnerExchange</c> (SQLite default <c>Data Source=data/partnerexchange.db</c>), and OpenIddict's
    /// managers over its tables in that database (<see cref="ClientApplications"/>). Every <see cref="IInterceptor"/> registered
    /// as a singleton joins every context.
    /// Throws <see cref="InvalidOperationException"/> naming the setting when the configuration is invalid.
    /// </summary>
    public static IServiceCollection AddPartnerExchangeData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = DatabaseSettings.FromConfiguration(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddDbContextFactory<PartnerExchangeDbContext>((provider, options) =>
        {
            DatabaseSettings.Configure(options, settings.Provider, settings.ConnectionString);
            options.AddInterceptors(provider.GetServices<IInterceptor>());
        });
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PartnerExchangeDbContext>());
        return services;
    }
}
