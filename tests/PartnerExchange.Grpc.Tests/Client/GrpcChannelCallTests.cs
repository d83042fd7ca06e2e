using Google.Protobuf.WellKnownTypes;
using static PartnerExchange.Grpc.Tests.Client.ClientTestHelpers;

namespace PartnerExchange.Grpc.Tests.Client;

[Collection(ClientServerCollection.Name)]
public sealed class GrpcChannelCallTests(ClientTestServer server)
{
    private static Method<StringValue, StringValue> M(string name, MethodType type = MethodType.Unary) =>
        StringMethod(ClientTestServer.Service, name, type);

    [Fact]
    public async Task AsyncUnaryCall_EchoServer_ReturnsResponseHeadersAndTrailers()
    {
        // Arrange
        var headers = new Metadata { { "x-user", "alice" }, { "x-data-bin", new byte[] { 0, 1, 2, 250 } } };

        // Act
        using var call = server.Channel.AsyncUnaryCall(M("Unary"), Text("hi"), new CallOptions(Headers: headers));
        var response = await call.ResponseAsync.DefaultTimeout();
        var responseHeaders = await call.ResponseHeadersAsync.DefaultTimeout();

        // Assert
        Assert.Equal("echo:hi", response.Value);
        Assert.Equal("alice", responseHeaders.GetValue("x-user"));
        Assert.Equal(new byte[] { 0, 1, 2, 250 }, responseHeaders.GetValueBytes("x-data-bin"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("done", call.GetTrailers().GetValue("x-trailer"));
    }

    [Fact]
    public async Task AsyncUnaryCall_Awaited_ReturnsResponse()
    {
        // Act
        var response = await server.Channel.AsyncUnaryCall(M("Unary"), Text("await"));

        // Assert
        Assert.Equal("echo:await", response.Value);
    }

    [Fact]
    public async Task AsyncUnaryCall_Always_SendsProtocolHeaders()
    {
        // Arrange
        var deadline = DateTime.UtcNow.AddMinutes(5);

        // Act
        using var call = server.Channel.AsyncUnaryCall(M("Headers"), Text("x"), new CallOptions(Deadline: deadline, RequestCompression: "gzip"));
        var lines = (await call.ResponseAsync.DefaultTimeout()).Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

        // Assert
        Assert.Equal("application/grpc", lines["content-type"]);
        Assert.Equal("trailers", lines["te"]);
        Assert.Equal(GrpcChannel.UserAgent, lines["user-agent"]);
        Assert.Equal("identity,gzip", lines["grpc-accept-encoding"]);
        Assert.Equal("gzip", lines["grpc-encoding"]);
        Assert.Matches("^[0-9]{1,8}[HMSmun]$", lines["grpc-timeout"]);
    }

    [Fact]
    public async Task AsyncUnaryCall_ManyConcurrentCalls_AllSucceedOnOneChannel()
    {
        // Act
        var calls = Enumerable.Range(0, 50)
            .Select(i => server.Channel.AsyncUnaryCall(M("Unary"), Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ResponseAsync)
            .ToArray();
        var responses = await Task.WhenAll(calls).DefaultTimeout();

        // Assert
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"echo:{i}"), responses.Select(r => r.Value));
    }

    [Fact]
    public async Task AsyncServerStreamingCall_ThreeMessages_ReadsAllThenOk()
    {
        // Act
        using var call = server.Channel.AsyncServerStreamingCall(M("Count", MethodType.ServerStreaming), Text("3"));
        var values = new List<string>();
        await foreach (var message in call.ResponseStream.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            values.Add(message.Value);
        }

        // Assert
        Assert.Equal(["0", "1", "2"], values);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.False(await call.ResponseStream.MoveNext().DefaultTimeout());
    }

    [Fact]
    public async Task AsyncServerStreamingCall_ErrorAfterMessage_ThrowsWithTrailersAndRichStatus()
    {
        // Arrange
        using var call = server.Channel.AsyncServerStreamingCall(M("ErrorAfterMessage", MethodType.ServerStreaming), Text("x"));

        // Act
        Assert.True(await call.ResponseStream.MoveNext().DefaultTimeout());
        var first = call.ResponseStream.Current.Value;
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.Equal("first", first);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("not yours", ex.Status.Detail);
        Assert.Equal("partner mismatch", ex.Trailers.GetValue("x-reason"));
        Assert.Equal(ClientTestServer.RichStatus, ex.RichStatus);
        Assert.Equal(StatusCode.PermissionDenied, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_ThreeWritesThenComplete_ServerSeesAll()
    {
        // Arrange
        using var call = server.Channel.AsyncClientStreamingCall(M("Collect", MethodType.ClientStreaming));

        // Act
        foreach (var value in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(Text(value)).DefaultTimeout();
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var response = await call.ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Equal("a,b,c", response.Value);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_WriteAfterComplete_Throws()
    {
        // Arrange
        using var call = server.Channel.AsyncClientStreamingCall(M("Collect", MethodType.ClientStreaming));
        await call.RequestStream.CompleteAsync().DefaultTimeout();

        // Act / Assert
        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(Text("late")).DefaultTimeout());
        Assert.Equal(string.Empty, (await call.ResponseAsync.DefaultTimeout()).Value);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_PingPong_EachReplyArrivesBeforeNextWrite()
    {
        // Arrange
        using var call = server.Channel.AsyncDuplexStreamingCall(M("Chat", MethodType.DuplexStreaming));
        var replies = new List<string>();

        // Act: the server only answers a message it has received, so each reply proves the write went out alone.
        foreach (var value in new[] { "1", "2", "3" })
        {
            await call.RequestStream.WriteAsync(Text(value)).DefaultTimeout();
            Assert.True(await call.ResponseStream.MoveNext().DefaultTimeout());
            replies.Add(call.ResponseStream.Current.Value);
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var more = await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.Equal(["ack:1", "ack:2", "ack:3"], replies);
        Assert.False(more);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_ServerNotReading_WritesWaitForFlowControl()
    {
        // Arrange
        using var call = server.Channel.AsyncClientStreamingCall(M("Stall", MethodType.ClientStreaming));
        var chunk = Text(new string('z', 64 * 1024));
        var held = false;

        // Act: 100 x 64 KiB is far beyond the server's HTTP/2 receive windows; without backpressure every write finishes.
        for (var i = 0; i < 100 && !held; i++)
        {
            var write = call.RequestStream.WriteAsync(chunk);
            held = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(2))) != write;
        }

        // Assert
        Assert.True(held);
    }

    [Fact]
    public async Task AsyncUnaryCall_GzipBothWays_RequestFlaggedAndResponseDecompressed()
    {
        // Act
        using var call = server.Channel.AsyncUnaryCall(M("Compressed"), Text("payload"), new CallOptions(RequestCompression: "gzip"));
        var response = await call.ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Equal("flag=1;encoding=gzip", response.Value);
    }

    [Fact]
    public async Task AsyncUnaryCall_ChannelGzip_AppliesToCallsWithoutOwnSetting()
    {
        // Arrange
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { RequestCompression = "gzip" });

        // Act
        var response = await channel.AsyncUnaryCall(M("Compressed"), Text("payload")).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Equal("flag=1;encoding=gzip", response.Value);
    }

    [Fact]
    public async Task AsyncUnaryCall_NoCompression_SendsUncompressedFrame()
    {
        // Act
        var response = await server.Channel.AsyncUnaryCall(M("Compressed"), Text("payload")).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Equal("flag=0;encoding=", response.Value);
    }

    [Fact]
    public async Task AsyncUnaryCall_MessageAtReceiveLimit_Succeeds()
    {
        // Arrange: a StringValue of n ASCII chars is n + 3 bytes for n < 16384 (tag, two-byte length).
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 10_003 });

        // Act
        var response = await channel.AsyncUnaryCall(M("Big"), Text("10000")).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Equal(10_000, response.Value.Length);
    }
}
