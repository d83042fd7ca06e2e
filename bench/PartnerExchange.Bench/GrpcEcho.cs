using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace PartnerExchange.Bench;

/// <summary>Our transport serving the echo service; filled in once the server binding has landed.</summary>
internal static class GrpcEcho
{
    public static void AddServices(IServiceCollection services)
    {
        _ = services;
        throw new NotSupportedException("The transport's server binding has not landed yet.");
    }

    public static void Map(WebApplication app)
    {
        _ = app;
    }
}
