using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// The answer for POSTs with a gRPC content-type to a path no mapped method has: UNIMPLEMENTED in a Trailers-Only
/// response. Other requests to such paths are left to the application.
/// </summary>
internal sealed class UnimplementedEndpoint
{
    private readonly GrpcServiceRegistry _registry;
    private readonly ILogger _logger;

    public UnimplementedEndpoint(GrpcServiceRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Whether this request is a gRPC call that reached the end of the pipeline without an endpoint.</summary>
    public bool Matches(HttpContext httpContext) =>
        _registry.FallbackMapped
        && !httpContext.Response.HasStarted
        && httpContext.GetEndpoint() is null
        && HttpMethods.IsPost(httpContext.Request.Method)
        && GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType);

    public Task HandleAsync(HttpContext httpContext)
    {
        var path = httpContext.Request.Path.Value ?? string.Empty;
        var slash = path.LastIndexOf('/');
        var service = slash > 0 ? path[1..slash] : string.Empty;
        var status = _registry.Contains(service)
            ? new Status(StatusCode.Unimplemented, "Method is unimplemented.")
            : new Status(StatusCode.Unimplemented, "Service is unimplemented.");
        GrpcServerLog.CallRejected(_logger, status.StatusCode, $"{status.Detail} ({path})");
        HttpServerCallContext.WriteTrailersOnly(httpContext.Response, status);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Appends the fallback after the application's whole pipeline (endpoint routing included), so it costs nothing
    /// on requests an endpoint answers; a catch-all route would be a routing candidate of every request.
    /// </summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            var services = app.ApplicationServices;
            var fallback = new UnimplementedEndpoint(
                services.GetRequiredService<GrpcServiceRegistry>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger(GrpcEndpointRouteBuilderExtensions.LoggerCategory));
            app.Use(nextMiddleware => httpContext =>
                fallback.Matches(httpContext) ? fallback.HandleAsync(httpContext) : nextMiddleware(httpContext));
        };
    }
}
