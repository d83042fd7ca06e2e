using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Client;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using ReflectionV1 = Grpc.Reflection.V1;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha;

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

    /// <summary>The RPCs that answer for real; every other RPC of the contract is not built yet.</summary>
    private static readonly Marshaller<Empty> EmptyMarshaller = Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom);

    private readonly TestServer _server;

    public ServerStartTests(TestServer server) => _server = server;

    [Fact]
    public async Task ReflectionV1_ListServices_ListsEveryPublicAndStandardService()
    {
        var client = new ReflectionV1.ServerReflection.ServerReflectionClient(_server.Channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ReflectionV1.ServerReflectionRequest { ListServices = "*" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.True(await call.ResponseStream.MoveNext().DefaultTimeout());
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();

        Assert.All(PublicServices, service => Assert.Contains(service, names));
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Fact]
    public async Task ReflectionV1Alpha_FileContainingSymbol_DescribesWorkOrderService()
    {
        var client = new ReflectionV1Alpha.ServerReflection.ServerReflectionClient(_server.Channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ReflectionV1Alpha.ServerReflectionRequest { FileContainingSymbol = "partnerexchange.v1.WorkOrderService" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.True(await call.ResponseStream.MoveNext().DefaultTimeout());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes))
            .ToList();

        var file = Assert.Single(files, f => f.Service.Any(s => s.Name == "WorkOrderService"));
        var rpcs = file.Service.Single(s => s.Name == "WorkOrderService").Method;
        Assert.Contains(rpcs, m => m.Name == "WatchWorkOrderEvents" && m.ServerStreaming);
    }

    [Fact]
    public async Task Reflection_SwitchedOff_AnUnknownServiceToAnonymousCallers()
    {
        await using var server = await TestServer.StartAsync(null, "--Grpc:EnableReflection=false");
        var client = new ReflectionV1.ServerReflection.ServerReflectionClient(server.Channel);
        using var call = client.ServerReflectionInfo();

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ReflectionV1.ServerReflectionRequest { ListServices = "*" }).DefaultTimeout();
            await call.ResponseStream.MoveNext().DefaultTimeout();
        });

        // Like any path that is no public service: refused before it is looked up, so nothing is revealed.
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    public static TheoryData<string, string> EveryRpc()
    {
        var data = new TheoryData<string, string>();
        foreach (var rpc in ServiceCatalog.Descriptors.SelectMany(s => s.Methods))
        {
            data.Add(rpc.Service.Name, rpc.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRpc))]
    public async Task Rpc_EmptyRequest_AnsweredByItsBuiltServiceNeverUnimplemented(string service, string rpc)
    {
        // Every empty message is zero bytes on the wire, so Empty stands in for each RPC's request type. An allowed
        // caller gets the service's own answer (mostly INVALID_ARGUMENT for the missing fields); a feed stays open until
        // its deadline.
        var descriptor = ServiceCatalog.Descriptors.Single(s => s.Name == service).FindMethodByName(rpc);
        var type = descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<Empty, Empty>(type, descriptor.Service.FullName, descriptor.Name, EmptyMarshaller, EmptyMarshaller);
        var invoker = _server.Channel.CreateCallInvoker();
        var options = (await _server.AsAsync(AccessMatrix.Rules[$"{service}/{rpc}"][0])).WithDeadline(DateTime.UtcNow.AddSeconds(5));

        var status = StatusCode.OK;
        try
        {
            if (descriptor.IsServerStreaming)
            {
                using var call = invoker.AsyncServerStreamingCall(method, null, options, new Empty());
                while (await call.ResponseStream.MoveNext().DefaultTimeout())
                {
                }
            }
            else
            {
                await invoker.AsyncUnaryCall(method, null, options, new Empty()).ResponseAsync.DefaultTimeout();
            }
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            Assert.NotNull(ex.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? (status == StatusCode.DeadlineExceeded ? new ErrorInfo() : null));
        }

        Assert.DoesNotContain(status, new[] { StatusCode.Unimplemented, StatusCode.Unknown, StatusCode.Internal, StatusCode.PermissionDenied });
    }

    [Theory]
    [InlineData("/partnerexchange.v1.PartnerService/NoSuchMethod")]
    [InlineData("/partnerexchange.v1.NoSuchService/GetThing")]
    public async Task UnknownPath_GrpcCall_Unimplemented(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = new Method<Empty, Empty>(MethodType.Unary, parts[0], parts[1], EmptyMarshaller, EmptyMarshaller);
        var options = await _server.AsAsync(ClientRoles.Auditor);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, options, new Empty()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task GrpcEndpoint_WrongContentType_415()
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _server.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager)));
        using var content = new ByteArrayContent([0, 0, 0, 0, 0]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync(new Uri(_server.GrpcAddress, "/partnerexchange.v1.PartnerService/ListPartners"), content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Request_OverReceiveLimit_ResourceExhausted()
    {
        var calendar = new CalendarService.CalendarServiceClient(_server.Channel);
        var request = new SetCalendarDaysRequest { Reason = new string('x', ServerProgram.DefaultMaxReceiveMessageSize + 1), RequestId = "over-limit" };

        var options = await _server.AsAsync(ClientRoles.PartnerManager);

        var ex = await Assert.ThrowsAsync<RpcException>(() => calendar.SetCalendarDaysAsync(request, options).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_WholeServer_Serving()
    {
        var health = new HealthClient(_server.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task SdkClient_Create_CallsTheServersMethodPaths()
    {
        using var client = PartnerExchangeClient.Create(_server.GrpcAddress);
        var options = await _server.AsAsync(ClientRoles.PartnerManager);

        var unary = await Assert.ThrowsAsync<RpcException>(() => client.Partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/no-such-partner" }, options).ResponseAsync.DefaultTimeout());
        using var lines = client.Settlements.StreamStatementLines(new StreamStatementLinesRequest { Parent = "partners/si-yunqi-music/statements/2026-10" }, options);
        var streaming = await Assert.ThrowsAsync<RpcException>(() => lines.ResponseStream.MoveNext().DefaultTimeout());

        Assert.Equal((StatusCode.NotFound, "partners/no-such-partner was not found."), (unary.StatusCode, unary.Status.Detail));
        Assert.Equal(StatusCode.NotFound, streaming.StatusCode);
    }

    [Fact]
    public async Task SdkClient_AddPartnerExchangeClient_ResolvesTypedClientsThatCallTheServer()
    {
        var token = await _server.TokenAsync(TestServer.DemoClientOf(ClientRoles.Auditor));
        var services = new ServiceCollection();
        var configured = 0;
        services.AddPartnerExchangeClient(_server.GrpcAddress, client =>
        {
            configured++;
            client.AddCallCredentials((_, metadata) =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return Task.CompletedTask;
            }).ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true);
        });
        await using var provider = services.BuildServiceProvider();

        var calendar = provider.GetRequiredService<CalendarService.CalendarServiceClient>();
        var response = await calendar.GetCalendarAsync(new GetCalendarRequest
        {
            StartDate = new Date { Year = 2026, Month = 10, Day = 1 },
            EndDate = new Date { Year = 2026, Month = 10, Day = 1 },
        }).ResponseAsync.DefaultTimeout();

        Assert.Equal(7, configured);
        Assert.NotNull(provider.GetRequiredService<AuditService.AuditServiceClient>());
        Assert.Equal("National Day", Assert.Single(response.Days).HolidayName);
    }

    [Fact]
    public async Task Start_EmptyDatabase_LoadsSeeds()
    {
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();

        Assert.True(await db.Partners.CountAsync().DefaultTimeout() >= 4);
        Assert.True(await db.CalendarDays.CountAsync().DefaultTimeout() >= 365);
    }
}
