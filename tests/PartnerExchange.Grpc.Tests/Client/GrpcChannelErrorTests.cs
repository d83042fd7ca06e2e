using System.Net;
using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using static PartnerExchange.Grpc.Tests.Client.ClientTestHelpers;

namespace PartnerExchange.Grpc.Tests.Client;

[Collection(ClientServerCollection.Name)]
public sealed class GrpcChannelErrorTests(ClientTestServer server)
{
    private static Method<StringValue, StringValue> M(string name, MethodType type = MethodType.Unary) =>
        StringMethod(ClientTestServer.Service, name, type);

    private async Task<RpcException> UnaryFailsAsync(string method, GrpcChannel? channel = null, string request = "x")
    {
        using var call = (channel ?? server.Channel).AsyncUnaryCall(M(method), Text(request));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(ex.StatusCode, call.GetStatus().StatusCode);
        return ex;
    }

    [Fact]
    public async Task AsyncUnaryCall_TrailersOnly_ThrowsDecodedStatusAndRichStatus()
    {
        // Arrange
        using var call = server.Channel.AsyncUnaryCall(M("TrailersOnly"), Text("x"));

        // Act
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        var headers = await call.ResponseHeadersAsync.DefaultTimeout();

        // Assert
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("nä gefunden: 100%", ex.Status.Detail);
        Assert.Equal(ClientTestServer.RichStatus, ex.RichStatus);
        Assert.Equal("only", ex.Trailers.GetValue("x-info"));
        Assert.Equal("only", headers.GetValue("x-info"));
    }

    [Fact]
    public async Task AsyncServerStreamingCall_TrailersOnly_MoveNextThrows()
    {
        // Arrange
        using var call = server.Channel.AsyncServerStreamingCall(M("TrailersOnly", MethodType.ServerStreaming), Text("x"));

        // Act
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)] // doc/http-grpc-status-mapping.md
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(418, StatusCode.Unknown)]
    public async Task AsyncUnaryCall_NonGrpcHttpStatus_MapsPerSpecTable(int httpStatus, StatusCode expected)
    {
        // Arrange
        var method = StringMethod("http", httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var call = server.Channel.AsyncUnaryCall(method, Text("x"));

        // Act
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Status.Detail, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.DefaultTimeout());
    }

    [Fact]
    public async Task AsyncUnaryCall_UnknownPath_Unimplemented()
    {
        // Act
        var ex = await UnaryFailsAsync("NoSuchMethod");

        // Assert
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_HtmlPage_Unknown()
    {
        // Act
        var ex = await UnaryFailsAsync("Html");

        // Assert
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Contains("text/html", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncUnaryCall_NoGrpcStatusTrailer_Unknown()
    {
        // Act
        var ex = await UnaryFailsAsync("NoStatus");

        // Assert
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_NoMessage_Internal()
    {
        // Act
        var ex = await UnaryFailsAsync("None");

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_TwoMessages_Internal()
    {
        // Act
        var ex = await UnaryFailsAsync("Two");

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_NoMessage_Internal()
    {
        // Arrange
        using var call = server.Channel.AsyncClientStreamingCall(M("None", MethodType.ClientStreaming));
        await call.RequestStream.CompleteAsync().DefaultTimeout();

        // Act
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_TruncatedFrame_Internal()
    {
        // Act
        var ex = await UnaryFailsAsync("Truncated");

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_InvalidProtobuf_Internal()
    {
        // Act
        var ex = await UnaryFailsAsync("Garbage");

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_CompressedWithoutGrpcEncoding_Internal()
    {
        // Act
        var ex = await UnaryFailsAsync("CompressedNoEncoding");

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_UnsupportedGrpcEncoding_Internal()
    {
        // Act
        var ex = await UnaryFailsAsync("CompressedUnsupported");

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("snappy", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncUnaryCall_MessageOverReceiveLimit_ResourceExhausted()
    {
        // Arrange
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });

        // Act
        var ex = await UnaryFailsAsync("Big", channel, "5000");

        // Assert
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_MessageOverDefaultLimit_ResourceExhausted()
    {
        // Act: the default limit is 4 MiB.
        var ex = await UnaryFailsAsync("Big", request: (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Assert
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_RequestOverSendLimit_ResourceExhausted()
    {
        // Arrange
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 100 });

        // Act
        var ex = await UnaryFailsAsync("Unary", channel, new string('q', 500));

        // Assert
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_ConnectionRefused_Unavailable()
    {
        // Arrange: a port that was free a moment ago and has no listener now.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        // Act
        var ex = await UnaryFailsAsync("Unary", channel);

        // Assert
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_DeadlinePassesWhileServerSilent_DeadlineExceededAndStreamReset()
    {
        // Arrange: a clock the test moves, so the deadline cannot pass before the request reaches the server.
        var clock = new ManualTimeProvider();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { TimeProvider = clock });
        var id = Guid.NewGuid().ToString("N");
        var options = new CallOptions(Headers: new Metadata { { "x-test-id", id } }, Deadline: clock.GetUtcNow().UtcDateTime.AddSeconds(5));
        using var call = channel.AsyncUnaryCall(M("Slow"), Text("x"), options);
        var timeoutHeader = await server.Started(id).DefaultTimeout();

        // Act
        clock.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal("5000000u", timeoutHeader);
        Assert.True(await server.Aborted(id).DefaultTimeout());
    }

    [Fact]
    public async Task AsyncUnaryCall_DeadlineAlreadyPassed_DeadlineExceededWithoutSending()
    {
        // Act
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            server.Channel.AsyncUnaryCall(M("Unary"), Text("x"), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_CancellationToken_CancelledAndServerSeesAbort()
    {
        // Arrange
        var id = Guid.NewGuid().ToString("N");
        using var cts = new CancellationTokenSource();
        using var call = server.Channel.AsyncServerStreamingCall(
            M("Slow", MethodType.ServerStreaming), Text("x"), new CallOptions(Headers: new Metadata { { "x-test-id", id } }, CancellationToken: cts.Token));
        Assert.Equal("none", await server.Started(id).DefaultTimeout());
        var read = call.ResponseStream.MoveNext();

        // Act
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => read.DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(await server.Aborted(id).DefaultTimeout());
    }

    [Fact]
    public async Task AsyncClientStreamingCall_Dispose_CancelledAndServerSeesAbort()
    {
        // Arrange
        var id = Guid.NewGuid().ToString("N");
        var call = server.Channel.AsyncClientStreamingCall(M("Slow", MethodType.ClientStreaming), new CallOptions(Headers: new Metadata { { "x-test-id", id } }));
        await call.RequestStream.WriteAsync(Text("x")).DefaultTimeout();
        await server.Started(id).DefaultTimeout();

        // Act
        call.Dispose();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(await server.Aborted(id).DefaultTimeout());
        await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(Text("late")).DefaultTimeout());
    }

    [Fact]
    public async Task AsyncUnaryCall_Dispose_CancelledAndServerSeesAbort()
    {
        // Arrange
        var id = Guid.NewGuid().ToString("N");
        var call = server.Channel.AsyncUnaryCall(M("Slow"), Text("x"), new CallOptions(Headers: new Metadata { { "x-test-id", id } }));
        await server.Started(id).DefaultTimeout();

        // Act
        call.Dispose();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        Assert.True(await server.Aborted(id).DefaultTimeout());
    }

    [Fact]
    public void GetStatus_CallRunning_Throws()
    {
        // Arrange
        var id = Guid.NewGuid().ToString("N");
        using var call = server.Channel.AsyncUnaryCall(M("Slow"), Text("x"), new CallOptions(Headers: new Metadata { { "x-test-id", id } }));

        // Act / Assert
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
    }
}
