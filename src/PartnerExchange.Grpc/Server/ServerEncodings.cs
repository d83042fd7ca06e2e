using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Server;

/// <summary>The message encodings the server knows: identity (none) and gzip.</summary>
internal static class ServerEncodings
{
    /// <summary>Maps <c>null</c>/<c>identity</c> to <c>null</c> and <c>gzip</c> to <c>"gzip"</c>; throws for anything else.</summary>
    public static string? Normalize(string? encoding, string paramName)
    {
        if (encoding is null || encoding.Equals(GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (encoding.Equals(GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return GrpcProtocol.GzipEncoding;
        }

        throw new ArgumentException($"Unsupported response encoding '{encoding}'; use \"gzip\" or null.", paramName);
    }

    /// <summary>Whether a comma-separated <c>grpc-accept-encoding</c> value lists <paramref name="encoding"/>.</summary>
    public static bool Lists(string? acceptEncoding, string encoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
