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

    /// <summary>
    /// The first endpoint in <paramref name="section"/> (<c>Kestrel</c>) that would serve plaintext HTTP on an address
    /// other than loopback, as <c>(name, url)</c>, or <c>null</c> when there is none. Outside Development such an
    /// endpoint would carry client secrets and tokens in the clear, so the server refuses to start with it.
    /// </summary>
    internal static (string Name, string Url)? PlaintextBeyondLoopback(IConfigurationSection section)
    {
        foreach (var endpoint in section.GetSection("Endpoints").GetChildren())
        {
            var url = endpoint["Url"];
            if (url is null || BindingAddress.Parse(url) is not { Scheme: "http" } address)
            {
                continue;
            }

            var loopback = address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(address.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                return (endpoint.Key, url);
            }
        }

        return null;
    }

    internal void Capture(KestrelServerOptions kestrel, IConfigurationSection section) =>
        kestrel.Configure(section, reloadOnChange: false)
            .Endpoint("Grpc", endpoint => _grpc = endpoint.ListenOptions)
            .Endpoint("Web", endpoint => _web = endpoint.ListenOptions);

    /// <summary>The start-up banner: where each endpoint listens, what it speaks, and a first call to try.</summary>
    internal IEnumerable<string> Describe(ICollection<string> addresses)
    {
        Uri? grpc = null;
        foreach (var address in addresses)
        {
            var bound = BindingAddress.Parse(address);
            var uri = new UriBuilder(bound.Scheme, bound.Host is "+" or "*" ? "localhost" : bound.Host, bound.Port).Uri;
            var endpoint = uri.Port == GrpcPort ? _grpc : uri.Port == WebPort ? _web : null;
            var speaks = endpoint?.Protocols switch
            {
                HttpProtocols.Http2 => "gRPC over HTTP/2",
                HttpProtocols.Http1 => "HTTP/1.1: /healthz",
                _ => "gRPC over HTTP/2 and HTTP/1.1 (/healthz), chosen through ALPN",
            };
            if (endpoint == _grpc || (grpc is null && _grpc is null))
            {
                grpc = uri;
            }

            yield return $"Partner Exchange is listening on {address} ({speaks}).";
        }

        if (grpc is not null)
        {
            var call = grpc.Scheme == Uri.UriSchemeHttps ? $"grpcurl {grpc.Authority}" : $"grpcurl -plaintext {grpc.Authority}";
            yield return $"First call: {call} list   (reflection lists every service)";
            yield return $"            {call} grpc.health.v1.Health/Check";
        }
    }
}
