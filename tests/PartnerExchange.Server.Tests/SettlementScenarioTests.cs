using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using ErrorReason = PartnerExchange.Domain.ErrorReason;
using WorkOrderService = PartnerExchange.Contracts.V1.WorkOrderService;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Whole months of settlement through the real server on the sandbox clock, which starts at Thu 2026-10-01 09:00 in
/// Asia/Shanghai. Each test asserts the exact figures of rulebook sections 5 and 7.
/// </summary>
public sealed class SettlementScenarioTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly YearMonth October = new() { Year = 2026, Month = 10 };
    private static readonly YearMonth November = new() { Year = 2026, Month = 11 };

    private TestServer _server = null!;
    private WorkOrderService.WorkOrderServiceClient _orders = null!;
    private SettlementService.SettlementServiceClient _settlement = null!;
    private SandboxService.SandboxServiceClient _sandbox = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(null, $"--Sandbox:Clock={Start:O}");
        _orders = new WorkOrderService.WorkOrderServiceClient(_server.Channel);
        _settlement = new SettlementService.SettlementServiceClient(_server.Channel);
        _sandbox = new SandboxService.SandboxServiceClient(_server.Channel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AssessPeriod_ComplaintsButNoUserCount_FailedPreconditionNamingTheSiAndNothingStored()
    {
        await SubscriberBasesAsync("2026-10", ("si-yunqi-music", 50_000, 0));
        await ComplaintAsync("si-jinghe-reading", resolveAfter: TimeSpan.FromHours(2));
        await ComplaintAsync("si-qingfeng-games", resolveAfter: null);
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8)));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await AssessAsync(October));
        var listed = await _settlement.ListAssessmentsAsync(new ListAssessmentsRequest { Parent = "partners/-" }, await _server.AsAsync(ClientRoles.PartnerManager));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(ErrorReason.SubscriberBaseMissing, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        var failure = error.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>();
        Assert.Equal(
            ["partners/si-jinghe-reading/subscriberBases/2026-10", "partners/si-qingfeng-games/subscriberBases/2026-10"],
            failure.Violations.Select(v => v.Subject).Order(StringComparer.Ordinal));
        Assert.Empty(listed.Assessments);
    }

    [Fact]
    public async Task Month_ExactThresholdOnTimeRateAndDoubleRefund_ExactFiguresThenWithheldReleasedWhenCompliant()
    {
        // October: qingfeng at exactly 5.00 per 10,000 (1 complaint, 2,000 users); yunqi at exactly 75% on time (3 of 4).
        await SubscriberBasesAsync("2026-10", ("si-qingfeng-games", 2_000, 0), ("si-yunqi-music", 40_000, 0), ("si-jinghe-reading", 9_000, 0),
            ("si-hengtong-office", 15_000, 210), ("si-anxin-fleet", 4_000, 30));
        await ComplaintAsync("si-qingfeng-games", resolveAfter: TimeSpan.FromHours(3));
        foreach (var hours in new[] { 1, 5, 23 })
        {
            await ComplaintAsync("si-yunqi-music", resolveAfter: TimeSpan.FromHours(hours));
        }

        await ComplaintAsync("si-yunqi-music", resolveAfter: TimeSpan.FromHours(30));
        await BasisAsync("si-qingfeng-games", October, 1_000_000);
        await BasisAsync("si-yunqi-music", October, 2_000_000);
        await AdvanceToAsync(Start.AddDays(10));
        var refund = await _settlement.RecordRefundAsync(new RecordRefundRequest
        {
            Parent = "partners/si-yunqi-music",
            Refund = new Refund
            {
                Kind = RefundKind.Double,
                ChargedAmount = new Money { CurrencyCode = "CNY", MinorUnits = 3_000 },
                PaidTime = Timestamp.FromDateTimeOffset(Start.AddDays(3)),
                Customer = new Customer { DisplayName = "Li Lei" },
                Description = "VIP charged twice",
            },
            RequestId = Id(),
        }, await _server.AsAsync(ClientRoles.ReconciliationJob));
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8)));

        var assessed = await AssessAsync(October);
        var closed = await CloseAsync(October);
        var qingfeng = await AssessmentAsync("si-qingfeng-games", "2026-10");
        var yunqi = await AssessmentAsync("si-yunqi-music", "2026-10");
        var qingfengStatement = await StatementAsync("si-qingfeng-games", "2026-10");
        var yunqiStatement = await StatementAsync("si-yunqi-music", "2026-10");
        var lines = await LinesAsync("si-yunqi-music", "2026-10");

        Assert.Equal(6_000, refund.RefundAmount.MinorUnits);
        Assert.Equal((5, 1, 4), (assessed.AssessedCount, assessed.SuspendedCount, assessed.CompliantCount));
        Assert.Equal(5, closed.StatementCount);
        Assert.Equal((500, SanctionOutcome.SuspendedUntilCompliant, true), (qingfeng.CIndicators.ComplaintsPerTenThousandUsersHundredths, qingfeng.Outcome, qingfeng.ComplaintThresholdReached));
        Assert.Equal((7500, SanctionOutcome.Compliant, false), (yunqi.CIndicators.OnTimeRateBasisPoints, yunqi.Outcome, yunqi.OnTimeRateBelowThreshold));
        Assert.Equal((1_000_000L, 1_000_000L, 0L, StatementStatus.Withheld), (qingfengStatement.NetAmount.MinorUnits, qingfengStatement.WithheldAmount.MinorUnits, qingfengStatement.NetPayable.MinorUnits, qingfengStatement.Status));
        Assert.Equal((6_000L, 1_994_000L, 1_994_000L), (yunqiStatement.Deductions.MinorUnits, yunqiStatement.NetAmount.MinorUnits, yunqiStatement.NetPayable.MinorUnits));
        Assert.Equal([(StatementLineKind.Gross, 2_000_000L), (StatementLineKind.RefundDeduction, -6_000L)], lines.Select(l => (l.Kind, l.Amount.MinorUnits)));
        Assert.Equal(refund.Name, lines[1].Refund);

        // November: qingfeng compliant (no complaint), so October's withheld amount is released.
        await SubscriberBasesAsync("2026-11", ("si-qingfeng-games", 2_000, 0), ("si-yunqi-music", 40_000, 0), ("si-jinghe-reading", 9_000, 0),
            ("si-hengtong-office", 15_000, 210), ("si-anxin-fleet", 4_000, 30));
        await BasisAsync("si-qingfeng-games", November, 500_000);
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.FromHours(8)));
        await AssessAsync(November);
        await CloseAsync(November);
        var released = await StatementAsync("si-qingfeng-games", "2026-11");
        var october = await StatementAsync("si-qingfeng-games", "2026-10");

        Assert.Equal((1_000_000L, 1_500_000L, StatementStatus.Payable), (released.ReleasedAmount.MinorUnits, released.NetPayable.MinorUnits, released.Status));
        Assert.Equal(WithheldDisposition.Released, october.WithheldDisposition);
    }

    [Fact]
    public async Task Refunds_NegativeNetCarriedForwardAndLateRefund_PaidOffNextMonthWithPaidMonthNamed()
    {
        await SubscriberBasesAsync("2026-10", ("si-jinghe-reading", 9_000, 0));
        await SubscriberBasesAsync("2026-11", ("si-jinghe-reading", 9_000, 0));
        await BasisAsync("si-jinghe-reading", October, 5_000);
        await AdvanceToAsync(Start.AddDays(5));
        await RefundAsync("si-jinghe-reading", RefundKind.Double, 4_000, Start.AddDays(2));
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8)));
        await AssessAsync(October, "partners/si-jinghe-reading");
        await CloseAsync(October);

        // Recorded in November, paid in October (closed): deducted in November, its line naming October.
        var late = await RefundAsync("si-jinghe-reading", RefundKind.FullFunctionFees, 1_000, Start.AddDays(20));
        await BasisAsync("si-jinghe-reading", November, 10_000);
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.FromHours(8)));
        await AssessAsync(November, "partners/si-jinghe-reading");
        await CloseAsync(November);
        var october = await StatementAsync("si-jinghe-reading", "2026-10");
        var november = await StatementAsync("si-jinghe-reading", "2026-11");
        var lines = await LinesAsync("si-jinghe-reading", "2026-11");

        Assert.Equal((-3_000L, -3_000L, 0L, StatementStatus.CarriedForward), (october.NetAmount.MinorUnits, october.CarriedForward.MinorUnits, october.NetPayable.MinorUnits, october.Status));
        Assert.Equal(November, late.DeductionPeriod);
        Assert.Equal(October, late.PaidPeriod);
        Assert.Equal((-3_000L, 1_000L, 6_000L, 6_000L), (november.OpeningBalance.MinorUnits, november.Deductions.MinorUnits, november.NetAmount.MinorUnits, november.NetPayable.MinorUnits));
        var refundLine = Assert.Single(lines, l => l.Kind == StatementLineKind.RefundDeduction);
        Assert.Equal(October, refundLine.RefundPaidPeriod);
        Assert.Equal(november.NetPayable.MinorUnits, lines.Sum(l => l.Amount.MinorUnits));
    }

    [Fact]
    public async Task ClosePeriod_TwiceAndRacing_ClosedOnceSameStatements()
    {
        await SubscriberBasesAsync("2026-10", ("si-yunqi-music", 40_000, 0), ("si-jinghe-reading", 9_000, 0), ("si-qingfeng-games", 2_000, 0),
            ("si-hengtong-office", 15_000, 210), ("si-anxin-fleet", 4_000, 30));
        await BasisAsync("si-yunqi-music", October, 100_000);
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8)));
        await AssessAsync(October);

        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CloseAsync(October)));
        var again = await CloseAsync(October);
        var statements = await _settlement.ListStatementsAsync(new ListStatementsRequest { Parent = "partners/-" }, await _server.AsAsync(ClientRoles.PartnerManager));
        var basisAfter = await Assert.ThrowsAsync<RpcException>(async () => await BasisAsync("si-yunqi-music", October, 1));

        Assert.Single(racing, r => !r.AlreadyClosed);
        Assert.True(again.AlreadyClosed);
        Assert.All(racing.Append(again), r => Assert.Equal((5, racing[0].CloseTime), (r.StatementCount, r.CloseTime)));
        Assert.Equal(5, statements.Statements.Count);
        Assert.Equal(ErrorReason.MonthClosed, basisAfter.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task ThreeBreachingMonths_CancelledAtTheThirdCloseAndEveryWithholdingFrozen()
    {
        var months = new[] { (October, "2026-10", new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8))),
            (November, "2026-11", new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.FromHours(8))),
            (new YearMonth { Year = 2026, Month = 12 }, "2026-12", new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.FromHours(8))) };
        foreach (var (month, key, end) in months)
        {
            await SubscriberBasesAsync(key, ("si-qingfeng-games", 2_000, 0), ("si-yunqi-music", 40_000, 0), ("si-jinghe-reading", 9_000, 0),
                ("si-hengtong-office", 15_000, 210), ("si-anxin-fleet", 4_000, 30));
            await ComplaintAsync("si-qingfeng-games", resolveAfter: TimeSpan.FromHours(1));
            await BasisAsync("si-qingfeng-games", month, 100_000);
            await AdvanceToAsync(end);
            await AssessAsync(month);
            await CloseAsync(month);
        }

        var third = await AssessmentAsync("si-qingfeng-games", "2026-12");
        var december = await StatementAsync("si-qingfeng-games", "2026-12");
        var october = await StatementAsync("si-qingfeng-games", "2026-10");
        var partners = new PartnerService.PartnerServiceClient(_server.Channel);
        using var scope = _server.Services.CreateScope();
        var partner = await scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>().Partners.FindAsync("si-qingfeng-games");

        Assert.Equal((3, SanctionOutcome.CooperationCancelled), (third.ConsecutiveNonCompliantMonths, third.Outcome));
        Assert.Equal([SanctionOutcome.SuspendedUntilCompliant, SanctionOutcome.SuspendedUntilCompliant], third.Trend.Select(t => t.Outcome));
        Assert.Equal((StatementStatus.Frozen, 100_000L, 0L), (december.Status, december.WithheldAmount.MinorUnits, december.NetPayable.MinorUnits));
        Assert.Equal((StatementStatus.Frozen, WithheldDisposition.Pending), (october.Status, october.WithheldDisposition));
        Assert.Equal(Domain.PartnerStatus.Cancelled, partner!.Status);
    }

    [Fact]
    public async Task EmpAndOnTime_FourAndFiveComplaintsAndOnTimeBelow75_VerdictsAsTheRulebookReadsThem()
    {
        await SubscriberBasesAsync("2026-10", ("si-hengtong-office", 15_000, 210), ("si-anxin-fleet", 4_000, 30), ("si-jinghe-reading", 9_000, 0));
        for (var i = 0; i < 4; i++)
        {
            await ComplaintAsync("si-hengtong-office", resolveAfter: null);
        }

        for (var i = 0; i < 5; i++)
        {
            await ComplaintAsync("si-anxin-fleet", resolveAfter: null);
        }

        // jinghe: 2 of 3 on time (66.66%): below 75%, settlement suspended for one month.
        await ComplaintAsync("si-jinghe-reading", resolveAfter: TimeSpan.FromHours(2));
        await ComplaintAsync("si-jinghe-reading", resolveAfter: TimeSpan.FromHours(2));
        await ComplaintAsync("si-jinghe-reading", resolveAfter: TimeSpan.FromHours(25));
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8)));

        await AssessAsync(October, "partners/si-hengtong-office", "partners/si-anxin-fleet", "partners/si-jinghe-reading");
        var four = await AssessmentAsync("si-hengtong-office", "2026-10");
        var five = await AssessmentAsync("si-anxin-fleet", "2026-10");
        var late = await AssessmentAsync("si-jinghe-reading", "2026-10");

        Assert.Equal((4L, 210L, false, SanctionOutcome.Compliant), (four.EmpIndicators.ComplaintCount, four.EmpIndicators.GroupCustomers, four.ComplaintThresholdReached, four.Outcome));
        Assert.Equal((5L, true, SanctionOutcome.SuspendedUntilCompliant), (five.EmpIndicators.ComplaintCount, five.ComplaintThresholdReached, five.Outcome));
        Assert.Equal((6666, true, SanctionOutcome.SuspendedOneMonth), (late.CIndicators.OnTimeRateBasisPoints, late.OnTimeRateBelowThreshold, late.Outcome));
        Assert.Equal((2L, 3L), (late.CIndicators.OnTimeRate.Numerator, late.CIndicators.OnTimeRate.Denominator));
    }

    [Fact]
    public async Task AnotherPartnersMoney_SiReads_NotFoundAsIfMissingAndListsOnlyItsOwn()
    {
        await SubscriberBasesAsync("2026-10", ("si-yunqi-music", 40_000, 0), ("si-jinghe-reading", 9_000, 0), ("si-qingfeng-games", 2_000, 0),
            ("si-hengtong-office", 15_000, 210), ("si-anxin-fleet", 4_000, 30));
        await BasisAsync("si-yunqi-music", October, 100_000);
        await AdvanceToAsync(Start.AddDays(3));
        var refund = await RefundAsync("si-yunqi-music", RefundKind.Double, 1_000, Start.AddDays(2));
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8)));
        await AssessAsync(October);
        await CloseAsync(October);
        var jinghe = new CallOptions(new Metadata { { "authorization", "Bearer " + await _server.TokenAsync("demo-si-jinghe-reading") } });

        async Task<RpcException> Refused(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);
        var errors = new[]
        {
            await Refused(async () => await _settlement.GetStatementAsync(new GetStatementRequest { Name = "partners/si-yunqi-music/statements/2026-10" }, jinghe)),
            await Refused(async () => await _settlement.GetAssessmentAsync(new GetAssessmentRequest { Name = "partners/si-yunqi-music/assessments/2026-10" }, jinghe)),
            await Refused(async () => await _settlement.GetSettlementBasisAsync(new GetSettlementBasisRequest { Name = "partners/si-yunqi-music/settlementBases/2026-10" }, jinghe)),
            await Refused(async () => await _settlement.ListRefundsAsync(new ListRefundsRequest { Parent = "partners/si-yunqi-music" }, jinghe)),
            await Refused(async () => await _settlement.ListAssessedComplaintsAsync(new ListAssessedComplaintsRequest { Parent = "partners/si-yunqi-music/assessments/2026-10" }, jinghe)),
            await Refused(async () => await LinesAsync("si-yunqi-music", "2026-10", jinghe)),
        };
        var missing = await Refused(async () => await _settlement.GetStatementAsync(new GetStatementRequest { Name = "partners/si-nobody/statements/2026-10" }, jinghe));
        var own = await _settlement.ListStatementsAsync(new ListStatementsRequest { Parent = "partners/-" }, jinghe);
        var refunds = await _settlement.ListRefundsAsync(new ListRefundsRequest { Parent = "partners/-" }, jinghe);

        Assert.All(errors, e => Assert.Equal((StatusCode.NotFound, ErrorReason.ResourceNotFound), (e.StatusCode, e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason)));
        Assert.Equal(missing.Status.Detail.Replace("si-nobody", "si-yunqi-music", StringComparison.Ordinal), errors[0].Status.Detail);
        Assert.Equal(["partners/si-jinghe-reading/statements/2026-10"], own.Statements.Select(s => s.Name));
        Assert.DoesNotContain(refunds.Refunds, r => r.Name == refund.Name);
    }

    [Fact]
    public async Task ClosePeriod_RacingOnTwoInstancesOfOneDatabase_ClosedOnce()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-close-race-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var after = $"--Sandbox:Clock={new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.FromHours(8)):O}";
            await using var first = await TestServer.StartInAsync(directory, null, after);
            await using var second = await TestServer.StartInAsync(directory, null, after);
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
                foreach (var partner in new[] { "si-yunqi-music", "si-jinghe-reading", "si-qingfeng-games", "si-hengtong-office", "si-anxin-fleet" })
                {
                    db.SubscriberBases.Add(new Data.Entities.SubscriberBase { PartnerId = partner, Month = "2026-10", BilledUsers = 10_000, GroupCustomers = 10 });
                }

                await db.SaveChangesAsync();
            }

            var job = await first.AsAsync(ClientRoles.ReconciliationJob);
            await new SettlementService.SettlementServiceClient(first.Channel).AssessPeriodAsync(new AssessPeriodRequest { Period = October, RequestId = Id() }, job);

            var closes = await Task.WhenAll(new[] { first, second, first, second }.Select(async server =>
                await new SettlementService.SettlementServiceClient(server.Channel).ClosePeriodAsync(
                    new ClosePeriodRequest { Period = October, RequestId = Id() }, await server.AsAsync(ClientRoles.ReconciliationJob))));
            var statements = await new SettlementService.SettlementServiceClient(second.Channel).ListStatementsAsync(
                new ListStatementsRequest { Parent = "partners/-" }, await second.AsAsync(ClientRoles.PartnerManager));

            Assert.Single(closes, c => !c.AlreadyClosed);
            Assert.All(closes, c => Assert.Equal((5, closes[0].CloseTime), (c.StatementCount, c.CloseTime)));
            Assert.Equal(5, statements.Statements.Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Id() => Guid.NewGuid().ToString();

    private async Task SubscriberBasesAsync(string month, params (string PartnerId, long BilledUsers, long GroupCustomers)[] bases)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        foreach (var (partnerId, billed, group) in bases)
        {
            db.SubscriberBases.Add(new Data.Entities.SubscriberBase { PartnerId = partnerId, Month = month, BilledUsers = billed, GroupCustomers = group });
        }

        await db.SaveChangesAsync();
    }

    private async Task<WorkOrder> ComplaintAsync(string partnerId, TimeSpan? resolveAfter)
    {
        var order = await _orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Complaint",
                Customer = new Customer { DisplayName = "Li Lei" },
                Channel = Channel.Hotline,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/" + partnerId },
                Complaint = new Complaint { Description = "Charged twice", Urgency = ComplaintUrgency.Ordinary },
            },
            RequestId = Id(),
        }, await _server.AsAsync(ClientRoles.CarrierDesk));
        if (resolveAfter is { } after)
        {
            var si = new CallOptions(new Metadata { { "authorization", "Bearer " + await _server.TokenAsync("demo-si-" + partnerId["si-".Length..]) } });
            await _orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() }, si);
            var clock = await _sandbox.GetClockAsync(new GetClockRequest(), si);
            await _sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(clock.Now.ToDateTimeOffset() + after) }, si);
            await _orders.ResolveWorkOrderAsync(new ResolveWorkOrderRequest { Name = order.Name, ResolutionText = "Refunded", RequestId = Id() }, si);
        }

        return order;
    }

    private async Task BasisAsync(string partnerId, YearMonth month, long gross) =>
        await _settlement.RecordSettlementBasisAsync(new RecordSettlementBasisRequest
        {
            Parent = "partners/" + partnerId,
            Period = month,
            GrossAmount = new Money { CurrencyCode = "CNY", MinorUnits = gross },
            RequestId = Id(),
        }, await _server.AsAsync(ClientRoles.ReconciliationJob));

    private async Task<Refund> RefundAsync(string partnerId, RefundKind kind, long charged, DateTimeOffset paid) =>
        await _settlement.RecordRefundAsync(new RecordRefundRequest
        {
            Parent = "partners/" + partnerId,
            Refund = new Refund
            {
                Kind = kind,
                ChargedAmount = new Money { CurrencyCode = "CNY", MinorUnits = charged },
                PaidTime = Timestamp.FromDateTimeOffset(paid),
                Customer = new Customer { DisplayName = "Wang Fang" },
                Description = "Charged in error",
            },
            RequestId = Id(),
        }, await _server.AsAsync(ClientRoles.ReconciliationJob));

    private async Task AdvanceToAsync(DateTimeOffset to) =>
        await _sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(to) }, await _server.AsAsync(ClientRoles.ReconciliationJob));

    private async Task<AssessPeriodResponse> AssessAsync(YearMonth month, params string[] partners)
    {
        var request = new AssessPeriodRequest { Period = month, RequestId = Id() };
        request.Partners.AddRange(partners);
        return await _settlement.AssessPeriodAsync(request, await _server.AsAsync(ClientRoles.ReconciliationJob));
    }

    private async Task<ClosePeriodResponse> CloseAsync(YearMonth month) =>
        await _settlement.ClosePeriodAsync(new ClosePeriodRequest { Period = month, RequestId = Id() }, await _server.AsAsync(ClientRoles.ReconciliationJob));

    private async Task<Assessment> AssessmentAsync(string partnerId, string month) =>
        await _settlement.GetAssessmentAsync(new GetAssessmentRequest { Name = $"partners/{partnerId}/assessments/{month}" }, await _server.AsAsync(ClientRoles.PartnerManager));

    private async Task<Statement> StatementAsync(string partnerId, string month) =>
        await _settlement.GetStatementAsync(new GetStatementRequest { Name = $"partners/{partnerId}/statements/{month}" }, await _server.AsAsync(ClientRoles.PartnerManager));

    private async Task<List<StatementLine>> LinesAsync(string partnerId, string month, CallOptions? options = null)
    {
        using var call = _settlement.StreamStatementLines(
            new StreamStatementLinesRequest { Parent = $"partners/{partnerId}/statements/{month}" }, options ?? await _server.AsAsync(ClientRoles.PartnerManager));
        var lines = new List<StatementLine>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            lines.Add(call.ResponseStream.Current);
        }

        return lines;
    }
}
