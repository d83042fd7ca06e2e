using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PartnerExchange.Contracts.V1;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using WorkOrderService = PartnerExchange.Contracts.V1.WorkOrderService;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// November 2026 of si-yunqi-music played through the real server on the sandbox clock (starting Mon 2026-11-02 10:00
/// Asia/Shanghai), then its annex-19 report, the daily notices and the analysis, asserting exact figures. The month:
/// complaint A resolved in 2 h and very satisfied; complaint B replied late, resolved after 26 h, returned
/// dissatisfied and resolved again after 28 h, satisfied; installation I resolved in 2 h, basically satisfied; direct
/// phone enquiry D3 solved on first contact; direct phone enquiry D4 never answered; direct e-mail enquiry D5 resolved
/// after 4 h, never revisited (closed automatically); repeat complaint C of A from 11-04, never answered.
/// </summary>
public sealed class ReportScenarioTests : IAsyncLifetime
{
    /// <summary>Mon 2026-11-02 10:00 in Asia/Shanghai.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    private const string Yunqi = "partners/si-yunqi-music";

    private TestServer _server = null!;
    private WorkOrderService.WorkOrderServiceClient _orders = null!;
    private ReportService.ReportServiceClient _reports = null!;
    private SandboxService.SandboxServiceClient _sandbox = null!;
    private CallOptions _si;
    private CallOptions _desk;
    private CallOptions _manager;
    private CallOptions _otherSi;
    private readonly Dictionary<string, WorkOrder> _month = [];
    private readonly Dictionary<string, DailyOpenOrdersNotice> _seen = [];

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(null, $"--Sandbox:Clock={T0:O}");
        _orders = new WorkOrderService.WorkOrderServiceClient(_server.Channel);
        _reports = new ReportService.ReportServiceClient(_server.Channel);
        _sandbox = new SandboxService.SandboxServiceClient(_server.Channel);
        _si = await _server.AsAsync(ClientRoles.Partner);
        _desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        _manager = await _server.AsAsync(ClientRoles.PartnerManager);
        _otherSi = new CallOptions(new Metadata { { "authorization", "Bearer " + await _server.TokenAsync("demo-si-jinghe-reading") } });
        await PlayNovemberAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetServiceAnalysisReport_NovemberPlayed_CarrierFiguresAndDiscrepanciesExact()
    {
        var submitted = await SubmitNovemberAsync(complaints: 2, satisfaction: 9000, firstTime: 8300);

        var report = await _reports.GetServiceAnalysisReportAsync(new GetServiceAnalysisReportRequest { Name = submitted.Name }, _manager);

        Assert.Equal("partners/si-yunqi-music/serviceAnalysisReports/2026-11", report.Name);
        var carrier = report.CarrierFigures;
        Assert.Equal((2L, 1L, 1L), (carrier.PhoneRequestCount, carrier.EmailRequestCount, carrier.InstallationTrainingCount));
        Assert.Equal((5000, 8000, 6666), (carrier.PhoneResolutionRateBasisPoints, carrier.FirstTimeCompletionRateBasisPoints, carrier.CustomerSatisfactionBasisPoints));
        Assert.Equal(25920L, carrier.AverageResolutionDuration.Seconds);
        Assert.Equal(3L, carrier.ComplaintCount);
        Assert.Empty(report.CarrierFiguresNotComputed);
        Assert.Equal([_month["D4"].Name, _month["C"].Name], report.CarrierUnfinishedWorkOrders);
        Assert.Equal(
            [
                (ServiceFigure.FirstTimeCompletionRate, 8300L, 8000L, 200L),
                (ServiceFigure.CustomerSatisfaction, 9000L, 6666L, 200L),
                (ServiceFigure.ComplaintCount, 2L, 3L, 0L),
                (ServiceFigure.UnfinishedProblemCount, 1L, 2L, 0L),
            ],
            report.Discrepancies.Select(d => (d.Figure, d.SiValue, d.CarrierValue, d.Tolerance)));
        Assert.Equal(submitted.Etag, report.Etag);
    }

    [Fact]
    public async Task RecordFalseFeedback_ConfirmedDiscrepancy_FalseFeedbackDeductionOnceAndNoneWithoutDiscrepancy()
    {
        var submitted = await SubmitNovemberAsync(complaints: 2, satisfaction: 9000, firstTime: 8300);
        RecordFalseFeedbackRequest FalseFeedback(ServiceFigure figure) => new() { Name = submitted.Name, Figure = figure, Reason = "The revisits say otherwise.", RequestId = Guid.NewGuid().ToString() };

        var deduction = await _reports.RecordFalseFeedbackAsync(FalseFeedback(ServiceFigure.ComplaintCount), _manager);
        var again = await Assert.ThrowsAsync<RpcException>(async () => await _reports.RecordFalseFeedbackAsync(FalseFeedback(ServiceFigure.ComplaintCount), _manager));
        var noDiscrepancy = await Assert.ThrowsAsync<RpcException>(async () => await _reports.RecordFalseFeedbackAsync(FalseFeedback(ServiceFigure.PhoneRequestCount), _manager));
        var bySi = await Assert.ThrowsAsync<RpcException>(async () => await _reports.RecordFalseFeedbackAsync(FalseFeedback(ServiceFigure.ComplaintCount), _si));
        var listed = await new PartnerService.PartnerServiceClient(_server.Channel).ListResponseDeductionsAsync(new ListResponseDeductionsRequest { Parent = Yunqi }, _si);

        Assert.Equal((ResponseDeductionReason.FalseFeedback, 10), (deduction.Reason, deduction.Points));
        Assert.Contains("ComplaintCount reported 2, carrier 3", deduction.Description, StringComparison.Ordinal);
        Assert.Equal((StatusCode.FailedPrecondition, StatusCode.NotFound, StatusCode.PermissionDenied), (again.StatusCode, noDiscrepancy.StatusCode, bySi.StatusCode));
        Assert.Single(listed.ResponseDeductions, d => d.Reason == ResponseDeductionReason.FalseFeedback);
    }

    [Fact]
    public async Task SubmitServiceAnalysisReport_ResubmittedWithEtag_ReplacesAndRetryAnswersTheSame()
    {
        var first = await SubmitNovemberAsync(complaints: 2, satisfaction: 9000, firstTime: 8300);
        var again = Request(3, 6666, 8000);
        again.Etag = first.Etag;

        var exists = await Assert.ThrowsAsync<RpcException>(async () => await _reports.SubmitServiceAnalysisReportAsync(Request(3, 6666, 8000), _si));
        var replaced = await _reports.SubmitServiceAnalysisReportAsync(again, _si);
        var retried = await _reports.SubmitServiceAnalysisReportAsync(again, _si);
        var stale = await Assert.ThrowsAsync<RpcException>(async () =>
            await _reports.SubmitServiceAnalysisReportAsync(new SubmitServiceAnalysisReportRequest(again) { RequestId = Guid.NewGuid().ToString() }, _si));

        Assert.Equal(StatusCode.AlreadyExists, exists.StatusCode);
        Assert.NotEqual(first.Etag, replaced.Etag);
        Assert.Equal(replaced, retried);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal([ServiceFigure.UnfinishedProblemCount], replaced.Discrepancies.Select(d => d.Figure));
    }

    [Fact]
    public async Task ServiceAnalysisReport_OtherPartnersSi_NotFoundForSubmitAndGet()
    {
        var submitted = await SubmitNovemberAsync(complaints: 3, satisfaction: 6666, firstTime: 8000);

        var get = await Assert.ThrowsAsync<RpcException>(async () =>
            await _reports.GetServiceAnalysisReportAsync(new GetServiceAnalysisReportRequest { Name = submitted.Name }, _otherSi));
        var submit = await Assert.ThrowsAsync<RpcException>(async () => await _reports.SubmitServiceAnalysisReportAsync(Request(3, 6666, 8000), _otherSi));

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (get.StatusCode, submit.StatusCode));
    }

    [Fact]
    public async Task SubmitServiceAnalysisReport_BadFigures_BadRequestNamingEachField()
    {
        var request = Request(3, 6666, 8000);
        request.Report.SiFigures.PhoneRequestCount = -1;
        request.Report.SiFigures.CustomerSatisfactionBasisPoints = 10001;
        request.Report.UserProblemAnalysis = "";
        request.Report.ComplaintWorkOrders.Add(request.Report.ComplaintWorkOrders[0]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _reports.SubmitServiceAnalysisReportAsync(request, _si));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
            ["report.si_figures.phone_request_count", "report.si_figures.customer_satisfaction_basis_points", "report.user_problem_analysis", "report.complaint_work_orders[2]"],
            error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task GetServiceAnalysisReport_PartnerWithoutOrders_RatesAndMeanNotComputedNeverZero()
    {
        var request = Request(0, 9000, 9000);
        request.Parent = "partners/si-jinghe-reading";
        request.Report.UnfinishedWorkOrders.Clear();
        request.Report.ComplaintWorkOrders.Clear();
        request.Report.SiFigures.PhoneRequestCount = request.Report.SiFigures.EmailRequestCount = request.Report.SiFigures.InstallationTrainingCount = 0;

        var report = await _reports.SubmitServiceAnalysisReportAsync(request, _otherSi);

        Assert.Equal(
            [ServiceFigure.PhoneResolutionRate, ServiceFigure.FirstTimeCompletionRate, ServiceFigure.AverageResolutionTime, ServiceFigure.CustomerSatisfaction],
            report.CarrierFiguresNotComputed.Select(n => n.Figure));
        Assert.Null(report.CarrierFigures.AverageResolutionDuration);
        Assert.Empty(report.Discrepancies);
    }

    [Fact]
    public async Task SubmitServiceAnalysisReport_OctoberAfterItsWindow_FailedPreconditionMonthClosed()
    {
        var request = Request(3, 6666, 8000);
        request.Period = new Contracts.V1.YearMonth { Year = 2026, Month = 10 };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _reports.SubmitServiceAnalysisReportAsync(request, _manager));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(Domain.ErrorReason.MonthClosed, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task GetDailyOpenOrdersNotice_PastDay_OrdersAsTheyStoodAtMidnightInPages()
    {
        var first = await _reports.GetDailyOpenOrdersNoticeAsync(new GetDailyOpenOrdersNoticeRequest { Name = "dailyOpenOrdersNotices/2026-11-02", PageSize = 3 }, _manager);
        var second = await _reports.GetDailyOpenOrdersNoticeAsync(
            new GetDailyOpenOrdersNoticeRequest { Name = "dailyOpenOrdersNotices/2026-11-02", PageSize = 3, PageToken = first.NextPageToken }, _manager);
        var other = await _reports.GetDailyOpenOrdersNoticeAsync(new GetDailyOpenOrdersNoticeRequest { Name = "dailyOpenOrdersNotices/2026-11-02" }, _otherSi);

        var entries = first.Entries.Concat(second.Entries).ToList();
        Assert.Equal(["D5", "D3", "D4", "B"], entries.Select(e => Key(e.WorkOrder)));
        Assert.Equal(
            [
                (WorkOrderStatus.Resolved, new[] { NoticeType.NotClosedSameDay }),
                (WorkOrderStatus.Resolved, new[] { NoticeType.NotClosedSameDay }),
                (WorkOrderStatus.Acknowledged, new[] { NoticeType.ReplyOverdue, NoticeType.NotClosedSameDay }),
                (WorkOrderStatus.Dispatched, new[] { NoticeType.ReplyOverdue, NoticeType.NotClosedSameDay }),
            ],
            entries.Select(e => (e.Status, e.NoticeTypes.ToArray())));
        Assert.Equal("", second.NextPageToken);
        Assert.All(entries, e => Assert.Equal((Yunqi, "Li Lei"), (e.Partner, e.CustomerDisplayName)));
        Assert.Empty(other.Entries);
    }

    [Fact]
    public void GetDailyOpenOrdersNotice_DuringTheMonth_CustomerDisagreesAndRepeatReport()
    {
        var returned = _seen["2026-11-03 13:00"].Entries.Single(e => e.WorkOrder == _month["B"].Name);
        var repeat = _seen["2026-11-04 10:00"].Entries.Single(e => e.WorkOrder == _month["C"].Name);

        Assert.Equal(WorkOrderStatus.Returned, returned.Status);
        Assert.Equal([NoticeType.NotClosedSameDay, NoticeType.CustomerDisagrees], returned.NoticeTypes);
        Assert.Equal([NoticeType.RepeatReport], repeat.NoticeTypes);
    }

    [Fact]
    public async Task GetServiceAnalysis_November_FiguresAgainstTargets()
    {
        var month = await _reports.GetServiceAnalysisAsync(new GetServiceAnalysisRequest { Name = "partners/si-yunqi-music/serviceAnalyses/2026-11" }, _si);
        var week = await _reports.GetServiceAnalysisAsync(new GetServiceAnalysisRequest { Name = "partners/si-yunqi-music/serviceAnalyses/2026-W45" }, _desk);
        var other = await Assert.ThrowsAsync<RpcException>(async () =>
            await _reports.GetServiceAnalysisAsync(new GetServiceAnalysisRequest { Name = "partners/si-yunqi-music/serviceAnalyses/2026-11" }, _otherSi));

        Assert.Equal((7L, 5L, 25920L), (month.OrderCount, month.ResolvedOrderCount, month.MeanResolutionDuration.Seconds));
        Assert.Equal((3L, 5L, 3L, 1L), (month.OverdueReplyCount, month.NotClosedSameDayCount, month.ComplaintCount, month.RepeatComplaintCount));
        Assert.Equal(
            [
                (ReportTarget.AcceptanceOnTime, 4L, 7L, 5714, 9500, TargetOutcome.Missed),
                (ReportTarget.Resolution, 5L, 7L, 7142, 9000, TargetOutcome.Missed),
                (ReportTarget.Satisfaction, 2L, 3L, 6666, 8000, TargetOutcome.Missed),
                (ReportTarget.RepeatComplaints, 1L, 3L, 3333, 500, TargetOutcome.Missed),
            ],
            month.Targets.Select(t => (t.Target, t.Ratio.Numerator, t.Ratio.Denominator, t.RateBasisPoints, t.ThresholdBasisPoints, t.Outcome)));
        Assert.Equal((new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)), 7L), (week.StartTime.ToDateTimeOffset(), week.OrderCount));
        Assert.Equal(StatusCode.NotFound, other.StatusCode);
    }

    private async Task PlayNovemberAsync()
    {
        _month["A"] = await CreateAsync("A", new Complaint { Description = "Charged twice", Urgency = ComplaintUrgency.Ordinary });
        _month["B"] = await CreateAsync("B", new Complaint { Description = "Songs missing", Urgency = ComplaintUrgency.Ordinary });
        _month["I"] = await CreateAsync("I", support: new TechnicalSupport
        {
            SupportType = TechnicalSupportType.Installation, AffectedService = "Yunqi Music VIP monthly package", Description = "Install the app on a new phone",
        });
        _month["D3"] = await DirectAsync(DirectChannel.Phone, T0.AddHours(-1), solved: true);
        _month["D4"] = await DirectAsync(DirectChannel.Phone, T0.AddMinutes(-30), solved: false);
        _month["D5"] = await DirectAsync(DirectChannel.Email, T0.AddHours(-2), solved: false);

        await AckAsync("A");
        await ReplyAsync("A");
        await AckAsync("I");
        await AdvanceToAsync(T0.AddHours(2));
        await ResolveAsync("A");
        await ResolveAsync("I");
        await ResolveAsync("D5");
        await AdvanceToAsync(T0.AddHours(3));
        await RevisitAsync("A", Satisfaction.VerySatisfied);
        await RevisitAsync("I", Satisfaction.BasicallySatisfied);

        await AdvanceToAsync(T0.AddHours(26));
        await AckAsync("B");
        await ReplyAsync("B");
        await ResolveAsync("B");
        await RevisitAsync("B", Satisfaction.Dissatisfied);
        await AdvanceToAsync(T0.AddHours(27));
        await NoticeAsync("2026-11-03", "2026-11-03 13:00");
        await AdvanceToAsync(T0.AddHours(28));
        await AckAsync("B");
        await ResolveAsync("B");
        await RevisitAsync("B", Satisfaction.Satisfied);

        await AdvanceToAsync(T0.AddHours(48));
        _month["C"] = await CreateAsync("C", new Complaint
        {
            Description = "Still charged twice", Urgency = ComplaintUrgency.Ordinary, RepeatOf = _month["A"].Name, RepeatReason = RepeatReason.NotSatisfiedWithAnswer,
        });
        await NoticeAsync("2026-11-04", "2026-11-04 10:00");
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(8)));
    }

    private SubmitServiceAnalysisReportRequest Request(long complaints, int satisfaction, int firstTime)
    {
        var request = new SubmitServiceAnalysisReportRequest
        {
            Parent = Yunqi,
            Period = new Contracts.V1.YearMonth { Year = 2026, Month = 11 },
            Report = new ServiceAnalysisReport
            {
                SiFigures = new ServiceAnalysisFigures
                {
                    PhoneRequestCount = 2, EmailRequestCount = 1, InstallationTrainingCount = 1, PhoneResolutionRateBasisPoints = 5000,
                    FirstTimeCompletionRateBasisPoints = firstTime, AverageResolutionDuration = new Duration { Seconds = 28000 },
                    CustomerSatisfactionBasisPoints = satisfaction, ComplaintCount = complaints,
                },
                UserProblemAnalysis = "Double charging after the October price change.",
            },
            RequestId = Guid.NewGuid().ToString(),
        };
        request.Report.UnfinishedWorkOrders.Add(_month["D4"].Name);
        request.Report.ComplaintWorkOrders.Add(_month["A"].Name);
        request.Report.ComplaintWorkOrders.Add(_month["B"].Name);
        return request;
    }

    private async Task<ServiceAnalysisReport> SubmitNovemberAsync(long complaints, int satisfaction, int firstTime) =>
        await _reports.SubmitServiceAnalysisReportAsync(Request(complaints, satisfaction, firstTime), _si);

    private string Key(string name) => _month.Single(o => o.Value.Name == name).Key;

    private async Task<WorkOrder> CreateAsync(string key, Complaint? complaint = null, TechnicalSupport? support = null)
    {
        var order = new WorkOrder
        {
            Summary = "Order " + key,
            Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800001111" },
            Channel = Channel.Hotline,
            ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = Yunqi },
        };
        if (complaint is not null)
        {
            order.Complaint = complaint;
        }
        else
        {
            order.TechnicalSupport = support;
        }

        return await _orders.CreateWorkOrderAsync(new CreateWorkOrderRequest { WorkOrder = order, RequestId = Guid.NewGuid().ToString() }, _desk);
    }

    private async Task<WorkOrder> DirectAsync(DirectChannel channel, DateTimeOffset received, bool solved) =>
        await _orders.ReportDirectRequestAsync(new ReportDirectRequestRequest
        {
            Partner = Yunqi,
            Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800001111" },
            Summary = "Direct " + channel,
            Enquiry = new Enquiry { ServiceName = "Yunqi Music VIP monthly package", Question = "How do I renew?" },
            Channel = channel,
            ReceiveTime = Timestamp.FromDateTimeOffset(received),
            SolvedOnFirstContact = solved,
            RequestId = Guid.NewGuid().ToString(),
        }, _si);

    private async Task AckAsync(string key) =>
        await _orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = _month[key].Name, RequestId = Guid.NewGuid().ToString() }, _si);

    private async Task ReplyAsync(string key) =>
        await _orders.ReplyToWorkOrderAsync(new ReplyToWorkOrderRequest { Name = _month[key].Name, ReplyText = "Looking into it", RequestId = Guid.NewGuid().ToString() }, _si);

    private async Task ResolveAsync(string key) =>
        await _orders.ResolveWorkOrderAsync(new ResolveWorkOrderRequest { Name = _month[key].Name, ResolutionText = "Done", RequestId = Guid.NewGuid().ToString() }, _si);

    private async Task RevisitAsync(string key, Satisfaction satisfaction) =>
        await _orders.RecordRevisitAsync(new RecordRevisitRequest { Name = _month[key].Name, Satisfaction = satisfaction, RequestId = Guid.NewGuid().ToString() }, _desk);

    private async Task NoticeAsync(string date, string label) =>
        _seen[label] = await _reports.GetDailyOpenOrdersNoticeAsync(new GetDailyOpenOrdersNoticeRequest { Name = "dailyOpenOrdersNotices/" + date, Partner = Yunqi }, _desk);

    private async Task AdvanceToAsync(DateTimeOffset to) =>
        await _sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(to) }, _desk);
}
