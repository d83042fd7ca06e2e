using System.Buffers;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Tests;

/// <summary>The protocol's small encodings (PROTOCOL-HTTP2.md: "Timeout", "Status-Message", "Length-Prefixed-Message").</summary>
public sealed class ProtocolTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)] // rounds up: a positive timeout never becomes zero
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void GrpcTimeout_TryParse_EveryUnit(string header, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("123456789S")] // nine digits: the spec allows at most eight
    [InlineData("1.5S")]
    public void GrpcTimeout_TryParse_NotInSpecForm_False(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(10_000_000L)]
    [InlineData(36_000_000_000L * 24 * 400)]
    public void GrpcTimeout_Format_ParsesBackToAtLeastTheValue(long ticks)
    {
        var header = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));

        Assert.InRange(header.Length, 2, 9);
        Assert.True(GrpcTimeout.TryParse(header, out var back));
        Assert.True(back.Ticks >= ticks, $"{header} is shorter than {ticks} ticks");
    }

    [Fact]
    public void PercentEncoding_SpecTestString_RoundTrips()
    {
        // The interop "special_status_message" string: tabs, newlines, a literal %, and non-ASCII text.
        const string message = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \U0001F608\t\n";

        var encoded = PercentEncoding.Encode(message);

        Assert.All(encoded, c => Assert.InRange(c, (char)0x20, (char)0x7E));
        Assert.Equal(message, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("100%", "100%25")]
    [InlineData("plain", "plain")]
    [InlineData("\u00E9", "%C3%A9")]
    public void PercentEncoding_Encode_EscapesPercentAndNonPrintable(string message, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(message));
    }

    [Theory]
    [InlineData("50%", "50%")] // a malformed escape is kept as it is
    [InlineData("%zz", "%zz")]
    [InlineData("%41", "A")]
    public void PercentEncoding_Decode_Lenient(string encoded, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(encoded));
    }

    [Fact]
    public void MessageFraming_TwoFramesInOneBuffer_CutsEachInTurn()
    {
        var bytes = new byte[] { 0, 0, 0, 0, 2, 0xAA, 0xBB, 1, 0, 0, 0, 1, 0xCC };
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameResult.Complete, MessageFraming.TryReadFrame(ref buffer, 100, out var c1, out var p1, out _));
        Assert.Equal(FrameResult.Complete, MessageFraming.TryReadFrame(ref buffer, 100, out var c2, out var p2, out _));

        Assert.False(c1);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, p1.ToArray());
        Assert.True(c2);
        Assert.Equal(new byte[] { 0xCC }, p2.ToArray());
        Assert.Equal(0, buffer.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 }, "Incomplete")]
    [InlineData(new byte[] { 0, 0, 0, 0, 3, 1, 2 }, "Incomplete")]
    [InlineData(new byte[] { 0, 0, 0, 0, 11 }, "TooLarge")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 }, "BadFlag")]
    public void MessageFraming_NotOneWholeFrame_SaysWhyAndConsumesNothing(byte[] bytes, string expectedResult)
    {
        var expected = Enum.Parse<FrameResult>(expectedResult);
        var buffer = new ReadOnlySequence<byte>(bytes);

        var result = MessageFraming.TryReadFrame(ref buffer, 10, out _, out _, out _);

        Assert.Equal(expected, result);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void GzipCompression_OverLimitAfterDecompression_Null()
    {
        var compressed = GzipCompression.Compress(new byte[100_000]);

        Assert.Null(GzipCompression.Decompress(new ReadOnlySequence<byte>(compressed), 99_999));
        Assert.Equal(100_000, GzipCompression.Decompress(new ReadOnlySequence<byte>(compressed), 100_000)!.Length);
    }
}
