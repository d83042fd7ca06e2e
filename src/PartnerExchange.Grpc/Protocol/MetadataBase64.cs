namespace PartnerExchange.Grpc.Protocol;

/// <summary>
/// Values of <c>-bin</c> metadata keys: base64, emitted without padding and accepted with or without it,
/// as PROTOCOL-HTTP2.md asks.
/// </summary>
internal static class MetadataBase64
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    /// <summary>Decodes padded or unpadded base64; <c>false</c> when <paramref name="text"/> is not base64.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1)
        {
            return false;
        }

        var padding = (4 - (text.Length % 4)) % 4;
        Span<char> padded = text.Length + padding <= 256 ? stackalloc char[text.Length + padding] : new char[text.Length + padding];
        text.CopyTo(padded);
        padded[text.Length..].Fill('=');
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(padded, buffer, out var written))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }
}
