using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PartnerExchange.Contracts.V1;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using ErrorReason = PartnerExchange.Domain.ErrorReason;
using WorkOrderService = PartnerExchange.Contracts.V1.WorkOrderService;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Whole days of work orders through the real server on the sandbox clock, which starts at Fri 2026-10-09 10:00 in
/// Asia/Shanghai (the day before the make-up Saturday of 2026-10-10) and moves only when a test advances it.
/// </summary>
public sealed class WorkOrderScenarioTests : IAsyncLifetime
{
    /// <summary>Fri 2026-10-09 10:00 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 10, 9, 2, 0, 0, TimeSpan.Zero);

    private TestServer _server = null!;
    private WorkOrderService.WorkOrderServiceClient _orders = null!;
    private SandboxService.SandboxServiceClient _sandbox = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(null, $"--Sandbox:Clock={Start:O}");
        _orders = new WorkOrderService.WorkOrderServiceClient(_server.Channel);
        _sandbox = new SandboxService.SandboxServiceClient(_server.Channel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Rehearsal_OrdinaryComplaint_ReplyBreachedAfter13Hours()
    {
        var created = await CreateComplaintAsync(ComplaintUrgency.Ordinary);

        await AdvanceAsync(TimeSpan.FromHours(13));
        var order = await _orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = created.Name }, await _server.AsAsync(ClientRoles.CarrierDesk));
        var events = await TimelineAsync(created.Name);

        Assert.Equal(Start.AddHours(12), created.ReplyDeadline.DueTime.ToDateTimeOffset());
        Assert.Equal(Start.AddHours(24), created.ResolveDeadline.DueTime.ToDateTimeOffset());
        Assert.True(order.ReplyDeadline.Breached);
        Assert.False(order.ResolveDeadline.Breached);
        Assert.True(order.Overdue);
        Assert.Equal(
            [
                (WorkOrderEventType.Created, Start, DeadlineClock.Unspecified),
                (WorkOrderEventType.DeadlineWarning, Start.AddHours(6), DeadlineClock.Reply),
                (WorkOrderEventType.DeadlineWarning, Start.AddHours(12), DeadlineClock.Resolve),
                (WorkOrderEventType.DeadlineBreached, Start.AddHours(12), DeadlineClock.Reply),
            ],
            events.Select(e => (e.Type, e.EventTime.ToDateTimeOffset(), e.Clock)));
    }

    [Fact]
    public async Task Complaint_ReturnedTwiceThenClosedSatisfied_FullHistory()
    {
        var si = await _server.AsAsync(ClientRoles.Partner);
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var order = await CreateComplaintAsync(ComplaintUrgency.Ordinary);

        for (var round = 0; round < 3; round++)
        {
            await _orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, si);
            await AdvanceAsync(TimeSpan.FromHours(1));
            await _orders.ReplyToWorkOrderAsync(new ReplyToWorkOrderRequest { Name = order.Name, ReplyText = "Looking into it", RequestId = Id() }, si);
            await _orders.ResolveWorkOrderAsync(new ResolveWorkOrderRequest { Name = order.Name, ResolutionText = "Refunded", RequestId = Id() }, si);
            await AdvanceAsync(TimeSpan.FromHours(1));
            order = await _orders.RecordRevisitAsync(
                new RecordRevisitRequest { Name = order.Name, Satisfaction = round < 2 ? Satisfaction.Dissatisfied : Satisfaction.Satisfied, RequestId = Id() }, desk);
        }

        var events = await TimelineAsync(order.Name);

        Assert.Equal(WorkOrderStatus.Closed, order.Status);
        Assert.Equal(2, order.ReturnCount);
        Assert.Equal(3, order.Revisits.Count);
        Assert.Equal(Satisfaction.Satisfied, order.Satisfaction);
        Assert.Equal((Start.AddHours(16), Start.AddHours(5)), (order.ReplyDeadline.DueTime.ToDateTimeOffset(), order.ReplyDeadline.MetTime.ToDateTimeOffset()));
        WorkOrderEventType[] round1 = [WorkOrderEventType.Acknowledged, WorkOrderEventType.Replied, WorkOrderEventType.Resolved, WorkOrderEventType.Revisited];
        Assert.Equal(
            [WorkOrderEventType.Created, .. round1, WorkOrderEventType.Returned, .. round1, WorkOrderEventType.Returned, .. round1, WorkOrderEventType.Closed],
            events.Select(e => e.Type));
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.Second.Cursor > pair.First.Cursor));
        Assert.Equal(WorkOrderStatus.Closed, events[^1].Snapshot.Status);
    }

    [Fact]
    public async Task IllegalMove_ResolveDispatchedOrder_FailedPreconditionNamingStateAndNothingWritten()
    {
        var order = await CreateComplaintAsync(ComplaintUrgency.Urgent);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _orders.ResolveWorkOrderAsync(
            new ResolveWorkOrderRequest { Name = order.Name, ResolutionText = "done", RequestId = Id() }, await _server.AsAsync(ClientRoles.Partner)));
        var after = await _orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, await _server.AsAsync(ClientRoles.CarrierDesk));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("DISPATCHED", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ErrorReason.IllegalStateTransition, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        var failure = error.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>();
        Assert.Contains("AcknowledgeWorkOrder", Assert.Single(failure.Violations).Description, StringComparison.Ordinal);
        Assert.Equal(order.Etag, after.Etag);
        Assert.Single(await TimelineAsync(order.Name));
    }

    [Fact]
    public async Task OtherPartnersOrder_GetAndMove_NotFoundAsIfMissing()
    {
        var order = await CreateComplaintAsync(ComplaintUrgency.Ordinary);
        var other = new Grpc.Core.CallOptions(new Metadata { { "authorization", "Bearer " + await _server.TokenAsync("demo-si-jinghe-reading") } });

        var get = await Assert.ThrowsAsync<RpcException>(async () => await _orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, other));
        var ack = await Assert.ThrowsAsync<RpcException>(async () =>
            await _orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, other));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = "workOrders/999999" }, other));
        var list = await _orders.ListWorkOrdersAsync(new ListWorkOrdersRequest { Partner = "partners/si-yunqi-music" }, other);

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (get.StatusCode, ack.StatusCode));
        Assert.Equal(missing.Status.Detail.Replace("999999", order.Name["workOrders/".Length..], StringComparison.Ordinal), get.Status.Detail);
        Assert.Empty(list.WorkOrders);
    }

    [Fact]
    public async Task Hold_ApprovedForFourHours_ReplyClockMovesByTheHold()
    {
        var si = await _server.AsAsync(ClientRoles.Partner);
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var order = await CreateComplaintAsync(ComplaintUrgency.Ordinary);
        await _orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, si);
        await AdvanceAsync(TimeSpan.FromHours(2));
        await _orders.RequestHoldAsync(new RequestHoldRequest
        {
            Name = order.Name, Reason = "Customer travelling", HoldEndTime = Timestamp.FromDateTimeOffset(Start.AddHours(6)), RequestId = Id(),
        }, si);

        var held = await _orders.DecideHoldAsync(new DecideHoldRequest { Name = order.Name, Approve = true, Reason = "ok", RequestId = Id() }, desk);
        await AdvanceAsync(TimeSpan.FromHours(10));
        var after = await _orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, desk);

        Assert.Equal(WorkOrderStatus.OnHold, held.Status);
        Assert.Equal(WorkOrderStatus.Acknowledged, after.Status);
        Assert.Equal(Start.AddHours(16), after.ReplyDeadline.DueTime.ToDateTimeOffset());
        Assert.Equal(TimeSpan.FromHours(4), after.ReplyDeadline.PausedDuration.ToTimeSpan());
        Assert.False(after.ReplyDeadline.Breached);
        Assert.Contains(await TimelineAsync(order.Name), e => e.Type == WorkOrderEventType.HoldEnded && e.EventTime.ToDateTimeOffset() == Start.AddHours(6));
    }

    [Fact]
    public async Task EmailEnquiry_ReceivedFridayBeforeMakeUpSaturday_ReplyDueEndOfSaturday()
    {
        var order = await _orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Question by e-mail",
                Customer = new Customer { DisplayName = "Wang Fang", PhoneNumber = "13800001111" },
                Channel = Channel.Email,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/si-yunqi-music" },
                Enquiry = new Enquiry { ServiceName = "Yunqi Music VIP monthly package", Question = "How do I cancel?" },
            },
            RequestId = Id(),
        }, await _server.AsAsync(ClientRoles.CarrierDesk));

        Assert.Equal(new DateTimeOffset(2026, 10, 11, 0, 0, 0, TimeSpan.FromHours(8)), order.ReplyDeadline.DueTime.ToDateTimeOffset());
        Assert.False(order.ReplyDeadline.Provisional);
        Assert.Equal(Start.AddHours(24), order.ResolveDeadline.DueTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task AdvanceClock_Backwards_InvalidArgumentAndClockUnchanged()
    {
        var options = await _server.AsAsync(ClientRoles.Auditor);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(Start.AddHours(-1)) }, options));
        var clock = await _sandbox.GetClockAsync(new GetClockRequest(), options);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(Start, clock.Now.ToDateTimeOffset());
    }

    [Fact]
    public async Task CarrierDepartmentOrder_CarrierAgentWorksIt_SiNeitherSeesNorCountsIt()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var si = await _server.AsAsync(ClientRoles.Partner);
        var order = await _orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Billed twice by BOSS",
                Customer = new Customer { DisplayName = "Li Lei" },
                Channel = Channel.Hotline,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.CarrierBilling },
                Complaint = new Complaint { Description = "Billing error", Urgency = ComplaintUrgency.Ordinary },
            },
            RequestId = Id(),
        }, desk);

        await _orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, desk);
        await _orders.ReplyToWorkOrderAsync(new ReplyToWorkOrderRequest { Name = order.Name, ReplyText = "Checking the bill", RequestId = Id() }, desk);
        var resolved = await _orders.ResolveWorkOrderAsync(new ResolveWorkOrderRequest { Name = order.Name, ResolutionText = "Refunded", RequestId = Id() }, desk);
        var hidden = await Assert.ThrowsAsync<RpcException>(async () => await _orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, si));

        Assert.Equal(WorkOrderStatus.Resolved, resolved.Status);
        Assert.False(resolved.Complaint.CountsInAssessment);
        Assert.Equal("", resolved.ResponsibleParty.Partner);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task CarrierAgent_AcknowledgesPartnersOrder_PermissionDeniedNotResponsible()
    {
        var order = await CreateComplaintAsync(ComplaintUrgency.Ordinary);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _orders.AcknowledgeWorkOrderAsync(
            new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, await _server.AsAsync(ClientRoles.CarrierDesk)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(ErrorReason.NotResponsibleParty, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task ProvisionalDeadline_NewYearEntered_RecomputedAndNoLongerProvisional()
    {
        await using var server = await TestServer.StartAsync(null, "--Sandbox:Clock=2026-12-31T10:00:00+08:00");
        var orders = new WorkOrderService.WorkOrderServiceClient(server.Channel);
        var order = await orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Question by e-mail",
                Customer = new Customer { DisplayName = "Wang Fang" },
                Channel = Channel.Web,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/si-yunqi-music" },
                Enquiry = new Enquiry { ServiceName = "Yunqi Music VIP monthly package", Question = "Renewal date?" },
            },
            RequestId = Id(),
        }, await server.AsAsync(ClientRoles.CarrierDesk));
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);
        var request = new SetCalendarDaysRequest { Reason = "2027 holiday schedule", RequestId = Id() };
        request.Days.Add(new CalendarDay { Date = new Date { Year = 2027, Month = 1, Day = 1 }, Kind = DayKind.DayOff, HolidayName = "New Year's Day" });
        request.Days.Add(new CalendarDay { Date = new Date { Year = 2027, Month = 1, Day = 2 }, Kind = DayKind.DayOff, HolidayName = "New Year's Day" });
        request.Days.Add(new CalendarDay { Date = new Date { Year = 2027, Month = 1, Day = 3 }, Kind = DayKind.DayOff, HolidayName = "New Year's Day" });
        request.Days.Add(new CalendarDay { Date = new Date { Year = 2027, Month = 1, Day = 4 }, Kind = DayKind.WorkingDay });

        var set = await calendar.SetCalendarDaysAsync(request, await server.AsAsync(ClientRoles.PartnerManager));
        var after = await orders.GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, await server.AsAsync(ClientRoles.CarrierDesk));
        var timeline = await orders.ListWorkOrderEventsAsync(new ListWorkOrderEventsRequest { Parent = order.Name }, await server.AsAsync(ClientRoles.PartnerManager));

        Assert.Equal((new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.FromHours(8)), true), (order.ReplyDeadline.DueTime.ToDateTimeOffset(), order.ReplyDeadline.Provisional));
        Assert.Equal(1, set.RecomputedDeadlineCount);
        Assert.Equal((new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.FromHours(8)), false), (after.ReplyDeadline.DueTime.ToDateTimeOffset(), after.ReplyDeadline.Provisional));
        Assert.Contains(timeline.WorkOrderEvents, e => e.Type == WorkOrderEventType.DeadlineRecomputed && e.Clock == DeadlineClock.Reply);
    }

    private static string Id() => Guid.NewGuid().ToString();

    private async Task<WorkOrder> CreateComplaintAsync(ComplaintUrgency urgency) =>
        await _orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Charged twice for VIP",
                Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800001111" },
                Channel = Channel.Hotline,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/si-yunqi-music" },
                Complaint = new Complaint { Description = "Charged twice this month", Urgency = urgency },
            },
            RequestId = Id(),
        }, await _server.AsAsync(ClientRoles.CarrierDesk));

    private async Task AdvanceAsync(TimeSpan by)
    {
        var options = await _server.AsAsync(ClientRoles.CarrierDesk);
        var now = (await _sandbox.GetClockAsync(new GetClockRequest(), options)).Now.ToDateTimeOffset();
        await _sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(now + by) }, options);
    }

    private async Task<List<WorkOrderEvent>> TimelineAsync(string name)
    {
        var response = await _orders.ListWorkOrderEventsAsync(new ListWorkOrderEventsRequest { Parent = name }, await _server.AsAsync(ClientRoles.PartnerManager));
        return [.. response.WorkOrderEvents];
    }
}
