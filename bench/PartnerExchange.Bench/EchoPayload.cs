using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace PartnerExchange.Bench;

/// <summary>The one request every server is loaded with; <c>bench/python/echo_client.py</c> builds the same bytes.</summary>
internal static class EchoPayload
{
    public const string Path = "/partnerexchange.bench.Echo/Echo";

    /// <summary>The 32 ASCII bytes of the payload field.</summary>
    public const string Text = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>Builds the reply the echo returns for the benchmark request: a 5-byte gRPC prefix and the message.</summary>
    public static byte[] BuildReplyFrame()
    {
        var message = new EchoMessage { Payload = ByteString.CopyFrom(Encoding.ASCII.GetBytes(Text)) }.ToByteArray();
        var frame = new byte[5 + message.Length];
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }
}
