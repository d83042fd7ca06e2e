using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

public sealed class ProtocolErrorTests
{
    private const string Unary = GrpcTestServer.ServicePath + "Unary";

    [Fact]
    public async Task Unary_MessageOverReceiveLimit_ResourceExhaustedAndHandlerNotCalled()
    {
        await using var server = await GrpcTestServer.StartAsync(options: o => o.MaxReceiveMessageSize = 100);

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest { Text = new string('x', 200) }));

        Assert.Equal(StatusCode.ResourceExhausted, result.StatusCode);
        Assert.True(result.IsTrailersOnly);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Unary_DefaultLimit_FourMiBAcceptedAndMoreRejected()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var limit = 4 * 1024 * 1024;

        var atLimit = await server.Client.CallAsync(Unary, GrpcWire.Frame(new byte[limit]));
        var overLimit = await server.Client.CallAsync(Unary, GrpcWire.Frame(new byte[limit + 1]));

        // 4 MiB of zero bytes does not parse as EchoRequest (field number 0), but it passes the size check first.
        Assert.Equal(StatusCode.Internal, atLimit.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, overLimit.StatusCode);
    }

    [Fact]
    public async Task Unary_CompressedMessageOverLimitAfterDecompression_ResourceExhausted()
    {
        await using var server = await GrpcTestServer.StartAsync(options: o => o.MaxReceiveMessageSize = 1000);
        var frame = GrpcWire.Frame(new EchoRequest { Text = new string('x', 5000) }, compress: true);

        var result = await server.Client.CallAsync(Unary, frame, ("grpc-encoding", "gzip"));

        Assert.True(frame.Length < 1000);
        Assert.Equal(StatusCode.ResourceExhausted, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Unary_BodyEndsMidFrame_InternalAndHandlerNotCalled()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var frame = GrpcWire.Frame(new EchoRequest { Text = "hello" });

        var result = await server.Client.CallAsync(Unary, frame[..^2]);

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Unary_BytesThatDoNotParse_InternalAndHandlerNotCalled()
    {
        await using var server = await GrpcTestServer.StartAsync();

        // Field 1 (string) declares 5 bytes but only 1 follows.
        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame([0x0A, 0x05, 0x61]));

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Unary_NoRequestMessage_Internal()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(Unary, []);

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Unary_TwoRequestMessages_Internal()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var frame = GrpcWire.Frame(new EchoRequest { Text = "a" });

        var result = await server.Client.CallAsync(Unary, [.. frame, .. frame]);

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task ClientStreaming_TruncatedSecondMessage_InternalEvenIfHandlerSwallowsTheError()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.ClientStream = async (requests, context) =>
        {
            try
            {
                while (await requests.MoveNext(context.CancellationToken))
                {
                }
            }
            catch (RpcException)
            {
                // A careless handler; the status must still report the bad input.
            }

            return new EchoReply { Text = "should not be sent" };
        });
        var good = GrpcWire.Frame(new EchoRequest { Text = "a" });

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "ClientStream", [.. good, .. good[..3]]);

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Empty(result.Body);
    }

    [Fact]
    public async Task UnknownMethodOnKnownService_UnimplementedTrailersOnly()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Nope", GrpcWire.Frame(new EchoRequest()));

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.True(result.IsTrailersOnly);
        Assert.Equal("application/grpc", result.Header("content-type"));
        Assert.Equal(StatusCode.Unimplemented, result.StatusCode);
        Assert.Equal("Method is unimplemented.", result.Message);
    }

    [Theory]
    [InlineData("/no.such.Service/Method")]
    [InlineData("/a/b/c")]
    [InlineData("/")]
    public async Task UnknownService_UnimplementedTrailersOnly(string path)
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(path, GrpcWire.Frame(new EchoRequest()));

        Assert.True(result.IsTrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, result.StatusCode);
    }

    [Fact]
    public async Task UnknownPathWithoutGrpcContentType_LeftToTheApplication404()
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await server.Client.PostAsync("/no.such.Service/Method", content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GrpcPath_NonGrpcContentType_Http415()
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var content = new ByteArrayContent(GrpcWire.Frame(new EchoRequest()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var request = GrpcWire.Request(Unary, content);
        using var response = await server.Client.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task GrpcPath_Get_Http405()
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, Unary) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await server.Client.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Handler_ThrowsException_UnknownWithGenericMessageAndLoggedWithMethod()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, _) => throw new InvalidOperationException("secret detail"));

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unknown, result.StatusCode);
        Assert.Equal("Exception was thrown by handler.", result.Message);
        Assert.Contains(server.Logs.Entries, e => e.Level == LogLevel.Error
            && e.Message.Contains("/partnerexchange.grpctest.TestService/Unary", StringComparison.Ordinal)
            && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Handler_ThrowsExceptionWithDetailedErrors_MessageIncludesExceptionMessage()
    {
        await using var server = await GrpcTestServer.StartAsync(
            b => b.Unary = (_, _) => throw new InvalidOperationException("secret detail"),
            o => o.EnableDetailedErrors = true);

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unknown, result.StatusCode);
        Assert.StartsWith("Exception was thrown by handler.", result.Message, StringComparison.Ordinal);
        Assert.Contains("secret detail", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ThrowsRpcException_StatusPercentEncodedMessageTrailersAndRichStatus()
    {
        var rich = new Google.Rpc.Status
        {
            Code = (int)StatusCode.InvalidArgument,
            Message = "bad order",
            Details = { Any.Pack(new Google.Rpc.BadRequest { FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = "id", Description = "empty" } } }) },
        };
        var trailers = new Metadata { { "x-reason", "empty-id" }, { "x-raw-bin", new byte[] { 0, 1, 2, 255 } } };
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, _) =>
            throw new RpcException(new Status(StatusCode.InvalidArgument, "id é 100%\n"), trailers, rich));

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.True(result.IsTrailersOnly);
        Assert.Equal(StatusCode.InvalidArgument, result.StatusCode);
        Assert.Equal("id %C3%A9 100%25%0A", result.Message);
        Assert.Equal("empty-id", result.Value("x-reason"));
        Assert.Equal("AAEC/w", result.Value("x-raw-bin"));
        var details = result.Value("grpc-status-details-bin")!;
        Assert.DoesNotContain("=", details, StringComparison.Ordinal);
        var decoded = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(details.PadRight((details.Length + 3) / 4 * 4, '=')));
        Assert.Equal(rich, decoded);
    }

    [Fact]
    public async Task ServerStreaming_RpcExceptionAfterAMessage_StatusInTrailers()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.ServerStream = async (_, writer, _) =>
        {
            await writer.WriteAsync(new EchoReply { Text = "first" });
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "stop"));
        });

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "ServerStream", GrpcWire.Frame(new EchoRequest()));

        Assert.Equal("first", Assert.Single(GrpcWire.ReadMessages(result.Body, EchoReply.Parser)).Text);
        Assert.False(result.Headers.Contains("grpc-status"));
        Assert.Equal("9", string.Join(",", result.Trailers.GetValues("grpc-status")));
        Assert.Equal("stop", string.Join(",", result.Trailers.GetValues("grpc-message")));
    }

    [Fact]
    public async Task Unary_StatusSetOnContext_NoMessageAndThatStatus()
    {
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, context) =>
        {
            context.Status = new Status(StatusCode.NotFound, "no such order");
            context.ResponseTrailers.Add("x-order", "42");
            return Task.FromResult(new EchoReply { Text = "ignored" });
        });

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.True(result.IsTrailersOnly);
        Assert.Equal(StatusCode.NotFound, result.StatusCode);
        Assert.Equal("42", result.Value("x-order"));
    }

    [Fact]
    public async Task Unary_ResponseOverSendLimit_ResourceExhausted()
    {
        await using var server = await GrpcTestServer.StartAsync(
            b => b.Unary = (_, _) => Task.FromResult(new EchoReply { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[500]) }),
            o => o.MaxSendMessageSize = 100);

        var result = await server.Client.CallAsync(Unary, GrpcWire.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.ResourceExhausted, result.StatusCode);
        Assert.Empty(result.Body);
    }
}
