using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Server;

/// <summary>Converts between HTTP headers and gRPC metadata; <c>-bin</c> values travel as base64.</summary>
internal static class HeaderMetadata
{
    /// <summary>
    /// Reads the request headers that are user metadata. Binary values may be padded or not, and several may be
    /// joined by commas. Entries whose key or text value the protocol does not allow are left out.
    /// </summary>
    public static Metadata FromRequestHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            if (GrpcProtocol.IsReservedHeader(key) || !IsValidKey(key))
            {
                continue;
            }

            var lowerKey = key.ToLowerInvariant();
            var binary = Metadata.Entry.IsBinaryKey(lowerKey);
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (binary)
                {
                    foreach (var range in value.AsSpan().Split(','))
                    {
                        metadata.Add(lowerKey, DecodeBase64(lowerKey, value.AsSpan(range).Trim()));
                    }
                }
                else if (IsPrintableAscii(value))
                {
                    metadata.Add(lowerKey, value);
                }
            }
        }

        return metadata;
    }

    /// <summary>Adds <paramref name="metadata"/> to response headers or trailers, skipping protocol-reserved keys.</summary>
    public static void AddTo(IHeaderDictionary headers, Metadata metadata)
    {
        foreach (var entry in metadata)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key))
            {
                continue;
            }

            var value = entry.IsBinary ? ToUnpaddedBase64(entry.ValueBytes) : entry.Value;
            headers[entry.Key] = StringValues.Concat(headers[entry.Key], value);
        }
    }

    /// <summary>Base64 without padding, as the spec recommends for <c>-bin</c> values.</summary>
    public static string ToUnpaddedBase64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] DecodeBase64(string key, ReadOnlySpan<char> text)
    {
        var padded = (text.Length % 4) switch
        {
            2 => string.Concat(text, "=="),
            3 => string.Concat(text, "="),
            _ => text.ToString(),
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Request header '{key}' is not valid base64."));
        }
    }

    private static bool IsValidKey(string key)
    {
        foreach (var c in key)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return key.Length > 0;
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
