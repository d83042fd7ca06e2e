using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Grpc;

namespace PartnerExchange.Server.Tests;

public sealed class ServerStartTests : IClassFixture<TestServer>
{
    private static readonly string[] PublicServices =
    [
        "partnerexchange.v1.PartnerService",
        "partnerexchange.v1.WorkOrderService",
        "partnerexchange.v1.SettlementService",
        "partnerexchange.v1.ReportService",
        "partnerexchange.v1.CalendarService",
        "partnerexchange.v1.AuditService",
    ];

    private readonly TestServer _server;

    public ServerStartTests(TestServer server) => _server = server;

    [Fact]
    public async Task Reflection_ListServices_ListsEveryPublicAndStandardService()
    {
        var method = Method<ServerReflectionRequest, ServerReflectionResponse>.FromDescriptor(
            ReflectionReflection.Descriptor.Services[0].Methods[0]);
        using var call = _server.Channel.AsyncDuplexStreamingCall(method);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "*" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.True(await call.ResponseStream.MoveNext().DefaultTimeout());
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();

        foreach (var service in PublicServices)
        {
            Assert.Contains(service, names);
        }

        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Fact]
    public async Task Reflection_FileContainingSymbol_DescribesWorkOrderService()
    {
        var method = Method<ServerReflectionRequest, ServerReflectionResponse>.FromDescriptor(
            ReflectionReflection.Descriptor.Services[0].Methods[0]);
        using var call = _server.Channel.AsyncDuplexStreamingCall(method);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "partnerexchange.v1.WorkOrderService" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.True(await call.ResponseStream.MoveNext().DefaultTimeout());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes))
            .ToList();

        var file = Assert.Single(files, f => f.Service.Any(s => s.Name == "WorkOrderService"));
        var rpcs = file.Service.Single(s => s.Name == "WorkOrderService").Method;
        Assert.Contains(rpcs, m => m.Name == "WatchWorkOrderEvents" && m.ServerStreaming);
        Assert.Contains(files, f => f.Name == "google/protobuf/timestamp.proto");
    }

    [Fact]
    public async Task HealthCheck_WholeServer_Serving()
    {
        var method = Method<HealthCheckRequest, HealthCheckResponse>.FromDescriptor(HealthReflection.Descriptor.Services[0].Methods[0]);

        var response = await _server.Channel.AsyncUnaryCall(method, new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    public static TheoryData<string, string> NotBuiltRpcs()
    {
        var data = new TheoryData<string, string>();
        foreach (var descriptor in new[]
        {
            PartnerServiceReflection.Descriptor, WorkOrderServiceReflection.Descriptor, SettlementServiceReflection.Descriptor,
            ReportServiceReflection.Descriptor, CalendarServiceReflection.Descriptor, AuditServiceReflection.Descriptor,
        })
        {
            foreach (var rpc in descriptor.Services[0].Methods)
            {
                data.Add(rpc.Service.Name, rpc.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NotBuiltRpcs))]
    public async Task Rpc_NotBuiltYet_UnimplementedNamingTheRpc(string service, string rpc)
    {
        // Every empty message is zero bytes on the wire, so Empty stands in for each RPC's request type.
        var descriptor = PublicDescriptors().Single(s => s.Name == service).FindMethodByName(rpc);
        var type = descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<Empty, Empty>(type, descriptor.Service.FullName, descriptor.Name);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            if (descriptor.IsServerStreaming)
            {
                using var call = _server.Channel.AsyncServerStreamingCall(method, new Empty());
                await call.ResponseStream.MoveNext().DefaultTimeout();
            }
            else
            {
                await _server.Channel.AsyncUnaryCall(method, new Empty()).ResponseAsync.DefaultTimeout();
            }
        });

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Contains($"{service}.{rpc} is not built yet", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SdkClient_CallsTheServersMethodPaths()
    {
        var partners = new PartnerExchange.Client.PartnerServiceClient(_server.Channel);
        var workOrders = new PartnerExchange.Client.WorkOrderServiceClient(_server.Channel);

        var unary = await Assert.ThrowsAsync<RpcException>(() => partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/x" }).ResponseAsync.DefaultTimeout());
        using var feed = workOrders.WatchWorkOrderEvents(new WatchWorkOrderEventsRequest());
        var streaming = await Assert.ThrowsAsync<RpcException>(() => feed.ResponseStream.MoveNext().DefaultTimeout());

        Assert.Contains("PartnerService.GetPartner is not built yet", unary.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("WorkOrderService.WatchWorkOrderEvents is not built yet", streaming.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EmptyDatabase_LoadsSeeds()
    {
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();

        Assert.True(await db.Partners.CountAsync().DefaultTimeout() >= 4);
        Assert.True(await db.CalendarDays.CountAsync().DefaultTimeout() >= 365);
    }

    private static IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> PublicDescriptors() =>
    [
        PartnerServiceReflection.Descriptor.Services[0], WorkOrderServiceReflection.Descriptor.Services[0],
        SettlementServiceReflection.Descriptor.Services[0], ReportServiceReflection.Descriptor.Services[0],
        CalendarServiceReflection.Descriptor.Services[0], AuditServiceReflection.Descriptor.Services[0],
    ];
}
