using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace PartnerExchange.Grpc.Protocol;

/// <summary>The <c>gzip</c> message encoding, with a limit on the decompressed size.</summary>
internal static class GzipCompression
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Decompresses <paramref name="data"/>. Returns <c>null</c> when the result would exceed
    /// <paramref name="maxLength"/> bytes; throws <see cref="InvalidDataException"/> when the bytes are not gzip.
    /// </summary>
    public static byte[]? Decompress(ReadOnlySequence<byte> data, int maxLength)
    {
        // A message in one segment (the usual case) is read in place; only a split one is copied.
        using var input = data.IsSingleSegment && MemoryMarshal.TryGetArray(data.First, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxLength)
                {
                    return null;
                }

                output.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }

        return output.ToArray();
    }
}
