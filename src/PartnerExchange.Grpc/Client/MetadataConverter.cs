using System.Net.Http.Headers;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Client;

/// <summary>Turns HTTP headers and trailers into <see cref="Metadata"/>, decoding <c>-bin</c> values (base64, padded or not; see <see cref="MetadataBase64"/>).</summary>
internal static class MetadataConverter
{
    public static Metadata FromHeaders(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(key))
            {
                continue;
            }

            var isBinary = key.EndsWith(Metadata.BinarySuffix, StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                try
                {
                    if (!isBinary)
                    {
                        metadata.Add(key, value);
                        continue;
                    }

                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (MetadataBase64.TryDecode(part, out var bytes))
                        {
                            metadata.Add(key, bytes);
                        }
                    }
                }
                catch (ArgumentException)
                {
                    // A header that is not valid gRPC metadata (odd key or non-ASCII text) is not user metadata; skip it.
                }
            }
        }

        return metadata;
    }

    public static Google.Rpc.Status? TryParseRichStatus(string? base64)
    {
        if (string.IsNullOrEmpty(base64) || !MetadataBase64.TryDecode(base64, out var bytes))
        {
            return null;
        }

        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(bytes);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
