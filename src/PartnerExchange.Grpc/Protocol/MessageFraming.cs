using System.Buffers;
using System.Buffers.Binary;

namespace PartnerExchange.Grpc.Protocol;

/// <summary>
/// The length-prefixed message: one flag byte (1 = compressed with the call's <c>grpc-encoding</c>),
/// a 4-byte big-endian length, then that many bytes of (possibly compressed) protobuf.
/// </summary>
internal static class MessageFraming
{
    public const int HeaderSize = 5;

    /// <summary>Writes the 5-byte prefix.</summary>
    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    /// <summary>
    /// Tries to cut one whole frame off the front of <paramref name="buffer"/>.
    /// Returns <see cref="FrameResult.Incomplete"/> when more bytes are needed (nothing is consumed),
    /// <see cref="FrameResult.TooLarge"/> when the declared length exceeds <paramref name="maxLength"/>,
    /// <see cref="FrameResult.BadFlag"/> when the flag byte is neither 0 nor 1.
    /// </summary>
    public static FrameResult TryReadFrame(
        ref ReadOnlySequence<byte> buffer,
        int maxLength,
        out bool compressed,
        out ReadOnlySequence<byte> payload,
        out long declaredLength)
    {
        compressed = false;
        payload = default;
        declaredLength = 0;
        if (buffer.Length < HeaderSize)
        {
            return FrameResult.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var flag = header[0];
        declaredLength = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (flag > 1)
        {
            return FrameResult.BadFlag;
        }

        compressed = flag == 1;
        if (declaredLength > maxLength)
        {
            return FrameResult.TooLarge;
        }

        if (buffer.Length < HeaderSize + declaredLength)
        {
            return FrameResult.Incomplete;
        }

        payload = buffer.Slice(HeaderSize, declaredLength);
        buffer = buffer.Slice(HeaderSize + declaredLength);
        return FrameResult.Complete;
    }
}

/// <summary>The outcome of <see cref="MessageFraming.TryReadFrame"/>.</summary>
internal enum FrameResult
{
    Complete,
    Incomplete,
    TooLarge,
    BadFlag,
}
