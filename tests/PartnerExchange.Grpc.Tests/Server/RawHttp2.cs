using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace PartnerExchange.Grpc.Tests.Server;

/// <summary>
/// A bare HTTP/2 (h2c, prior knowledge) client that sends one request and records the frames the server answers on its
/// stream, so tests can check the frame shape that HttpClient hides (RFC 9113 framing, RFC 7541 HPACK without Huffman).
/// </summary>
public static class RawHttp2
{
    public const byte Data = 0x0;
    public const byte Headers = 0x1;
    public const byte RstStream = 0x3;
    public const byte FlagEndStream = 0x1;
    public const byte FlagEndHeaders = 0x4;

    private const int StreamId = 1;

    /// <summary>Sends a POST with a gRPC content-type and <paramref name="body"/>, and returns the frames of its stream up to the end.</summary>
    public static async Task<List<Frame>> PostAsync(Uri server, string path, byte[] body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port).DefaultTimeout();
        var stream = tcp.GetStream();

        var output = new MemoryStream();
        output.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(output, 0x4, 0, 0, []); // SETTINGS, all defaults
        var block = new MemoryStream();
        block.WriteByte(0x83); // :method: POST (static index 3)
        block.WriteByte(0x86); // :scheme: http (static index 6)
        WriteLiteral(block, nameIndex: 4, ":path", path);
        WriteLiteral(block, nameIndex: 1, ":authority", $"{server.Host}:{server.Port}");
        WriteLiteral(block, nameIndex: 31, "content-type", "application/grpc");
        WriteLiteral(block, nameIndex: 0, "te", "trailers");
        WriteFrame(output, Headers, FlagEndHeaders, StreamId, block.ToArray());
        WriteFrame(output, Data, FlagEndStream, StreamId, body);
        await stream.WriteAsync(output.ToArray()).DefaultTimeout();

        var frames = new List<Frame>();
        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header).DefaultTimeout();
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var frame = new Frame(header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF), new byte[length]);
            await stream.ReadExactlyAsync(frame.Payload).DefaultTimeout();
            if (frame.StreamId != StreamId)
            {
                continue;
            }

            frames.Add(frame);
            if (frame.Type == RstStream || (frame.Type is Headers or Data && (frame.Flags & FlagEndStream) != 0))
            {
                return frames;
            }
        }
    }

    private static void WriteFrame(Stream output, byte type, byte flags, int streamId, byte[] payload)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header[5..], (uint)streamId);
        output.Write(header);
        output.Write(payload);
    }

    // Literal header field without indexing (RFC 7541 6.2.2): a 4-bit name index, or 0 and the name as a string.
    private static void WriteLiteral(Stream block, int nameIndex, string name, string value)
    {
        WriteInteger(block, 0x00, 4, nameIndex);
        if (nameIndex == 0)
        {
            WriteString(block, name);
        }

        WriteString(block, value);
    }

    private static void WriteString(Stream block, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        WriteInteger(block, 0x00, 7, bytes.Length); // H = 0: no Huffman coding
        block.Write(bytes);
    }

    private static void WriteInteger(Stream block, byte prefix, int bits, int value)
    {
        var max = (1 << bits) - 1;
        if (value < max)
        {
            block.WriteByte((byte)(prefix | value));
            return;
        }

        block.WriteByte((byte)(prefix | max));
        value -= max;
        while (value >= 128)
        {
            block.WriteByte((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        block.WriteByte((byte)value);
    }

    /// <summary>One received frame.</summary>
    public sealed record Frame(byte Type, byte Flags, int StreamId, byte[] Payload);
}
