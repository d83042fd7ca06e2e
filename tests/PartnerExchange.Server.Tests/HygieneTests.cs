using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using PartnerExchange.Contracts.V1;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace PartnerExchange.Server.Tests;

public sealed class HygieneTests
{
    [Fact]
    public async Task Logs_TokenRequestsAndCallsAtDebug_NeverHoldSecretsOrTokens()
    {
        var logs = new RecordingLoggerProvider();
        await using var server = await TestServer.StartAsync(builder => builder.Logging.AddProvider(logs), "--Logging:LogLevel:Default=Debug");
        var clientId = TestServer.DemoClientOf(ClientRoles.Partner);
        var secret = TestServer.DemoClients[clientId].Secret;
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);

        var token = await server.TokenAsync(clientId);
        await server.RequestTokenAsync(clientId, "wrong-" + secret);
        await calendar.GetCalendarAsync(
            new GetCalendarRequest { StartDate = new Date { Year = 2026, Month = 5, Day = 1 }, EndDate = new Date { Year = 2026, Month = 5, Day = 1 } },
            new Metadata { { "authorization", "Bearer " + token } }).ResponseAsync.DefaultTimeout();
        await Assert.ThrowsAsync<RpcException>(() => calendar.GetCalendarAsync(
            new GetCalendarRequest(), new Metadata { { "authorization", "Bearer " + token[..^4] + "AAAA" } }).ResponseAsync.DefaultTimeout());

        var text = string.Join("\n", logs.Entries.Select(e => e.Message + e.Exception));
        Assert.Contains("token", text, StringComparison.OrdinalIgnoreCase); // the recorder did see the token traffic
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..40], text, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2][..20], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_WorkOrderWithCustomerPhoneAtDebug_NeverHoldTheFullPhoneNumber()
    {
        var logs = new RecordingLoggerProvider();
        await using var server = await TestServer.StartAsync(
            builder => builder.Logging.AddProvider(logs), "--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Debug");
        var orders = new WorkOrderService.WorkOrderServiceClient(server.Channel);
        var desk = await server.AsAsync(ClientRoles.CarrierDesk);

        var order = await orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Charged twice",
                Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13812341111" },
                Channel = Channel.Hotline,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/si-yunqi-music" },
                Complaint = new Complaint { Description = "Charged twice", Urgency = ComplaintUrgency.Ordinary },
            },
            RequestId = Guid.NewGuid().ToString(),
        }, desk);
        await orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, desk);
        await Assert.ThrowsAsync<RpcException>(async () => await orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder { Customer = new Customer { PhoneNumber = "13812341111x" } },
            RequestId = Guid.NewGuid().ToString(),
        }, desk));

        var text = string.Join("\n", logs.Entries.Select(e => e.Message + e.Exception));
        Assert.Contains("WorkOrders", text, StringComparison.Ordinal); // the recorder did see the database traffic
        Assert.DoesNotContain("13812341111", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_OverTheHeaderLimit_RefusedAndTheServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync(null);
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);
        var options = await server.AsAsync(ClientRoles.Partner);
        var huge = new Metadata { { "authorization", options.Headers![0].Value }, { "x-padding", new string('x', 64 * 1024) } };

        var ex = await Assert.ThrowsAsync<RpcException>(() => calendar.GetCalendarAsync(new GetCalendarRequest(), huge).ResponseAsync.DefaultTimeout());
        var health = await new HealthClient(server.Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        // Kestrel refuses the headers (Kestrel:Limits:MaxRequestHeadersTotalSize) before any handler runs; the
        // client library reports the reset stream as INTERNAL.
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}
