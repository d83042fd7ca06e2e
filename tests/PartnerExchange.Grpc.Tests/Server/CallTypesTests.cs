using System.Net;
using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

public sealed class CallTypesTests
{
    [Fact]
    public async Task Unary_OneRequest_ReturnsResponseAndOkInTrailers()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(
            GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest { Text = "hello" }));

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal("application/grpc", result.Header("content-type"));
        Assert.Equal("identity,gzip", result.Header("grpc-accept-encoding"));
        var reply = Assert.Single(GrpcWire.ReadMessages(result.Body, EchoReply.Parser));
        Assert.Equal("hello", reply.Text);
        Assert.Equal("0", string.Join(",", result.Trailers.GetValues("grpc-status")));
        Assert.False(result.Headers.Contains("grpc-status"));
    }

    [Fact]
    public async Task ServerStreaming_CountThree_ReturnsThreeMessagesThenOk()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(
            GrpcTestServer.ServicePath + "ServerStream", GrpcWire.Frame(new EchoRequest { Text = "m", Count = 3 }));

        Assert.Equal(["m0", "m1", "m2"], GrpcWire.ReadMessages(result.Body, EchoReply.Parser).Select(r => r.Text));
        Assert.Equal(StatusCode.OK, result.StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_ThreeRequestsInOneBody_ReturnsOneJoinedResponse()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var body = new[] { "a", "b", "c" }.SelectMany(t => GrpcWire.Frame(new EchoRequest { Text = t })).ToArray();

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "ClientStream", body);

        Assert.Equal("a,b,c", Assert.Single(GrpcWire.ReadMessages(result.Body, EchoReply.Parser)).Text);
        Assert.Equal(StatusCode.OK, result.StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_NoRequests_ReturnsEmptyJoinedResponse()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "ClientStream", []);

        Assert.Equal(string.Empty, Assert.Single(GrpcWire.ReadMessages(result.Body, EchoReply.Parser)).Text);
        Assert.Equal(StatusCode.OK, result.StatusCode);
    }

    [Fact]
    public async Task Duplex_PingPong_EachRequestAnsweredBeforeTheNextIsSent()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var content = new StreamingContent();
        using var request = GrpcWire.Request(GrpcTestServer.ServicePath + "Duplex", content);
        await content.WriteAsync(GrpcWire.Frame(new EchoRequest { Text = "one" }));
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        var stream = await response.Content.ReadAsStreamAsync().DefaultTimeout();

        var first = await ReadOneAsync(stream);
        await content.WriteAsync(GrpcWire.Frame(new EchoRequest { Text = "two" }));
        var second = await ReadOneAsync(stream);
        content.Complete();
        var rest = new MemoryStream();
        await stream.CopyToAsync(rest).DefaultTimeout();

        Assert.Equal("echo:one", first.Text);
        Assert.Equal("echo:two", second.Text);
        Assert.Empty(rest.ToArray());
        Assert.Equal("0", string.Join(",", response.TrailingHeaders.GetValues("grpc-status")));
    }

    internal static async Task<EchoReply> ReadOneAsync(Stream stream)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header).DefaultTimeout();
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload).DefaultTimeout();
        return EchoReply.Parser.ParseFrom(header[0] == 1 ? GrpcWire.Gunzip(payload) : payload);
    }
}
