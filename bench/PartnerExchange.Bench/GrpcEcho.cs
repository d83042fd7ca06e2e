using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Grpc;

namespace PartnerExchange.Bench;

/// <summary>Our transport serving <see cref="EchoService"/> with default options, as the product server would.</summary>
internal static class GrpcEcho
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddGrpcTransport();
    }

    public static void Map(WebApplication app)
    {
        app.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
    }
}

/// <summary>The echo: returns the request message unchanged.</summary>
internal sealed class EchoService
{
    public Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context)
    {
        _ = context;
        return Task.FromResult(request);
    }
}
