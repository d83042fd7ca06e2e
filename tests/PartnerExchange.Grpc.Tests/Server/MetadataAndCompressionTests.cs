using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

public sealed class MetadataAndCompressionTests
{
    private const string Unary = GrpcTestServer.ServicePath + "Unary";

    [Fact]
    public async Task RequestHeaders_TextAndBinaryPaddedOrNot_DecodedAndReservedLeftOut()
    {
        Metadata? seen = null;
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, context) =>
        {
            seen = context.RequestHeaders;
            return Task.FromResult(new EchoReply());
        });

        await server.Client.CallAsync(
            Unary,
            GrpcWire.Frame(new EchoRequest()),
            ("x-token", "abc"),
            ("x-unpadded-bin", "AAEC/w"),
            ("x-padded-bin", "AAEC/w=="),
            ("x-joined-bin", "AQ,Ag=="),
            ("grpc-previous-rpc-attempts", "1"));

        Assert.NotNull(seen);
        Assert.Equal("abc", seen.GetValue("x-token"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, seen.GetValueBytes("x-unpadded-bin"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, seen.GetValueBytes("x-padded-bin"));
        Assert.Equal([[1], [2]], seen.GetAll("x-joined-bin").Select(e => e.ValueBytes));
        Assert.Null(seen.Get("grpc-previous-rpc-attempts"));
        Assert.Null(seen.Get("content-type"));
        Assert.Null(seen.Get("te"));
    }

    [Fact]
    public async Task WriteResponseHeadersAsync_CustomHeaders_SentInHeadersAndBinaryBase64Unpadded()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = async (_, context) =>
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-h", "v" }, { "x-h-bin", new byte[] { 255 } } });
            return new EchoReply { Text = "r" };
        });

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.Equal("v", result.Header("x-h"));
        Assert.Equal("/w", result.Header("x-h-bin"));
        Assert.Equal("application/grpc", result.Header("content-type"));
        Assert.Equal(StatusCode.OK, result.StatusCode);
    }

    [Fact]
    public async Task ResponseTrailers_SetByHandler_SentInTrailers()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, context) =>
        {
            context.ResponseTrailers.Add("x-t", "1");
            context.ResponseTrailers.Add("x-t-bin", new byte[] { 1, 2, 3, 4 });
            return Task.FromResult(new EchoReply());
        });

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.Equal("1", string.Join(",", result.Trailers.GetValues("x-t")));
        Assert.Equal("AQIDBA", string.Join(",", result.Trailers.GetValues("x-t-bin")));
    }

    [Fact]
    public async Task Request_GzipEncodedMessage_DecompressedAndFlaggedCompressed()
    {
        bool? compressed = null;
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (request, context) =>
        {
            compressed = context.LastRequestCompressed;
            return Task.FromResult(new EchoReply { Text = request.Text });
        });

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest { Text = "zipped" }, compress: true), ("grpc-encoding", "gzip"));

        Assert.Equal("zipped", Assert.Single(GrpcWire.ReadMessages(result.Body, EchoReply.Parser)).Text);
        Assert.True(compressed);
    }

    [Fact]
    public async Task Request_GzipHeaderButUncompressedMessage_AcceptedAndNotFlagged()
    {
        bool? compressed = null;
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (request, context) =>
        {
            compressed = context.LastRequestCompressed;
            return Task.FromResult(new EchoReply { Text = request.Text });
        });

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest { Text = "plain" }), ("grpc-encoding", "gzip"));

        Assert.Equal(StatusCode.OK, result.StatusCode);
        Assert.False(compressed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    public async Task Request_CompressedFlagWithoutGzipEncoding_Internal(string? encoding)
    {
        await using var server = await GrpcTestServer.StartAsync();
        var frame = GrpcWire.Frame(new EchoRequest { Text = "x" }, compress: true);

        var result = encoding is null
            ? await server.Client.CallAsync(Unary, frame)
            : await server.Client.CallAsync(Unary, frame, ("grpc-encoding", encoding));

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Request_UnsupportedEncoding_UnimplementedWithAcceptEncoding()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()), ("grpc-encoding", "deflate"));

        Assert.True(result.IsTrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, result.StatusCode);
        Assert.Equal("identity,gzip", result.Header("grpc-accept-encoding"));
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Response_GzipOptionAndClientAcceptsGzip_CompressedWithEncodingHeader()
    {
        await using var server = await GrpcTestServer.StartAsync(options: o => o.ResponseCompression = "gzip");

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest { Text = "big" }), ("grpc-accept-encoding", "identity, gzip"));

        Assert.Equal("gzip", result.Header("grpc-encoding"));
        var frame = Assert.Single(GrpcWire.ReadFrames(result.Body));
        Assert.True(frame.Compressed);
        Assert.Equal("big", EchoReply.Parser.ParseFrom(GrpcWire.Gunzip(frame.Payload)).Text);
    }

    [Fact]
    public async Task Response_GzipOptionButClientDoesNotAcceptGzip_Uncompressed()
    {
        await using var server = await GrpcTestServer.StartAsync(options: o => o.ResponseCompression = "gzip");

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest { Text = "big" }));

        Assert.Null(result.Header("grpc-encoding"));
        Assert.False(Assert.Single(GrpcWire.ReadFrames(result.Body)).Compressed);
    }

    [Fact]
    public async Task Response_PerCallCompressionToggled_FirstMessageCompressedSecondNot()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.ServerStream = async (_, writer, context) =>
        {
            context.ResponseCompression = "gzip";
            await writer.WriteAsync(new EchoReply { Text = "one" });
            context.ResponseCompression = null;
            await writer.WriteAsync(new EchoReply { Text = "two" });
        });

        var result = await server.Client.CallAsync(
            GrpcTestServer.ServicePath + "ServerStream", GrpcWire.Frame(new EchoRequest()), ("grpc-accept-encoding", "gzip"));

        Assert.Equal("gzip", result.Header("grpc-encoding"));
        Assert.Equal([true, false], GrpcWire.ReadFrames(result.Body).Select(f => f.Compressed));
        Assert.Equal(["one", "two"], GrpcWire.ReadMessages(result.Body, EchoReply.Parser).Select(r => r.Text));
    }

    [Fact]
    public async Task ServerCallContext_PeerAndMethod_Reported()
    {
        string? peer = null;
        string? method = null;
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, context) =>
        {
            peer = context.Peer;
            method = context.Method;
            return Task.FromResult(new EchoReply());
        });

        await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.StartsWith("ipv4:127.0.0.1:", peer, StringComparison.Ordinal);
        Assert.Equal("/partnerexchange.grpctest.TestService/Unary", method);
    }
}
