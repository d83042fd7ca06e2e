using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PartnerExchange.Grpc.Health;
using PartnerExchange.Grpc.Reflection;
using PartnerExchange.Grpc.Server;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps gRPC services onto endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    internal const string LoggerCategory = "PartnerExchange.Grpc.Server";

    /// <summary>
    /// Maps every RPC of <paramref name="descriptor"/> to the public method of <typeparamref name="TService"/> with its name,
    /// at <c>/package.Service/Method</c>. Throws when an RPC has no method of the right shape. The service instance comes
    /// from the request's DI scope when registered (see <c>AddGrpcService</c>), else is built per call.
    /// Endpoints carry the service's and method's attributes (for example <c>[Authorize]</c>) and the <see cref="MethodDescriptor"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, ServiceDescriptor descriptor)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(descriptor);
        var services = endpoints.ServiceProvider;
        var registry = services.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcTransport() before mapping gRPC services.");
        var options = services.GetRequiredService<IOptions<GrpcTransportOptions>>().Value;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);

        var activator = new ServiceActivator<TService>(services);
        var bound = ServiceBinder.Bind(
            descriptor, activator, method => new MethodSettings($"/{method.Service.FullName}/{method.Name}", options, timeProvider, logger));
        registry.Add(descriptor);

        var serviceAttributes = typeof(TService).GetCustomAttributes(inherit: true);
        var builders = new List<IEndpointConventionBuilder>(bound.Count);
        foreach (var method in bound)
        {
            var path = $"/{method.Descriptor.Service.FullName}/{method.Descriptor.Name}";
            var methodAttributes = method.Implementation.GetCustomAttributes(inherit: true);
            var builder = endpoints.Map(RoutePatternFactory.Parse(path), method.RequestDelegate);
            var methodDescriptor = method.Descriptor;
            builder.Add(endpoint =>
            {
                endpoint.DisplayName = $"gRPC - {path}";
                endpoint.Metadata.Add(methodDescriptor);
                foreach (var attribute in serviceAttributes)
                {
                    endpoint.Metadata.Add(attribute);
                }

                foreach (var attribute in methodAttributes)
                {
                    endpoint.Metadata.Add(attribute);
                }
            });
            builders.Add(builder);
        }

        // Switches on the UNIMPLEMENTED answer for unknown methods (UnimplementedEndpoint.StartupFilter, added by AddGrpcTransport).
        registry.FallbackMapped = true;
        return new CompositeEndpointConventionBuilder(builders);
    }

    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> (Check and Watch). Statuses come from the <see cref="HealthStatusRegistry"/>
    /// service; the whole server (<c>""</c>) starts as SERVING.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<HealthService>(HealthService.Descriptor);

    /// <summary>
    /// Maps <c>grpc.reflection.v1.ServerReflection</c> and <c>grpc.reflection.v1alpha.ServerReflection</c>, describing every
    /// service mapped on this server (these two included) and the files they depend on.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGrpcService<ReflectionServiceV1>(ReflectionServiceV1.Descriptor);
        var v1Alpha = endpoints.MapGrpcService<ReflectionServiceV1Alpha>(ReflectionServiceV1Alpha.Descriptor);
        return new CompositeEndpointConventionBuilder([v1, v1Alpha]);
    }
}
