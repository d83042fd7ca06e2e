using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PartnerExchange.Server;

/// <summary>
/// The Kestrel named endpoints the server listens on: <c>Kestrel:Endpoints:Grpc</c> (HTTP/2, gRPC) and
/// <c>Kestrel:Endpoints:Web</c> (HTTP/1.1: health for load balancers, and the OAuth endpoints later). With a
/// certificate, one TLS endpoint of another name may serve both through ALPN; then neither is set.
/// </summary>
public sealed class ListeningEndpoints
{
    private ListenOptions? _grpc;
    private ListenOptions? _web;

    /// <summary>Gets the port the <c>Grpc</c> endpoint listens on once started, or <c>null</c> without one.</summary>
    public int? GrpcPort => _grpc?.IPEndPoint?.Port;

    /// <summary>Gets the port the <c>Web</c> endpoint listens on once started, or <c>null</c> without one.</summary>
    public int? WebPort => _web?.IPEndPoint?.Port;

    internal void Capture(KestrelServerOptions kestrel, IConfigurationSection section) =>
        kestrel.Configure(section, reloadOnChange: false)
            .Endpoint("Grpc", endpoint => _grpc = endpoint.ListenOptions)
            .Endpoint("Web", endpoint => _web = endpoint.ListenOptions);

    /// <summary>The start-up banner: where each endpoint listens and a first call to try.</summary>
    internal IEnumerable<string> Describe(ICollection<string> addresses)
    {
        foreach (var address in addresses)
        {
            var port = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)).Port;
            var role = port == GrpcPort ? "gRPC over HTTP/2"
                : port == WebPort ? "HTTP/1.1: /healthz"
                : "gRPC and HTTP/1.1 through ALPN";
            yield return $"Partner Exchange is listening on {address} ({role}).";
        }

        var grpcPort = (GrpcPort ?? 5000).ToString(CultureInfo.InvariantCulture);
        yield return $"First call: grpcurl -plaintext localhost:{grpcPort} list   (reflection lists every service)";
        yield return $"            grpcurl -plaintext localhost:{grpcPort} grpc.health.v1.Health/Check";
    }
}
