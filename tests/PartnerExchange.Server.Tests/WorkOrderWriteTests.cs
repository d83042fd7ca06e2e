using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkOrderStore = PartnerExchange.Server.Services.WorkOrderStore;
using PartnerExchange.Contracts.V1;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using ErrorReason = PartnerExchange.Domain.ErrorReason;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Every write of issue 8 through the real server: bad input named by proto path, request_id replays and reuse
/// (per authenticated client and method, common.proto), stale etags, racing moves, and the audit entry of each write.
/// Tests of one class run one at a time, so "nothing written" compares the whole database before and after.
/// </summary>
public sealed class WorkOrderWriteTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    /// <summary>Bad CreateWorkOrder input (contract doc comments of CreateWorkOrderRequest and WorkOrder).</summary>
    [Theory]
    [InlineData("customer missing", "work_order.customer")]
    [InlineData("customer name missing", "work_order.customer.display_name")]
    [InlineData("channel missing", "work_order.channel")]
    [InlineData("channel DIRECT_TO_SI", "work_order.channel")]
    [InlineData("summary longer than 200", "work_order.summary")]
    [InlineData("detail missing", "work_order.detail")]
    [InlineData("complaint urgency missing", "work_order.complaint.urgency")]
    [InlineData("complaint repeat_of malformed", "work_order.complaint.repeat_of")]
    [InlineData("complaint repeat_of without reason", "work_order.complaint.repeat_reason")]
    [InlineData("fault severity missing", "work_order.fault_report.severity")]
    [InlineData("fault started in the future", "work_order.fault_report.start_time")]
    [InlineData("on-site support without site contact", "work_order.technical_support.site_contact_name,work_order.technical_support.site_contact_phone")]
    [InlineData("responsible party missing", "work_order.responsible_party.kind")]
    [InlineData("carrier department with a partner", "work_order.responsible_party.partner")]
    [InlineData("request_id missing", "request_id")]
    public async Task CreateWorkOrder_BadField_InvalidArgumentNamingItAndNothingWritten(string scenario, string fields)
    {
        var request = new CreateWorkOrderRequest { WorkOrder = Complaint(), RequestId = Id() };
        var order = request.WorkOrder;
        switch (scenario)
        {
            case "customer missing": order.Customer = null; break;
            case "customer name missing": order.Customer.DisplayName = string.Empty; break;
            case "channel missing": order.Channel = Channel.Unspecified; break;
            case "channel DIRECT_TO_SI": order.Channel = Channel.DirectToSi; break;
            case "summary longer than 200": order.Summary = new string('x', 201); break;
            case "detail missing": order.ClearDetail(); break;
            case "complaint urgency missing": order.Complaint.Urgency = ComplaintUrgency.Unspecified; break;
            case "complaint repeat_of malformed":
                order.Complaint.RepeatOf = "complaints/12";
                order.Complaint.RepeatReason = RepeatReason.NotSatisfiedWithAnswer;
                break;
            case "complaint repeat_of without reason": order.Complaint.RepeatOf = "workOrders/1"; break;
            case "fault severity missing": order.FaultReport = Fault(FaultSeverity.Unspecified, Start.AddHours(-1)); break;
            case "fault started in the future": order.FaultReport = Fault(FaultSeverity.General, Start.AddHours(1)); break;
            case "on-site support without site contact":
                order.TechnicalSupport = new TechnicalSupport
                {
                    SupportType = TechnicalSupportType.OnSite, AffectedService = "Fleet tracker", Location = "Depot 3", Description = "Install the box",
                };
                break;
            case "responsible party missing": order.ResponsibleParty = null; break;
            case "carrier department with a partner": order.ResponsibleParty.Kind = ResponsiblePartyKind.CarrierNetwork; break;
            case "request_id missing": request.RequestId = string.Empty; break;
            default: throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        var before = await _server.WrittenAsync();

        var error = await FailsAsync(async () => await _server.Orders().CreateWorkOrderAsync(request, await _server.AsAsync(ClientRoles.CarrierDesk)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(fields.Split(','), error.Fields());
        Assert.Equal(before, await _server.WrittenAsync());
    }

    /// <summary>Bad ReportDirectRequest input (contract doc comments of ReportDirectRequestRequest).</summary>
    [Theory]
    [InlineData("customer missing", "customer")]
    [InlineData("channel missing", "channel")]
    [InlineData("receive_time missing", "receive_time")]
    [InlineData("receive_time in the future", "receive_time")]
    [InlineData("partner malformed", "partner")]
    [InlineData("detail missing", "detail")]
    [InlineData("summary missing", "summary")]
    public async Task ReportDirectRequest_BadField_InvalidArgumentNamingItAndNothingWritten(string scenario, string field)
    {
        var request = DirectEnquiry(Yunqi, Id());
        switch (scenario)
        {
            case "customer missing": request.Customer = null; break;
            case "channel missing": request.Channel = DirectChannel.Unspecified; break;
            case "receive_time missing": request.ReceiveTime = null; break;
            case "receive_time in the future": request.ReceiveTime = Timestamp.FromDateTimeOffset(Start.AddMinutes(1)); break;
            case "partner malformed": request.Partner = "si-yunqi-music"; break;
            case "detail missing": request.ClearDetail(); break;
            case "summary missing": request.Summary = " "; break;
            default: throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        var before = await _server.WrittenAsync();

        var error = await FailsAsync(async () => await _server.Orders().ReportDirectRequestAsync(request, await _server.AsSiAsync(Yunqi)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([field], error.Fields());
        Assert.Equal(before, await _server.WrittenAsync());
    }

    /// <summary>Bad input of the moves (contract doc comments of each request message).</summary>
    [Theory]
    [InlineData("acknowledge: name malformed", "name")]
    [InlineData("acknowledge: request_id missing", "request_id")]
    [InlineData("reply: reply_text empty", "reply_text")]
    [InlineData("hold: reason empty", "reason")]
    [InlineData("hold: end in the past", "hold_end_time")]
    [InlineData("hold: end more than 30 days ahead", "hold_end_time")]
    [InlineData("decide hold: reason empty", "reason")]
    [InlineData("resolve: resolution_text empty", "resolution_text")]
    [InlineData("reroute request: reason empty", "reason")]
    [InlineData("reroute: target missing", "target.kind")]
    [InlineData("revisit: satisfaction missing", "satisfaction")]
    [InlineData("return: reason empty", "reason")]
    [InlineData("close: reason empty", "reason")]
    [InlineData("void: reason empty", "reason")]
    [InlineData("note: longer than 4000", "text")]
    [InlineData("mark major: reason empty", "reason")]
    [InlineData("site visit: time in the future", "visit_time")]
    public async Task Move_BadField_InvalidArgumentNamingItAndNothingWritten(string scenario, string field)
    {
        var order = await _server.CreateAsync();
        order = await _server.AcknowledgeAsync(order.Name);
        var name = order.Name;
        var si = await _server.AsSiAsync(Yunqi);
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var orders = _server.Orders();
        Func<Task> call = scenario switch
        {
            "acknowledge: name malformed" => async () => await orders.AcknowledgeWorkOrderAsync(new() { Name = "workOrders/abc", RequestId = Id() }, si),
            "acknowledge: request_id missing" => async () => await orders.AcknowledgeWorkOrderAsync(new() { Name = name }, si),
            "reply: reply_text empty" => async () => await orders.ReplyToWorkOrderAsync(new() { Name = name, ReplyText = "  ", RequestId = Id() }, si),
            "hold: reason empty" => async () => await orders.RequestHoldAsync(
                new() { Name = name, HoldEndTime = Timestamp.FromDateTimeOffset(Start.AddHours(2)), RequestId = Id() }, si),
            "hold: end in the past" => async () => await orders.RequestHoldAsync(
                new() { Name = name, Reason = "Customer away", HoldEndTime = Timestamp.FromDateTimeOffset(Start.AddHours(-1)), RequestId = Id() }, si),
            "hold: end more than 30 days ahead" => async () => await orders.RequestHoldAsync(
                new() { Name = name, Reason = "Customer away", HoldEndTime = Timestamp.FromDateTimeOffset(Start.AddDays(31)), RequestId = Id() }, si),
            "decide hold: reason empty" => async () => await orders.DecideHoldAsync(new() { Name = name, Approve = true, RequestId = Id() }, desk),
            "resolve: resolution_text empty" => async () => await orders.ResolveWorkOrderAsync(new() { Name = name, RequestId = Id() }, si),
            "reroute request: reason empty" => async () => await orders.RequestRerouteAsync(new() { Name = name, RequestId = Id() }, si),
            "reroute: target missing" => async () => await orders.RerouteWorkOrderAsync(new() { Name = name, Reason = "Billing problem", RequestId = Id() }, desk),
            "revisit: satisfaction missing" => async () => await orders.RecordRevisitAsync(new() { Name = name, RequestId = Id() }, desk),
            "return: reason empty" => async () => await orders.ReturnWorkOrderAsync(new() { Name = name, RequestId = Id() }, desk),
            "close: reason empty" => async () => await orders.CloseWorkOrderAsync(new() { Name = name, RequestId = Id() }, desk),
            "void: reason empty" => async () => await orders.VoidWorkOrderAsync(new() { Name = name, Reason = "", RequestId = Id() }, desk),
            "note: longer than 4000" => async () => await orders.AddNoteAsync(new() { Name = name, Text = new string('n', 4001), RequestId = Id() }, desk),
            "mark major: reason empty" => async () => await orders.MarkMajorAsync(new() { Name = name, RequestId = Id() }, desk),
            "site visit: time in the future" => async () => await orders.RecordSiteVisitAsync(
                new() { Name = name, VisitTime = Timestamp.FromDateTimeOffset(Start.AddHours(1)), RequestId = Id() }, si),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };
        var before = await _server.WrittenAsync();

        var error = await FailsAsync(call);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([field], error.Fields());
        Assert.Equal(before, await _server.WrittenAsync());
        Assert.Equal(order.Etag, (await orders.GetWorkOrderAsync(new() { Name = name }, desk)).Etag);
    }

    [Fact]
    public async Task CreateWorkOrder_ManyAtOnceSomeRefusedInsideTheWrite_EachStoredOrRefusedAlone()
    {
        // On SQLite concurrent writes share commits: a refusal inside one write (routing to a partner that does not
        // exist) must roll back only that write, and every stored order must come whole, with its events.
        await using var server = await TestServer.StartAsync(null, [SandboxAt(Start)]);
        var desk = await server.AsAsync(ClientRoles.CarrierDesk);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var request = new CreateWorkOrderRequest { WorkOrder = Complaint(i % 2 == 0 ? Yunqi : "partners/si-nobody"), RequestId = Id() };
            try
            {
                return (Good: i % 2 == 0, Code: StatusCode.OK, (await server.Orders().CreateWorkOrderAsync(request, desk)).Name);
            }
            catch (RpcException e)
            {
                return (Good: i % 2 == 0, Code: e.StatusCode, Name: string.Empty);
            }
        }))).DefaultTimeout();

        Assert.All(outcomes, o => Assert.Equal(o.Good ? StatusCode.OK : StatusCode.NotFound, o.Code));
        var stored = outcomes.Where(o => o.Good).Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(20, stored.Distinct().Count());
        var listed = await server.ListAllAsync(new ListWorkOrdersRequest { PageSize = 500 }, await server.AsAsync(ClientRoles.PartnerManager));
        Assert.Equal(stored, listed.Select(o => o.Name).Order(StringComparer.Ordinal));
        foreach (var name in stored)
        {
            var timeline = await server.TimelineAsync(name);
            Assert.Equal(WorkOrderEventType.Created, Assert.Single(timeline).Type);
        }

        var audit = await new AuditService.AuditServiceClient(server.Channel).ListAuditEntriesAsync(
            new ListAuditEntriesRequest { PageSize = 500 }, await server.AsAsync(ClientRoles.Auditor)).ResponseAsync.DefaultTimeout();
        Assert.Equal(20, audit.AuditEntries.Count(e => e.Action.EndsWith("/CreateWorkOrder", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WriteShared_WritesFailingAfterTheirRowsWentIn_NothingOfThemStoredTheOthersWhole()
    {
        // Inside the shared commit rows go in at once (DirectInserts.Insert); a write that fails after its rows went in
        // must leave none of them: alone (the turn's first write: the whole transaction rolls back) and among others
        // (rolled back to its savepoint).
        await using var server = await TestServer.StartAsync(null, [SandboxAt(Start)]);
        async Task<bool> WriteAsync(int i)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<WorkOrderStore>();
            try
            {
                return await store.WriteSharedAsync(
                    (db, _) =>
                    {
                        Data.DirectInserts.Insert(db, new Data.Entities.AuditEntry { Actor = "test", Action = "shared", ResourceName = "w" + i, OccurredAt = Start });
                        return i % 2 == 1 ? throw new InvalidOperationException("refused after its rows went in") : Task.FromResult(true);
                    },
                    CancellationToken.None).DefaultTimeout();
            }
            catch (InvalidOperationException)
            {
                return false;
            }
            finally
            {
                // The context goes back to the pool with EF Core's automatic savepoints on again.
                Assert.True(scope.ServiceProvider.GetRequiredService<Data.PartnerExchangeDbContext>().Database.AutoSavepointsEnabled);
            }
        }

        Assert.False(await WriteAsync(1));
        var outcomes = await Task.WhenAll(Enumerable.Range(2, 40).Select(i => Task.Run(() => WriteAsync(i)))).DefaultTimeout();

        Assert.Equal(Enumerable.Range(2, 40).Select(i => i % 2 == 0), outcomes);
        await using var read = server.Services.CreateAsyncScope();
        var stored = await read.ServiceProvider.GetRequiredService<Data.PartnerExchangeDbContext>().AuditEntries
            .Where(e => e.Action == "shared").Select(e => e.ResourceName).ToListAsync().DefaultTimeout();
        Assert.Equal(Enumerable.Range(2, 40).Where(i => i % 2 == 0).Select(i => "w" + i).Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateWorkOrder_SameRequestIdSameRequest_FirstResultAndNothingNew()
    {
        var requestId = Id();
        var first = await _server.CreateAsync(Complaint(), requestId);
        var before = await _server.WrittenAsync();

        var again = await _server.CreateAsync(Complaint(), requestId);

        Assert.Equal(first, again);
        Assert.Equal(before, await _server.WrittenAsync());
    }

    [Fact]
    public async Task AcknowledgeWorkOrder_ReplayAfterALaterMove_FirstResultAndNoNewEvent()
    {
        var si = await _server.AsSiAsync(Yunqi);
        var order = await _server.CreateAsync();
        var ack = new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() };
        var first = await _server.Orders().AcknowledgeWorkOrderAsync(ack, si);
        await _server.Orders().ReplyToWorkOrderAsync(new ReplyToWorkOrderRequest { Name = order.Name, ReplyText = "On it", RequestId = Id() }, si);
        var before = await _server.WrittenAsync();

        var replayed = await _server.Orders().AcknowledgeWorkOrderAsync(ack, si);

        Assert.Equal(first, replayed);
        Assert.Equal(WorkOrderStatus.Acknowledged, replayed.Status);
        Assert.Equal(before, await _server.WrittenAsync());
        Assert.Equal(WorkOrderStatus.Replied, (await _server.Orders().GetWorkOrderAsync(new() { Name = order.Name }, si)).Status);
    }

    [Fact]
    public async Task CreateWorkOrder_SameRequestIdOtherRequest_InvalidArgumentRequestIdReusedAndNothingWritten()
    {
        var requestId = Id();
        await _server.CreateAsync(Complaint(), requestId);
        var before = await _server.WrittenAsync();
        var other = Complaint(urgency: ComplaintUrgency.Urgent);

        var error = await FailsAsync(() => _server.CreateAsync(other, requestId));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(ErrorReason.RequestIdReused, error.Reason());
        Assert.Equal(["request_id"], error.Fields());
        Assert.Equal(before, await _server.WrittenAsync());
    }

    [Fact]
    public async Task ReportDirectRequest_OutputOnlyFieldSentBack_SameRequestReplayedAnotherRefused()
    {
        // A technical-support request that echoes the output-only first_visit_time (the server clears it on the order):
        // the request as sent is the request id's identity, however the write copies it.
        var requestId = Id();
        ReportDirectRequestRequest Support(int visitHour)
        {
            var request = DirectEnquiry(Yunqi, requestId);
            request.TechnicalSupport = new TechnicalSupport
            {
                SupportType = TechnicalSupportType.Training, AffectedService = "Music streaming", Location = "Hangzhou", Description = "Show the new app",
                FirstVisitTime = Timestamp.FromDateTimeOffset(Start.AddHours(visitHour)),
            };
            return request;
        }

        var si = await _server.AsSiAsync(Yunqi);
        var first = await _server.Orders().ReportDirectRequestAsync(Support(1), si);
        var replay = await _server.Orders().ReportDirectRequestAsync(Support(1), si);
        var before = await _server.WrittenAsync();
        var error = await FailsAsync(async () => await _server.Orders().ReportDirectRequestAsync(Support(2), si));

        Assert.Equal(first.Name, replay.Name);
        Assert.Null(first.TechnicalSupport.FirstVisitTime);
        Assert.Equal((StatusCode.InvalidArgument, ErrorReason.RequestIdReused), (error.StatusCode, error.Reason()));
        Assert.Equal(before, await _server.WrittenAsync());
    }

    [Fact]
    public async Task ReportDirectRequest_TwoSisSameRequestId_BothWrittenForTheirOwnPartner()
    {
        var requestId = Id();

        var yunqi = await _server.Orders().ReportDirectRequestAsync(DirectEnquiry(Yunqi, requestId), await _server.AsSiAsync(Yunqi));
        var jinghe = await _server.Orders().ReportDirectRequestAsync(DirectEnquiry(Jinghe, requestId), await _server.AsSiAsync(Jinghe));

        Assert.NotEqual(yunqi.Name, jinghe.Name);
        Assert.Equal((Yunqi, Jinghe), (yunqi.ResponsibleParty.Partner, jinghe.ResponsibleParty.Partner));
        Assert.Single(await _server.TimelineAsync(yunqi.Name));
        Assert.Single(await _server.TimelineAsync(jinghe.Name));
    }

    [Fact]
    public async Task CreateWorkOrder_CarrierDeskAndPartnerManagerSameRequestId_NeverCollide()
    {
        var requestId = Id();
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);

        var byDesk = await _server.Orders().CreateWorkOrderAsync(new CreateWorkOrderRequest { WorkOrder = Complaint(), RequestId = requestId }, desk);
        var byManager = await _server.Orders().CreateWorkOrderAsync(new CreateWorkOrderRequest { WorkOrder = Enquiry(), RequestId = requestId }, manager);

        Assert.NotEqual(byDesk.Name, byManager.Name);
        Assert.Equal((WorkOrderKind.Complaint, WorkOrderKind.Enquiry), (byDesk.Kind, byManager.Kind));
    }

    [Fact]
    public async Task Moves_SameClientSameRequestIdOtherMethods_NeverCollide()
    {
        var si = await _server.AsSiAsync(Yunqi);
        var order = await _server.CreateAsync();
        var requestId = Id();

        await _server.Orders().AcknowledgeWorkOrderAsync(new() { Name = order.Name, RequestId = requestId }, si);
        var replied = await _server.Orders().ReplyToWorkOrderAsync(new() { Name = order.Name, ReplyText = "On it", RequestId = requestId }, si);
        var noted = await _server.Orders().AddNoteAsync(new() { Name = order.Name, Text = "Called back", RequestId = requestId }, si);

        Assert.Equal(WorkOrderStatus.Replied, replied.Status);
        Assert.Single(noted.Notes);
        Assert.Equal(
            [WorkOrderEventType.Created, WorkOrderEventType.Acknowledged, WorkOrderEventType.Replied, WorkOrderEventType.NoteAdded],
            (await _server.TimelineAsync(order.Name)).Select(e => e.Type));
    }

    [Fact]
    public async Task ReplyToWorkOrder_StaleEtag_AbortedAndNothingWritten()
    {
        var si = await _server.AsSiAsync(Yunqi);
        var created = await _server.CreateAsync();
        var acknowledged = await _server.AcknowledgeAsync(created.Name);
        var before = await _server.WrittenAsync();

        var error = await FailsAsync(async () => await _server.Orders().ReplyToWorkOrderAsync(
            new ReplyToWorkOrderRequest { Name = created.Name, ReplyText = "On it", Etag = created.Etag, RequestId = Id() }, si));
        var current = await _server.Orders().ReplyToWorkOrderAsync(
            new ReplyToWorkOrderRequest { Name = created.Name, ReplyText = "On it", Etag = acknowledged.Etag, RequestId = Id() }, si);

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(ErrorReason.EtagMismatch, error.Reason());
        Assert.NotEqual(created.Etag, acknowledged.Etag);
        Assert.Equal(WorkOrderStatus.Replied, current.Status);
        Assert.Equal(before.Orders, (await _server.WrittenAsync()).Orders);
        Assert.Equal(3, (await _server.TimelineAsync(created.Name)).Count);
    }

    [Fact]
    public async Task AcknowledgeWorkOrder_EightConcurrentCallsBySi_ExactlyOneWinsOneEvent()
    {
        var si = await _server.AsSiAsync(Yunqi);
        var order = await _server.CreateAsync();

        var calls = Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await _server.Orders().AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, si);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        });
        var outcomes = await Task.WhenAll(calls).DefaultTimeout();

        Assert.Single(outcomes, s => s == StatusCode.OK);
        Assert.All(outcomes.Where(s => s != StatusCode.OK), s => Assert.Contains(s, new[] { StatusCode.FailedPrecondition, StatusCode.Aborted }));
        Assert.Single(await _server.TimelineAsync(order.Name), e => e.Type == WorkOrderEventType.Acknowledged);
    }

    [Fact]
    public async Task AcknowledgeWorkOrder_RetriesOfOneRequestIdRaceTheFirstCall_AllGetTheFirstResult()
    {
        var si = await _server.AsSiAsync(Yunqi);
        var order = await _server.CreateAsync();
        var request = new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Outcome(async () => await _server.Orders().AcknowledgeWorkOrderAsync(request, si)))).DefaultTimeout();

        Assert.All(outcomes, s => Assert.Equal(StatusCode.OK, s));
        Assert.Single(await _server.TimelineAsync(order.Name), e => e.Type == WorkOrderEventType.Acknowledged);
    }

    [Fact]
    public async Task CloseAndVoid_DeskAndManagerRaceWithSameEtag_ExactlyOneWins()
    {
        var order = await _server.CreateAsync();
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);

        var close = Outcome(async () => await _server.Orders().CloseWorkOrderAsync(new() { Name = order.Name, Reason = "Solved by phone", Etag = order.Etag, RequestId = Id() }, desk));
        var voided = Outcome(async () => await _server.Orders().VoidWorkOrderAsync(new() { Name = order.Name, Reason = "Duplicate", Etag = order.Etag, RequestId = Id() }, manager));
        var outcomes = await Task.WhenAll(close, voided).DefaultTimeout();
        var final = await _server.Orders().GetWorkOrderAsync(new() { Name = order.Name }, desk);

        Assert.Single(outcomes, s => s == StatusCode.OK);
        Assert.Contains(outcomes.Single(s => s != StatusCode.OK), new[] { StatusCode.Aborted, StatusCode.FailedPrecondition });
        Assert.Equal(outcomes[0] == StatusCode.OK ? WorkOrderStatus.Closed : WorkOrderStatus.Voided, final.Status);
        Assert.Single(await _server.TimelineAsync(order.Name), e => e.Type is WorkOrderEventType.Closed or WorkOrderEventType.Voided);
    }

    [Fact]
    public async Task Writes_EachCall_OneAuditEntryWithActionCallerAndRequestId()
    {
        var si = await _server.AsSiAsync(Yunqi);
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var ids = Enumerable.Range(0, 5).Select(_ => Id()).ToArray();
        var order = await _server.CreateAsync(Complaint(), ids[0]);
        await _server.Orders().AcknowledgeWorkOrderAsync(new() { Name = order.Name, RequestId = ids[1] }, si);
        await _server.Orders().AcknowledgeWorkOrderAsync(new() { Name = order.Name, RequestId = ids[1] }, si);
        await _server.Orders().ReplyToWorkOrderAsync(new() { Name = order.Name, ReplyText = "On it", RequestId = ids[2] }, si);
        await _server.Orders().AddNoteAsync(new() { Name = order.Name, Text = "Customer called again", RequestId = ids[3] }, desk);
        await _server.Orders().MarkMajorAsync(new() { Name = order.Name, Reason = "Third call today", RequestId = ids[4] }, desk);

        var entries = (await new AuditService.AuditServiceClient(_server.Channel).ListAuditEntriesAsync(
            new ListAuditEntriesRequest { Resource = order.Name }, await _server.AsAsync(ClientRoles.Auditor))).AuditEntries;

        const string prefix = "/partnerexchange.v1.WorkOrderService/";
        Assert.Equal(
            [
                (prefix + "MarkMajor", "demo-carrier-desk", ids[4]),
                (prefix + "AddNote", "demo-carrier-desk", ids[3]),
                (prefix + "ReplyToWorkOrder", "demo-si-yunqi-music", ids[2]),
                (prefix + "AcknowledgeWorkOrder", "demo-si-yunqi-music", ids[1]),
                (prefix + "CreateWorkOrder", "demo-carrier-desk", ids[0]),
            ],
            entries.Select(e => (e.Action, e.Actor.Subject, e.RequestId)));
        Assert.All(entries, e => Assert.Equal(Yunqi, e.Partner));
        Assert.All(entries, e => Assert.Equal(Start, e.CreateTime.ToDateTimeOffset()));
    }

    private static async Task<StatusCode> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static FaultReport Fault(FaultSeverity severity, DateTimeOffset started) => new()
    {
        ReporterName = "Zhao Min",
        ReporterContact = "13800003333",
        AffectedService = "Music streaming",
        Location = "Hangzhou",
        Symptom = "Songs stop after 10 seconds",
        StartTime = Timestamp.FromDateTimeOffset(started),
        Severity = severity,
    };

    private static ReportDirectRequestRequest DirectEnquiry(string partner, string requestId) => new()
    {
        Partner = partner,
        Customer = new Customer { DisplayName = "Chen Jing", PhoneNumber = "13800004444" },
        Summary = "Asked by phone how to renew",
        Enquiry = new Enquiry { ServiceName = "Customer portal", Question = "How do I renew?" },
        Channel = DirectChannel.Phone,
        ReceiveTime = Timestamp.FromDateTimeOffset(Start.AddMinutes(-30)),
        RequestId = requestId,
    };
}
