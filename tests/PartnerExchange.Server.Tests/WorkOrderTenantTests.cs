using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PartnerExchange.Contracts.V1;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Tenancy of work orders (issue 7, "Tests that must exist"): another partner's SI calling any WorkOrderService RPC
/// with an order of si-yunqi-music gets exactly the answer a missing order gives, and its lists, page tokens and event
/// feed never show si-yunqi-music's data.
/// </summary>
public sealed class WorkOrderTenantTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private const string Missing = "workOrders/987654";

    private readonly TestServer _server = fixture.Server;

    /// <summary>Every RPC that takes a work order's name, as Jinghe's SI would call it on <c>name</c>.</summary>
    public static TheoryData<string> Rpcs() =>
    [
        "GetWorkOrder", "ListWorkOrderEvents", "AcknowledgeWorkOrder", "ReplyToWorkOrder", "RecordSiteVisit", "RequestHold", "DecideHold",
        "ResolveWorkOrder", "RequestReroute", "RerouteWorkOrder", "RecordRevisit", "ReturnWorkOrder", "CloseWorkOrder", "VoidWorkOrder", "AddNote",
        "MarkMajor", "ReportDirectRequest(repeat_of)",
    ];

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Rpc_OtherPartnersOrder_AnswersExactlyAsForAMissingOrderAndWritesNothing(string rpc)
    {
        var order = await _server.CreateAsync(Complaint(Yunqi));
        var other = await _server.AsSiAsync(Jinghe);
        var before = await _server.WrittenAsync();

        var onTheirs = await FailsAsync(() => CallAsync(rpc, order.Name, other));
        var onMissing = await FailsAsync(() => CallAsync(rpc, Missing, other));

        Assert.Equal(onMissing.StatusCode, onTheirs.StatusCode);
        Assert.Contains(onTheirs.StatusCode, new[] { StatusCode.NotFound, StatusCode.PermissionDenied });
        Assert.Equal(onMissing.Status.Detail.Replace(Missing, order.Name, StringComparison.Ordinal), onTheirs.Status.Detail);
        Assert.Equal(
            onMissing.GetRpcStatus()?.Details.Select(d => d.TypeUrl),
            onTheirs.GetRpcStatus()?.Details.Select(d => d.TypeUrl));
        Assert.Equal(before, await _server.WrittenAsync());
    }

    [Fact]
    public async Task Rpcs_SiAllowedMoves_NotFoundNamingTheOrder()
    {
        var order = await _server.CreateAsync(Complaint(Yunqi));
        var other = await _server.AsSiAsync(Jinghe);

        foreach (var rpc in new[] { "GetWorkOrder", "ListWorkOrderEvents", "AcknowledgeWorkOrder", "ReplyToWorkOrder", "RecordSiteVisit", "RequestHold", "ResolveWorkOrder", "RequestReroute", "AddNote" })
        {
            var error = await FailsAsync(() => CallAsync(rpc, order.Name, other));
            Assert.True(error.StatusCode == StatusCode.NotFound, $"{rpc}: {error.Status}");
            Assert.Contains(order.Name, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListWorkOrders_OtherSi_NeverSeesYunqisOrdersWhateverItFilters()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var theirs = new List<WorkOrder>();
        for (var i = 0; i < 3; i++)
        {
            theirs.Add(await _server.CreateAsync(Complaint(Yunqi)));
        }

        var own = await _server.CreateAsync(Complaint(Jinghe));
        var other = await _server.AsSiAsync(Jinghe);
        var theirNames = theirs.Select(o => o.Name).ToHashSet();

        foreach (var request in new ListWorkOrdersRequest[]
        {
            new() { PageSize = 1 },
            new() { Partner = Yunqi, PageSize = 1 },
            new() { OrderNumber = theirs[0].OrderNumber },
            new() { OrderBy = "update_time", PageSize = 1 },
            new() { Statuses = { WorkOrderStatus.Dispatched }, Kinds = { WorkOrderKind.Complaint } },
        })
        {
            var seen = await _server.ListAllAsync(request, other);
            Assert.DoesNotContain(seen, o => theirNames.Contains(o.Name));
            Assert.All(seen, o => Assert.Equal(Jinghe, o.ResponsibleParty.Partner));
        }

        Assert.Contains(own.Name, (await _server.ListAllAsync(new ListWorkOrdersRequest { Partner = Yunqi }, other)).Select(o => o.Name));
        Assert.Equal(theirs[0].Name, Assert.Single(await _server.ListAllAsync(new ListWorkOrdersRequest { OrderNumber = theirs[0].OrderNumber }, desk)).Name);
    }

    [Fact]
    public async Task PageTokens_OfYunqisCallers_InvalidArgumentForAnotherSi()
    {
        for (var i = 0; i < 2; i++)
        {
            await _server.CreateAsync(Complaint(Yunqi));
        }

        var order = await _server.CreateAsync(Complaint(Yunqi));
        await _server.NoteAsync(order.Name);
        await _server.NoteAsync(order.Name);
        var other = await _server.AsSiAsync(Jinghe);
        var yunqiPage = await _server.Orders().ListWorkOrdersAsync(new ListWorkOrdersRequest { PageSize = 1 }, await _server.AsSiAsync(Yunqi));
        var managerPage = await _server.Orders().ListWorkOrdersAsync(new ListWorkOrdersRequest { PageSize = 1, Partner = Yunqi }, await _server.AsAsync(ClientRoles.PartnerManager));
        var eventsPage = await _server.Orders().ListWorkOrderEventsAsync(new ListWorkOrderEventsRequest { Parent = order.Name, PageSize = 1 }, await _server.AsSiAsync(Yunqi));

        var withSiToken = await FailsAsync(async () => await _server.Orders().ListWorkOrdersAsync(new() { PageSize = 1, PageToken = yunqiPage.NextPageToken }, other));
        var withManagerToken = await FailsAsync(async () => await _server.Orders().ListWorkOrdersAsync(
            new() { PageSize = 1, Partner = Yunqi, PageToken = managerPage.NextPageToken }, other));
        var withEventsToken = await FailsAsync(async () => await _server.Orders().ListWorkOrderEventsAsync(
            new() { Parent = order.Name, PageSize = 1, PageToken = eventsPage.NextPageToken }, other));

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (withSiToken.StatusCode, withManagerToken.StatusCode));
        Assert.Equal(StatusCode.NotFound, withEventsToken.StatusCode);
    }

    [Fact]
    public async Task WatchWorkOrderEvents_OtherSi_NeverSeesYunqisEvents()
    {
        var theirs = await _server.CreateAsync(Complaint(Yunqi));
        await _server.AcknowledgeAsync(theirs.Name, Yunqi);
        var own = await _server.CreateAsync(Complaint(Jinghe));
        await _server.NoteAsync(theirs.Name);

        using var all = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), await _server.AsSiAsync(Jinghe));
        using var asking = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest { Partner = Yunqi }, await _server.AsSiAsync(Jinghe));
        var seen = await all.ResponseStream.ReadUntilQuietAsync(FeedQuiet);
        var seenAsking = await asking.ResponseStream.ReadUntilQuietAsync(FeedQuiet);

        Assert.Contains(seen, e => e.WorkOrder == own.Name);
        Assert.All(seen.Concat(seenAsking), e => Assert.Equal(Jinghe, e.Snapshot.ResponsibleParty.Partner));
        Assert.Equal(seen.Select(e => e.Cursor), seenAsking.Select(e => e.Cursor));
    }

    private async Task CallAsync(string rpc, string name, CallOptions options)
    {
        var orders = _server.Orders();
        var soon = Timestamp.FromDateTimeOffset(Start.AddHours(2));
        var earlier = Timestamp.FromDateTimeOffset(Start.AddMinutes(-5));
        var party = new ResponsibleParty { Kind = ResponsiblePartyKind.CarrierBilling };
        var id = Id();
        Task call = rpc switch
        {
            "GetWorkOrder" => orders.GetWorkOrderAsync(new() { Name = name }, options).ResponseAsync,
            "ListWorkOrderEvents" => orders.ListWorkOrderEventsAsync(new() { Parent = name }, options).ResponseAsync,
            "AcknowledgeWorkOrder" => orders.AcknowledgeWorkOrderAsync(new() { Name = name, RequestId = id }, options).ResponseAsync,
            "ReplyToWorkOrder" => orders.ReplyToWorkOrderAsync(new() { Name = name, ReplyText = "On it", RequestId = id }, options).ResponseAsync,
            "RecordSiteVisit" => orders.RecordSiteVisitAsync(new() { Name = name, VisitTime = earlier, RequestId = id }, options).ResponseAsync,
            "RequestHold" => orders.RequestHoldAsync(new() { Name = name, Reason = "Waiting", HoldEndTime = soon, RequestId = id }, options).ResponseAsync,
            "DecideHold" => orders.DecideHoldAsync(new() { Name = name, Approve = true, Reason = "ok", RequestId = id }, options).ResponseAsync,
            "ResolveWorkOrder" => orders.ResolveWorkOrderAsync(new() { Name = name, ResolutionText = "Done", RequestId = id }, options).ResponseAsync,
            "RequestReroute" => orders.RequestRerouteAsync(new() { Name = name, Reason = "Billing", RequestId = id }, options).ResponseAsync,
            "RerouteWorkOrder" => orders.RerouteWorkOrderAsync(new() { Name = name, Target = party, Reason = "Billing", RequestId = id }, options).ResponseAsync,
            "RecordRevisit" => orders.RecordRevisitAsync(new() { Name = name, Satisfaction = Satisfaction.Satisfied, RequestId = id }, options).ResponseAsync,
            "ReturnWorkOrder" => orders.ReturnWorkOrderAsync(new() { Name = name, Reason = "Again", RequestId = id }, options).ResponseAsync,
            "CloseWorkOrder" => orders.CloseWorkOrderAsync(new() { Name = name, Reason = "Done", RequestId = id }, options).ResponseAsync,
            "VoidWorkOrder" => orders.VoidWorkOrderAsync(new() { Name = name, Reason = "Error", RequestId = id }, options).ResponseAsync,
            "AddNote" => orders.AddNoteAsync(new() { Name = name, Text = "Hello", RequestId = id }, options).ResponseAsync,
            "MarkMajor" => orders.MarkMajorAsync(new() { Name = name, Reason = "Serious", RequestId = id }, options).ResponseAsync,
            "ReportDirectRequest(repeat_of)" => orders.ReportDirectRequestAsync(new()
            {
                Partner = Jinghe,
                Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800001111" },
                Summary = "Complains again",
                Complaint = new Complaint { Description = "Still charged twice", RepeatOf = name, RepeatReason = RepeatReason.NotSatisfiedWithAnswer },
                Channel = DirectChannel.Phone,
                ReceiveTime = earlier,
                RequestId = id,
            }, options).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null),
        };
        await call;
    }
}
