using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PartnerExchange.Grpc.Health;
using PartnerExchange.Grpc.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC server transport.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC server transport: its options, routing, the <see cref="HealthStatusRegistry"/> and
    /// <see cref="TimeProvider.System"/> unless another <see cref="TimeProvider"/> is registered.
    /// </summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcTransportOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<HealthStatusRegistry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, UnimplementedEndpoint.StartupFilter>());
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TService"/> as a scoped service, so each call gets an instance from its request scope.
    /// Optional: an unregistered service class is built per call with constructor injection.
    /// </summary>
    public static IServiceCollection AddGrpcService<TService>(this IServiceCollection services)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<TService>();
        return services;
    }
}
