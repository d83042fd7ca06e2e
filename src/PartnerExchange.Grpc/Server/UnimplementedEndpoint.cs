using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// The catch-all endpoint for POSTs with a gRPC content-type to a path no mapped method has: it answers
/// UNIMPLEMENTED in a Trailers-Only response. Other requests to such paths are left to the application.
/// </summary>
internal sealed class UnimplementedEndpoint
{
    public const string RouteParameter = "grpcUnimplementedPath";

    private readonly GrpcServiceRegistry _registry;
    private readonly ILogger _logger;

    public UnimplementedEndpoint(GrpcServiceRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
    }

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

    /// <summary>Matches only requests whose content-type is a gRPC one.</summary>
    internal sealed class GrpcContentTypeConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            routeDirection == RouteDirection.IncomingRequest
            && httpContext is not null
            && GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType);
    }
}
