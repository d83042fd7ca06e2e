using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Tests;

/// <summary>The base64 of <c>-bin</c> metadata, shared by server and client (PROTOCOL-HTTP2.md, "Custom-Metadata").</summary>
public sealed class MetadataBase64Tests
{
    [Theory]
    [InlineData("AAEC/w", new byte[] { 0, 1, 2, 255 })] // unpadded, as emitted
    [InlineData("AAEC/w==", new byte[] { 0, 1, 2, 255 })] // padded, as some peers send
    [InlineData("AAEC", new byte[] { 0, 1, 2 })]
    [InlineData("", new byte[0])]
    public void TryDecode_PaddedOrNot_Decoded(string text, byte[] expected)
    {
        var ok = MetadataBase64.TryDecode(text, out var bytes);

        Assert.True(ok);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AA*C")]
    public void TryDecode_NotBase64_False(string text)
    {
        Assert.False(MetadataBase64.TryDecode(text, out _));
    }

    [Fact]
    public void Encode_AnyLength_NoPadding()
    {
        Assert.Equal("AAEC/w", MetadataBase64.Encode([0, 1, 2, 255]));
    }
}
