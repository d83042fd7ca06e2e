using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Grpc.Health;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace PartnerExchange.Grpc.Tests.Server;

public sealed class HealthAndReflectionTests
{
    private const string HealthPath = "/grpc.health.v1.Health/";

    [Fact]
    public async Task HealthCheck_WholeServer_Serving()
    {
        await using var server = await StartAsync();

        var result = await server.Client.CallAsync(HealthPath + "Check", GrpcWire.Frame(new HealthCheckRequest()));

        Assert.Equal(ServingStatus.Serving, Assert.Single(GrpcWire.ReadMessages(result.Body, HealthCheckResponse.Parser)).Status);
    }

    [Fact]
    public async Task HealthCheck_StatusSetInRegistry_Reported()
    {
        await using var server = await StartAsync();
        server.Services.GetRequiredService<HealthStatusRegistry>().SetStatus("orders", ServingStatus.NotServing);

        var result = await server.Client.CallAsync(HealthPath + "Check", GrpcWire.Frame(new HealthCheckRequest { Service = "orders" }));

        Assert.Equal(ServingStatus.NotServing, Assert.Single(GrpcWire.ReadMessages(result.Body, HealthCheckResponse.Parser)).Status);
    }

    [Fact]
    public async Task HealthCheck_UnknownService_NotFound()
    {
        await using var server = await StartAsync();

        var result = await server.Client.CallAsync(HealthPath + "Check", GrpcWire.Frame(new HealthCheckRequest { Service = "nope" }));

        Assert.Equal(StatusCode.NotFound, result.StatusCode);
    }

    [Fact]
    public async Task HealthWatch_UnknownThenSet_SendsServiceUnknownThenEachChange()
    {
        await using var server = await StartAsync();
        var registry = server.Services.GetRequiredService<HealthStatusRegistry>();
        using var cts = new CancellationTokenSource();
        using var request = GrpcWire.Request(HealthPath + "Watch", new ByteArrayContent(GrpcWire.Frame(new HealthCheckRequest { Service = "orders" })));
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).DefaultTimeout();
        var stream = await response.Content.ReadAsStreamAsync().DefaultTimeout();

        var first = await ReadAsync(stream, HealthCheckResponse.Parser);
        registry.SetStatus("orders", ServingStatus.Serving);
        var second = await ReadAsync(stream, HealthCheckResponse.Parser);
        registry.SetStatus("orders", ServingStatus.NotServing);
        var third = await ReadAsync(stream, HealthCheckResponse.Parser);
        await cts.CancelAsync();

        Assert.Equal(ServingStatus.ServiceUnknown, first.Status);
        Assert.Equal(ServingStatus.Serving, second.Status);
        Assert.Equal(ServingStatus.NotServing, third.Status);
    }

    [Fact]
    public async Task Reflection_ListServices_IncludesMappedHealthAndReflection()
    {
        await using var server = await StartAsync();

        var answers = await ReflectAsync(server, new V1.ServerReflectionRequest { ListServices = "" });

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "partnerexchange.grpctest.TestService"],
            answers.Single().ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("partnerexchange.grpctest.TestService")]
    [InlineData("partnerexchange.grpctest.TestService.Duplex")]
    [InlineData("partnerexchange.grpctest.EchoRequest")]
    [InlineData("partnerexchange.grpctest.EchoRequest.Inner")]
    [InlineData("partnerexchange.grpctest.EchoRequest.Mode")]
    public async Task Reflection_FileContainingSymbol_FileThenTransitiveDependencies(string symbol)
    {
        await using var server = await StartAsync();

        var answer = (await ReflectAsync(server, new V1.ServerReflectionRequest { FileContainingSymbol = symbol })).Single();

        var files = answer.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name).ToList();
        Assert.Equal(["server_test.proto", "google/protobuf/timestamp.proto"], files);
        Assert.Equal(symbol, answer.OriginalRequest.FileContainingSymbol);
    }

    [Fact]
    public async Task Reflection_SeveralRequestsOnOneStream_AnsweredInOrderWithNotFound()
    {
        await using var server = await StartAsync();

        var answers = await ReflectAsync(
            server,
            new V1.ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" },
            new V1.ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" },
            new V1.ServerReflectionRequest { FileByFilename = "nope.proto" },
            new V1.ServerReflectionRequest { FileContainingSymbol = "google.protobuf.Timestamp" });

        Assert.Equal(4, answers.Count);
        Assert.Equal("grpc/health/v1/health.proto", FileDescriptorProto.Parser.ParseFrom(answers[0].FileDescriptorResponse.FileDescriptorProto[0]).Name);
        Assert.Equal((int)StatusCode.NotFound, answers[1].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.NotFound, answers[2].ErrorResponse.ErrorCode);
        Assert.Equal("google/protobuf/timestamp.proto", FileDescriptorProto.Parser.ParseFrom(answers[3].FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Fact]
    public async Task ReflectionV1Alpha_ListServices_Answered()
    {
        await using var server = await StartAsync();

        var result = await server.Client.CallAsync(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            GrpcWire.Frame(new V1Alpha.ServerReflectionRequest { ListServices = "" }));

        var answer = Assert.Single(GrpcWire.ReadMessages(result.Body, V1Alpha.ServerReflectionResponse.Parser));
        Assert.Contains(answer.ListServicesResponse.Service, s => s.Name == "partnerexchange.grpctest.TestService");
    }

    private static Task<GrpcTestServer> StartAsync() => GrpcTestServer.StartAsync(map: app =>
    {
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
    });

    private static async Task<List<V1.ServerReflectionResponse>> ReflectAsync(GrpcTestServer server, params V1.ServerReflectionRequest[] requests)
    {
        var body = requests.SelectMany(r => GrpcWire.Frame(r)).ToArray();
        var result = await server.Client.CallAsync("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", body);
        Assert.Equal(StatusCode.OK, result.StatusCode);
        return GrpcWire.ReadMessages(result.Body, V1.ServerReflectionResponse.Parser);
    }

    private static async Task<T> ReadAsync<T>(Stream stream, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header).DefaultTimeout();
        var payload = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1))];
        await stream.ReadExactlyAsync(payload).DefaultTimeout();
        return parser.ParseFrom(payload);
    }
}
