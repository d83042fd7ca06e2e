using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using ErrorReason = PartnerExchange.Domain.ErrorReason;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// One server for <see cref="PartnerServiceTests"/> on the sandbox clock, standing at Wed 2026-09-23 10:00 in
/// Asia/Shanghai, with 7 points configured for a poor-attitude deduction. The clock never moves; each test works on its
/// own partners.
/// </summary>
public sealed class PartnerSandboxServer : IAsyncLifetime
{
    /// <summary>Wed 2026-09-23 10:00 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 9, 23, 2, 0, 0, TimeSpan.Zero);

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await TestServer.StartAsync(null, $"--Sandbox:Clock={Start:O}", "--ResponseRate:Points:PoorAttitude=7");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Partner management through the real server on the sandbox clock at Wed 2026-09-23 10:00 in Asia/Shanghai: the 15th
/// working day after it is Wed 2026-10-21, past the Mid-Autumn break, National Day and the make-up Saturday.
/// </summary>
public sealed class PartnerServiceTests : IClassFixture<PartnerSandboxServer>
{
    private static readonly DateTimeOffset Start = PartnerSandboxServer.Start;

    private readonly TestServer _server;
    private readonly PartnerService.PartnerServiceClient _partners;

    public PartnerServiceTests(PartnerSandboxServer fixture)
    {
        _server = fixture.Server;
        _partners = new PartnerService.PartnerServiceClient(_server.Channel);
    }

    [Fact]
    public async Task UpdatePartnerContacts_Exactly15WorkingDaysAcrossNationalDay_AcceptedWithoutDeduction()
    {
        var si = await SiAsync("si-yunqi-music");
        var partner = await _partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/si-yunqi-music" }, si);

        var response = await UpdateContactsAsync(partner, Date(2026, 10, 21), si);

        Assert.Equal((15, true), (response.NoticeWorkingDays, response.NoticeMet));
        Assert.Null(response.Deduction);
        Assert.Equal(Date(2026, 10, 21), response.Partner.PendingContactChange.EffectiveDate);
        Assert.Equal((15, true), (response.Partner.PendingContactChange.NoticeWorkingDays, response.Partner.PendingContactChange.NoticeMet));
        Assert.Equal("057188009999", response.Partner.PendingContactChange.Contacts.HotlineNumber);
        Assert.Equal(partner.Contacts, response.Partner.Contacts);
        Assert.NotEqual(partner.Etag, response.Partner.Etag);
        Assert.DoesNotContain(await DeductionsAsync("partners/si-yunqi-music", si), d => d.Reason == ResponseDeductionReason.ChangeNotNotified);
    }

    [Fact]
    public async Task UpdatePartnerContacts_14WorkingDays_AcceptedWithAutomaticChangeNotNotifiedDeduction()
    {
        var si = await SiAsync("si-jinghe-reading");
        var partner = await _partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/si-jinghe-reading" }, si);

        var response = await UpdateContactsAsync(partner, Date(2026, 10, 20), si);
        var listed = await DeductionsAsync("partners/si-jinghe-reading", si);

        Assert.Equal((14, false), (response.NoticeWorkingDays, response.NoticeMet));
        Assert.Equal(
            (ResponseDeductionReason.ChangeNotNotified, 5, true, new YearMonth { Year = 2026, Month = 9 }),
            (response.Deduction.Reason, response.Deduction.Points, response.Deduction.Automatic, response.Deduction.Period));
        Assert.Contains("2026-10-21", response.Deduction.Description, StringComparison.Ordinal);
        Assert.Equal(response.Deduction, Assert.Single(listed));
        Assert.Equal(new Dictionary<string, long> { ["si-jinghe-reading"] = 5 }, await ScoresAsync("2026-09", "si-jinghe-reading"));
    }

    [Fact]
    public async Task UpdatePartnerContacts_ManagerRecordsEarlierNoticeDate_NoticeCountsFromIt()
    {
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var partner = await _partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/si-qingfeng-games" }, manager);

        var response = await UpdateContactsAsync(partner, Date(2026, 10, 20), manager, notice: Date(2026, 9, 22));

        Assert.Equal((15, true), (response.NoticeWorkingDays, response.NoticeMet));
        Assert.Null(response.Deduction);
        Assert.Equal(new DateTimeOffset(2026, 9, 21, 16, 0, 0, TimeSpan.Zero), response.Partner.PendingContactChange.AnnounceTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task UpdatePartnerContacts_SiGivesNoticeDate_InvalidArgumentOnNoticeDate()
    {
        var si = await SiAsync("si-hengtong-office");
        var partner = await _partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/si-hengtong-office" }, si);

        var ex = await Assert.ThrowsAsync<RpcException>(() => UpdateContactsAsync(partner, Date(2026, 10, 20), si, notice: Date(2026, 9, 1)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["notice_date"], Fields(ex));
    }

    [Fact]
    public async Task UpdatePartnerContacts_ImmediateChangeWithStaleEtagThenFresh_AbortedThenAppliedToday()
    {
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var partner = await _partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/si-anxin-fleet" }, manager);
        var stale = partner.Clone();
        stale.Etag = "\"999\"";

        var aborted = await Assert.ThrowsAsync<RpcException>(() => UpdateContactsAsync(stale, Date(2026, 9, 23), manager));
        var response = await UpdateContactsAsync(partner, Date(2026, 9, 23), manager);

        Assert.Equal(StatusCode.Aborted, aborted.StatusCode);
        Assert.Equal((0, false), (response.NoticeWorkingDays, response.NoticeMet));
        Assert.Equal("057188009999", response.Partner.Contacts.HotlineNumber);
        Assert.Null(response.Partner.PendingContactChange);
        Assert.Equal(ResponseDeductionReason.ChangeNotNotified, response.Deduction.Reason);
    }

    public static TheoryData<string, string[]> BadUpdates() => new()
    {
        { "hotline", ["contacts.hotline_number"] },
        { "effective", ["effective_date"] },
        { "no-etag", ["etag"] },
        { "everything", ["name", "contacts", "effective_date", "etag", "request_id"] },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task UpdatePartnerContacts_BadFields_OneViolationPerFieldPath(string bad, string[] fields)
    {
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var request = new UpdatePartnerContactsRequest
        {
            Name = "partners/si-yunqi-music", Contacts = Contacts(), EffectiveDate = Date(2026, 10, 30), Etag = "\"0\"", RequestId = Guid.NewGuid().ToString(),
        };
        switch (bad)
        {
            case "hotline":
                request.Contacts.HotlineNumber = "13900001234";
                break;
            case "effective":
                request.EffectiveDate = Date(2026, 9, 22);
                break;
            case "no-etag":
                request.Etag = string.Empty;
                break;
            default:
                request = new UpdatePartnerContactsRequest { Name = "partner/x" };
                break;
        }

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _partners.UpdatePartnerContactsAsync(request, manager));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(fields, Fields(ex));
    }

    [Fact]
    public async Task GetAndList_AnotherSisPartner_NotFoundAndOnlyItsOwnListed()
    {
        var si = await SiAsync("si-yunqi-music");

        var get = await Assert.ThrowsAsync<RpcException>(async () => await _partners.GetPartnerAsync(new GetPartnerRequest { Name = "partners/si-jinghe-reading" }, si));
        var bases = await Assert.ThrowsAsync<RpcException>(async () =>
            await _partners.GetSubscriberBaseAsync(new GetSubscriberBaseRequest { Name = "partners/si-jinghe-reading/subscriberBases/2026-01" }, si));
        var deductions = await Assert.ThrowsAsync<RpcException>(async () =>
            await _partners.ListResponseDeductionsAsync(new ListResponseDeductionsRequest { Parent = "partners/si-jinghe-reading" }, si));
        var listed = await _partners.ListPartnersAsync(new ListPartnersRequest(), si);
        var own = await _partners.GetSubscriberBaseAsync(new GetSubscriberBaseRequest { Name = "partners/si-yunqi-music/subscriberBases/2026-01" }, si);

        Assert.All([get, bases, deductions], ex => Assert.Equal((StatusCode.NotFound, ErrorReason.ResourceNotFound), (ex.StatusCode, Info(ex).Reason)));
        Assert.Equal(["partners/si-yunqi-music"], listed.Partners.Select(p => p.Name));
        Assert.Equal(48210, own.BilledUsers);
    }

    [Fact]
    public async Task ListPartners_PagesOfTwo_EveryPartnerOnceByDisplayName()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var names = new List<string>();
        var request = new ListPartnersRequest { PageSize = 2, Kind = PartnerKind.ServiceIntegrator };
        do
        {
            var page = await _partners.ListPartnersAsync(request, desk);
            names.AddRange(page.Partners.Select(p => p.DisplayName));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.True(names.Count >= 5);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Distinct(), names);
    }

    public static TheoryData<string, string[]> BadCreates() => new()
    {
        { "id", ["partner_id"] },
        { "si-without-mode", ["partner.assessment_mode", "partner.settlement_currency_code"] },
        { "platform-with-mode", ["partner.assessment_mode"] },
        { "contacts", ["partner.contacts.mobile_number", "partner.contacts.service_contact.name", "partner.contacts.online_service_url"] },
        { "missing", ["partner_id", "request_id", "partner"] },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreatePartner_BadFields_OneViolationPerFieldPath(string bad, string[] fields)
    {
        var request = NewPartner("si-bad-" + Guid.NewGuid().ToString("N")[..8]);
        switch (bad)
        {
            case "id":
                request.PartnerId = "9-starts-with-digit";
                break;
            case "si-without-mode":
                request.Partner.AssessmentMode = AssessmentMode.Unspecified;
                request.Partner.SettlementCurrencyCode = string.Empty;
                break;
            case "platform-with-mode":
                request.Partner.Kind = PartnerKind.PlatformOperator;
                request.Partner.SettlementCurrencyCode = string.Empty;
                break;
            case "contacts":
                request.Partner.Contacts.MobileNumber = "057100000000";
                request.Partner.Contacts.ServiceContact.Name = " ";
                request.Partner.Contacts.OnlineServiceUrl = "ftp://x.example";
                break;
            default:
                request = new CreatePartnerRequest();
                break;
        }

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _partners.CreatePartnerAsync(request, await _server.AsAsync(ClientRoles.PartnerManager)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(fields, Fields(ex));
    }

    [Fact]
    public async Task CreatePartner_RetrySameRequestIdThenNewRequestId_SamePartnerThenAlreadyExists()
    {
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var request = NewPartner("si-idem-test");

        var first = await _partners.CreatePartnerAsync(request, manager);
        var retry = await _partners.CreatePartnerAsync(request, manager);
        request.RequestId = Guid.NewGuid().ToString();
        var exists = await Assert.ThrowsAsync<RpcException>(async () => await _partners.CreatePartnerAsync(request, manager));

        Assert.Equal(first, retry);
        Assert.Equal(
            ("partners/si-idem-test", PartnerState.Active, SettlementStanding.Normal, "CNY", Start),
            (first.Name, first.State, first.SettlementStanding, first.SettlementCurrencyCode, first.CreateTime.ToDateTimeOffset()));
        Assert.Equal(request.Partner.Contacts, first.Contacts);
        Assert.Equal((StatusCode.AlreadyExists, ErrorReason.ResourceExists), (exists.StatusCode, Info(exists).Reason));
    }

    [Fact]
    public async Task CancelledPartner_ItsSi_RefusedEverythingButReadingItsMoney()
    {
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var partner = await _partners.CreatePartnerAsync(NewPartner("si-to-cancel"), manager);
        var client = await _partners.CreatePartnerClientAsync(
            new CreatePartnerClientRequest { Parent = partner.Name, DisplayName = "Cancel test", RequestId = Guid.NewGuid().ToString() }, manager);
        var (_, token) = await _server.RequestTokenAsync(client.ClientId, client.ClientSecret);
        var si = new CallOptions(new Metadata { { "authorization", "Bearer " + token.GetProperty("access_token").GetString() } });
        await UpdateContactsAsync(partner, Date(2026, 10, 21), si);

        var cancelled = await _partners.CancelPartnerAsync(new CancelPartnerRequest
        {
            Name = partner.Name, Reason = CancellationReason.SeriousCase, ReasonText = "Fraudulent charges.", RequestId = Guid.NewGuid().ToString(),
        }, manager);
        var current = await _partners.GetPartnerAsync(new GetPartnerRequest { Name = partner.Name }, manager);
        var write = await Assert.ThrowsAsync<RpcException>(() => UpdateContactsAsync(current, Date(2026, 10, 30), si));
        var managerWrite = await Assert.ThrowsAsync<RpcException>(() => UpdateContactsAsync(current, Date(2026, 10, 30), manager));
        var read = await Assert.ThrowsAsync<RpcException>(async () => await _partners.GetPartnerAsync(new GetPartnerRequest { Name = partner.Name }, si));
        var orders = await Assert.ThrowsAsync<RpcException>(async () =>
            await new WorkOrderService.WorkOrderServiceClient(_server.Channel).ListWorkOrdersAsync(new ListWorkOrdersRequest(), si));
        var refunds = await new SettlementService.SettlementServiceClient(_server.Channel).ListRefundsAsync(new ListRefundsRequest { Parent = partner.Name }, si);

        Assert.Equal((PartnerState.Cancelled, SettlementStanding.Frozen, CancellationReason.SeriousCase, "Fraudulent charges."),
            (cancelled.State, cancelled.SettlementStanding, cancelled.CancellationReason, cancelled.StateReason));
        Assert.All([write, managerWrite, read, orders], ex =>
            Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.PartnerCancelled), (ex.StatusCode, Info(ex).Reason)));
        Assert.Empty(refunds.Refunds);
    }

    [Fact]
    public async Task CreateWorkOrder_PartnerRegisteredThenCancelledBetweenCreates_RoutingSeesEachChangeAtOnce()
    {
        // The writers' turn keeps the partners it read while no other connection wrote: a registration and a
        // cancellation (written on other connections) must reach the very next create.
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var orders = new WorkOrderService.WorkOrderServiceClient(_server.Channel);
        async Task<WorkOrder> CreateAsync(string partner) => await orders.CreateWorkOrderAsync(
            new CreateWorkOrderRequest { WorkOrder = WorkOrderKit.Complaint(partner), RequestId = Guid.NewGuid().ToString() }, desk);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => CreateAsync("partners/si-route-late"));
        var partner = await _partners.CreatePartnerAsync(NewPartner("si-route-late"), manager);
        var routed = await CreateAsync(partner.Name);
        await _partners.CancelPartnerAsync(new CancelPartnerRequest
        {
            Name = partner.Name, Reason = CancellationReason.SeriousCase, ReasonText = "Fraudulent charges.", RequestId = Guid.NewGuid().ToString(),
        }, manager);
        var cancelled = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(partner.Name));

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(partner.Name, routed.ResponsibleParty.Partner);
        Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.PartnerCancelled), (cancelled.StatusCode, Info(cancelled).Reason));
    }

    [Fact]
    public async Task SuspendReinstateCancel_WithReasons_StatesMoveIllegalMovesRefusedAndAudited()
    {
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var partner = await _partners.CreatePartnerAsync(NewPartner("si-sanctions"), manager);

        var suspended = await _partners.SuspendPartnerServiceAsync(new SuspendPartnerServiceRequest
        {
            Name = partner.Name, Reason = SuspensionReason.MassStrongComplaints, ReasonText = "Mass complaints on 2026-09-22.", Etag = partner.Etag,
            RequestId = Guid.NewGuid().ToString(),
        }, manager);
        var again = await Assert.ThrowsAsync<RpcException>(async () => await _partners.SuspendPartnerServiceAsync(new SuspendPartnerServiceRequest
        {
            Name = partner.Name, Reason = SuspensionReason.Other, ReasonText = "Again.", RequestId = Guid.NewGuid().ToString(),
        }, manager));
        var staleEtag = await Assert.ThrowsAsync<RpcException>(async () => await _partners.ReinstatePartnerAsync(new ReinstatePartnerRequest
        {
            Name = partner.Name, ReasonText = "Fixed.", Etag = partner.Etag, RequestId = Guid.NewGuid().ToString(),
        }, manager));
        var reinstated = await _partners.ReinstatePartnerAsync(new ReinstatePartnerRequest
        {
            Name = partner.Name, ReasonText = "Complaints handled.", Etag = suspended.Etag, RequestId = Guid.NewGuid().ToString(),
        }, manager);
        var noReason = await Assert.ThrowsAsync<RpcException>(async () => await _partners.CancelPartnerAsync(new CancelPartnerRequest
        {
            Name = partner.Name, Reason = CancellationReason.ThreeNonCompliantMonths, RequestId = Guid.NewGuid().ToString(),
        }, manager));

        Assert.Equal((PartnerState.Suspended, SuspensionReason.MassStrongComplaints, "Mass complaints on 2026-09-22."),
            (suspended.State, suspended.SuspensionReason, suspended.StateReason));
        Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.IllegalStateTransition), (again.StatusCode, Info(again).Reason));
        Assert.Equal(StatusCode.Aborted, staleEtag.StatusCode);
        Assert.Equal((PartnerState.Active, SuspensionReason.Unspecified), (reinstated.State, reinstated.SuspensionReason));
        Assert.Equal(["reason", "reason_text"], Fields(noReason));
        Assert.Equal(
            [("/partnerexchange.v1.PartnerService/SuspendPartnerService", "Mass complaints on 2026-09-22."), ("/partnerexchange.v1.PartnerService/ReinstatePartner", "Complaints handled.")],
            await AuditAsync(partner.Name, "Suspend", "Reinstate"));
    }

    [Fact]
    public async Task ResponseDeduction_RecordedByDeskThenWithdrawn_ListedMarkedNotCountedAndAudited()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);
        var parent = "partners/si-qingfeng-games";
        var recorded = await _partners.RecordResponseDeductionAsync(new RecordResponseDeductionRequest
        {
            Parent = parent,
            Deduction = new ResponseDeduction { Period = new YearMonth { Year = 2026, Month = 8 }, Reason = ResponseDeductionReason.PoorAttitude, Description = "Rude on the phone." },
            RequestId = Guid.NewGuid().ToString(),
        }, desk);
        var kept = await _partners.RecordResponseDeductionAsync(new RecordResponseDeductionRequest
        {
            Parent = parent,
            Deduction = new ResponseDeduction { Period = new YearMonth { Year = 2026, Month = 8 }, Reason = ResponseDeductionReason.HidingFacts, Points = 12, Description = "Hid the outage." },
            RequestId = Guid.NewGuid().ToString(),
        }, desk);

        var withdrawRequest = new WithdrawResponseDeductionRequest { Name = recorded.Name, ReasonText = "The SI showed the call recording.", RequestId = Guid.NewGuid().ToString() };
        var withdrawn = await _partners.WithdrawResponseDeductionAsync(withdrawRequest, manager);
        var retry = await _partners.WithdrawResponseDeductionAsync(withdrawRequest, manager);
        withdrawRequest.RequestId = Guid.NewGuid().ToString();
        var twice = await Assert.ThrowsAsync<RpcException>(async () => await _partners.WithdrawResponseDeductionAsync(withdrawRequest, manager));
        var listed = await DeductionsAsync(parent, await SiAsync("si-qingfeng-games"), new YearMonth { Year = 2026, Month = 8 });

        Assert.Equal((7, ResponseDeductionReason.PoorAttitude, false), (recorded.Points, recorded.Reason, recorded.Automatic));
        Assert.Equal((Start, "The SI showed the call recording."), (withdrawn.WithdrawTime.ToDateTimeOffset(), withdrawn.WithdrawReason));
        Assert.Equal(withdrawn, retry);
        Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.IllegalStateTransition), (twice.StatusCode, Info(twice).Reason));
        Assert.Equal([kept.Name, withdrawn.Name], listed.Select(d => d.Name));
        Assert.Equal(withdrawn, listed[1]);
        Assert.Equal(new Dictionary<string, long> { ["si-qingfeng-games"] = 12 }, await ScoresAsync("2026-08", "si-qingfeng-games"));
        Assert.Equal([("/partnerexchange.v1.PartnerService/WithdrawResponseDeduction", "The SI showed the call recording.")], await AuditAsync(recorded.Name, "Withdraw"));
    }

    [Fact]
    public async Task RecordResponseDeduction_BadRequests_FieldPathsNotFoundAndPlatformOperatorRefused()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordResponseDeductionAsync(new RecordResponseDeductionRequest
        {
            Parent = "partners/si-anxin-fleet",
            Deduction = new ResponseDeduction { Period = new YearMonth { Year = 2026, Month = 10 }, Points = -1, WorkOrder = "orders/1" },
            RequestId = "r",
        }, desk));
        var missingOrder = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordResponseDeductionAsync(new RecordResponseDeductionRequest
        {
            Parent = "partners/si-anxin-fleet",
            Deduction = new ResponseDeduction
            {
                Period = new YearMonth { Year = 2026, Month = 9 }, Reason = ResponseDeductionReason.DelayedHandling, Description = "Late.", WorkOrder = "workOrders/999999",
            },
            RequestId = Guid.NewGuid().ToString(),
        }, desk));
        var platform = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordResponseDeductionAsync(new RecordResponseDeductionRequest
        {
            Parent = "partners/platform-hangyun",
            Deduction = new ResponseDeduction { Period = new YearMonth { Year = 2026, Month = 9 }, Reason = ResponseDeductionReason.DelayedHandling, Description = "Late." },
            RequestId = Guid.NewGuid().ToString(),
        }, desk));
        var siDenied = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordResponseDeductionAsync(new RecordResponseDeductionRequest(), await SiAsync("si-anxin-fleet")));

        Assert.Equal(["deduction.period", "deduction.reason", "deduction.description", "deduction.work_order"], Fields(bad));
        Assert.Equal((StatusCode.NotFound, "workOrders/999999"), (missingOrder.StatusCode, Info(missingOrder).Metadata["resource_name"]));
        Assert.Equal(StatusCode.FailedPrecondition, platform.StatusCode);
        Assert.Equal((StatusCode.PermissionDenied, ErrorReason.RoleNotAllowed), (siDenied.StatusCode, Info(siDenied).Reason));
    }

    [Fact]
    public async Task SubscriberBase_RecordReplaceGetList_EtagsAndErrors()
    {
        var job = await _server.AsAsync(ClientRoles.ReconciliationJob);
        var parent = "partners/si-hengtong-office";
        var request = new RecordSubscriberBaseRequest { Parent = parent, Period = new YearMonth { Year = 2026, Month = 8 }, BilledUsers = 10, GroupCustomers = 40, RequestId = Guid.NewGuid().ToString() };

        var first = await _partners.RecordSubscriberBaseAsync(request, job);
        var replaced = await _partners.RecordSubscriberBaseAsync(new RecordSubscriberBaseRequest
        {
            Parent = parent, Period = request.Period, BilledUsers = 12, GroupCustomers = 41, Etag = first.Etag, RequestId = Guid.NewGuid().ToString(),
        }, job);
        var stale = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordSubscriberBaseAsync(new RecordSubscriberBaseRequest
        {
            Parent = parent, Period = request.Period, BilledUsers = 13, Etag = first.Etag, RequestId = Guid.NewGuid().ToString(),
        }, job));
        var future = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordSubscriberBaseAsync(new RecordSubscriberBaseRequest
        {
            Parent = parent, Period = new YearMonth { Year = 2026, Month = 10 }, BilledUsers = -1, RequestId = Guid.NewGuid().ToString(),
        }, job));
        var platform = await Assert.ThrowsAsync<RpcException>(async () => await _partners.RecordSubscriberBaseAsync(new RecordSubscriberBaseRequest
        {
            Parent = "partners/platform-hangyun", Period = request.Period, RequestId = Guid.NewGuid().ToString(),
        }, job));
        var got = await _partners.GetSubscriberBaseAsync(new GetSubscriberBaseRequest { Name = first.Name }, await SiAsync("si-hengtong-office"));
        var page = await _partners.ListSubscriberBasesAsync(new ListSubscriberBasesRequest { Parent = parent, PageSize = 1 }, job);
        var next = await _partners.ListSubscriberBasesAsync(new ListSubscriberBasesRequest { Parent = parent, PageSize = 1, PageToken = page.NextPageToken }, job);

        Assert.Equal(("partners/si-hengtong-office/subscriberBases/2026-08", 10L, 40L, Start), (first.Name, first.BilledUsers, first.GroupCustomers, first.RecordTime.ToDateTimeOffset()));
        Assert.Equal((12L, 41L), (replaced.BilledUsers, replaced.GroupCustomers));
        Assert.NotEqual(first.Etag, replaced.Etag);
        Assert.Equal(replaced, got);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal(["period", "billed_users"], Fields(future));
        Assert.Equal(StatusCode.FailedPrecondition, platform.StatusCode);
        Assert.Equal([first.Name], page.SubscriberBases.Select(b => b.Name));
        Assert.StartsWith("partners/si-hengtong-office/subscriberBases/2026-0", Assert.Single(next.SubscriberBases).Name, StringComparison.Ordinal);
        Assert.NotEqual(first.Name, next.SubscriberBases[0].Name);
    }

    [Fact]
    public async Task Roles_NotInTheMatrix_PermissionDenied()
    {
        var cases = new (string Role, Func<CallOptions, Task> Call)[]
        {
            (ClientRoles.CarrierDesk, async o => await _partners.CancelPartnerAsync(new CancelPartnerRequest(), o)),
            (ClientRoles.Partner, async o => await _partners.WithdrawResponseDeductionAsync(new WithdrawResponseDeductionRequest(), o)),
            (ClientRoles.Auditor, async o => await _partners.RecordSubscriberBaseAsync(new RecordSubscriberBaseRequest(), o)),
            (ClientRoles.ReconciliationJob, async o => await _partners.CreatePartnerAsync(new CreatePartnerRequest(), o)),
        };

        foreach (var (role, call) in cases)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await call(await _server.AsAsync(role)));
            Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        }
    }

    private async Task<UpdatePartnerContactsResponse> UpdateContactsAsync(Partner partner, Date effective, CallOptions options, Date? notice = null)
    {
        var request = new UpdatePartnerContactsRequest
        {
            Name = partner.Name, Contacts = Contacts(), EffectiveDate = effective, Etag = partner.Etag, RequestId = Guid.NewGuid().ToString(), NoticeDate = notice,
        };
        return await _partners.UpdatePartnerContactsAsync(request, options);
    }

    private async Task<List<ResponseDeduction>> DeductionsAsync(string parent, CallOptions options, YearMonth? period = null) =>
        [.. (await _partners.ListResponseDeductionsAsync(new ListResponseDeductionsRequest { Parent = parent, Period = period }, options)).ResponseDeductions];

    private async Task<IReadOnlyDictionary<string, long>> ScoresAsync(string month, string partnerId)
    {
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        return await ResponseScores.ForMonthAsync(db, month, [partnerId]);
    }

    private async Task<List<(string Action, string? Reason)>> AuditAsync(string resource, params string[] verbs)
    {
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        var entries = await db.AuditEntries.Where(e => e.ResourceName == resource).OrderBy(e => e.Id).Select(e => new { e.Action, e.Reason }).ToListAsync();
        return [.. entries.Where(e => verbs.Any(v => e.Action.Contains(v, StringComparison.Ordinal))).Select(e => (e.Action, e.Reason))];
    }

    private async Task<CallOptions> SiAsync(string partnerId) =>
        new(new Metadata { { "authorization", "Bearer " + await _server.TokenAsync("demo-" + partnerId) } });

    private static CreatePartnerRequest NewPartner(string id) => new()
    {
        PartnerId = id,
        Partner = new Partner
        {
            DisplayName = "Test " + id, Kind = PartnerKind.ServiceIntegrator, AssessmentMode = AssessmentMode.C, SettlementCurrencyCode = "CNY", Contacts = Contacts(),
        },
        RequestId = Guid.NewGuid().ToString(),
    };

    private static PartnerContacts Contacts() => new()
    {
        CompanyName = "Test Company Ltd.",
        BusinessType = "mobile office",
        HotlineNumber = "057188009999",
        MobileNumber = "13900009999",
        ServiceContact = new ContactPerson { Name = "Service desk", PhoneNumber = "13900008888" },
        TechnicalContact = new ContactPerson { Name = "Li Lei", PhoneNumber = "057188007777" },
        OnlineServiceUrl = "https://help.test.example",
    };

    private static Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    private static ErrorInfo Info(RpcException ex) => ex.GetRpcStatus()!.GetDetail<ErrorInfo>();

    private static List<string> Fields(RpcException ex) => [.. ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field)];
}
