using NodaTime;

namespace PartnerExchange.Domain.Tests;

// Rulebook section 8: annex-19 figures, the tolerance Decision (2 percentage points for rates, 10% for counts and
// times), the report targets (acceptance on time >= 95%, resolution >= 90%, satisfied >= 80%, repeats <= 5%), and the
// notice types of the daily open-orders notice.
public sealed class ServiceAnalysisTests
{
    private static readonly Instant Created = Instant.FromUtc(2026, 11, 2, 2, 0); // Mon 2026-11-02 10:00 Asia/Shanghai

    [Theory]
    [InlineData(1, 3, 3333)] // round down
    [InlineData(2, 3, 6666)]
    [InlineData(19, 20, 9500)]
    [InlineData(0, 5, 0)]
    [InlineData(7, 7, 10000)]
    public void BasisPoints_Share_RoundsDown(long numerator, long denominator, int expected)
    {
        Assert.Equal(expected, ServiceAnalysisRules.BasisPoints(numerator, denominator));
    }

    [Fact]
    public void BasisPoints_NothingToDivideBy_NotComputed()
    {
        Assert.Null(ServiceAnalysisRules.BasisPoints(0, 0));
    }

    [Theory]
    // figure, SI value, carrier value, discrepancy expected, tolerance (section 8 Decision, defaults)
    [InlineData(ServiceFigure.PhoneResolutionRate, 8200, 8000, false, 200)] // exactly 2 points: within
    [InlineData(ServiceFigure.PhoneResolutionRate, 8201, 8000, true, 200)]
    [InlineData(ServiceFigure.CustomerSatisfaction, 7799, 8000, true, 200)]
    [InlineData(ServiceFigure.PhoneRequestCount, 110, 100, false, 10)] // exactly 10%: within
    [InlineData(ServiceFigure.PhoneRequestCount, 111, 100, true, 10)]
    [InlineData(ServiceFigure.ComplaintCount, 2, 3, true, 0)] // 10% of 3 rounds down to 0
    [InlineData(ServiceFigure.ComplaintCount, 1, 0, true, 0)]
    [InlineData(ServiceFigure.AverageResolutionTime, 28000, 25920, false, 2592)]
    [InlineData(ServiceFigure.AverageResolutionTime, 28513, 25920, true, 2592)]
    public void Discrepancies_OneFigure_BeyondToleranceOnly(ServiceFigure figure, long si, long carrier, bool expected, long tolerance)
    {
        var carrierFigures = With(Baseline, figure, carrier);
        var siFigures = With(Baseline, figure, si);

        var found = ServiceAnalysisRules.Discrepancies(siFigures, carrierFigures, ReportTolerance.Default);

        Assert.Equal(expected ? [new FigureDiscrepancy(figure, si, carrier, tolerance)] : [], found);
    }

    [Fact]
    public void Carrier_NoPhoneNoResolvedNoRevisit_RatesAndMeanNotComputedCountsZero()
    {
        var counts = PeriodOrderCounts.None with { Orders = 2, Complaints = 2 };

        var (figures, notComputed) = ServiceAnalysisRules.Carrier(counts, unfinished: 2);

        Assert.Equal(
            [ServiceFigure.PhoneResolutionRate, ServiceFigure.FirstTimeCompletionRate, ServiceFigure.AverageResolutionTime, ServiceFigure.CustomerSatisfaction],
            notComputed.Select(n => n.Figure));
        Assert.Equal((0L, 2L, 2L, (long?)null), (figures.PhoneRequestCount, figures.ComplaintCount, figures.UnfinishedProblemCount, figures.AverageResolutionSeconds));
        Assert.DoesNotContain(
            ServiceAnalysisRules.Discrepancies(Baseline with { ComplaintCount = 2, UnfinishedProblemCount = 2, PhoneRequestCount = 0 }, figures, ReportTolerance.Default),
            d => d.Figure is ServiceFigure.PhoneResolutionRate or ServiceFigure.AverageResolutionTime);
    }

    [Fact]
    public void Carrier_Counts_FiguresExact()
    {
        var counts = new PeriodOrderCounts(7, 2, 1, 1, 1, 5, 4, 129600, 7, 3, 5, 3, 1, 3, 2);

        var (figures, notComputed) = ServiceAnalysisRules.Carrier(counts, 2);

        Assert.Empty(notComputed);
        Assert.Equal(new ServiceFigures(2, 1, 1, 5000, 8000, 25920, 6666, 3, 2), figures);
    }

    [Theory]
    // with reply clock, overdue, orders, resolved, revisited, satisfied, complaints, repeats -> outcomes in target order
    [InlineData(20, 1, 10, 9, 5, 4, 20, 1, "Met,Met,Met,Met")] // exactly 95%, 90%, 80%, 5%
    [InlineData(20, 2, 10, 8, 5, 3, 20, 2, "Missed,Missed,Missed,Missed")]
    [InlineData(0, 0, 0, 0, 0, 0, 0, 0, "NotComputed,NotComputed,NotComputed,NotComputed")]
    public void Targets_Rates_ExactComparisons(long withReply, long overdue, long orders, long resolved, long revisited, long satisfied, long complaints, long repeats, string outcomes)
    {
        var counts = PeriodOrderCounts.None with
        {
            WithReplyClock = withReply, ReplyOverdue = overdue, Orders = orders, Resolved = resolved, Revisited = revisited, Satisfied = satisfied,
            Complaints = complaints, RepeatComplaints = repeats,
        };

        var checks = ServiceAnalysisRules.Targets(counts, ReportTargets.Default);

        Assert.Equal(outcomes, string.Join(",", checks.Select(c => c.Outcome)));
        Assert.Equal([ReportTarget.AcceptanceOnTime, ReportTarget.Resolution, ReportTarget.Satisfaction, ReportTarget.RepeatComplaints], checks.Select(c => c.Target));
    }

    [Theory]
    // hours after creation, status, reply due (hours), reply met, breach raised, satisfaction, reroute pending, second visit, repeat -> types
    [InlineData(1, WorkOrderStatus.Dispatched, 12, false, false, null, false, false, false, "")]
    [InlineData(13, WorkOrderStatus.Dispatched, 12, false, false, null, false, false, false, "ReplyOverdue")] // 23:00 same day
    [InlineData(14, WorkOrderStatus.Acknowledged, 12, false, false, null, false, false, false, "ReplyOverdue,NotClosedSameDay")] // midnight passed
    [InlineData(14, WorkOrderStatus.OnHold, 12, false, false, null, false, false, false, "NotClosedSameDay")] // paused: not overdue
    [InlineData(14, WorkOrderStatus.OnHold, 12, false, true, null, false, false, false, "ReplyOverdue,NotClosedSameDay")] // breach raised before the hold
    [InlineData(20, WorkOrderStatus.Returned, 30, false, false, Satisfaction.Dissatisfied, false, false, false, "NotClosedSameDay,CustomerDisagrees")]
    [InlineData(20, WorkOrderStatus.Resolved, 12, true, false, Satisfaction.Satisfied, false, false, false, "NotClosedSameDay")]
    [InlineData(2, WorkOrderStatus.Replied, 12, true, false, null, true, false, false, "SecondLineSupport")]
    [InlineData(2, WorkOrderStatus.Replied, 12, true, false, null, false, true, false, "SecondLineSupport")]
    [InlineData(72, WorkOrderStatus.Replied, 12, true, false, null, false, false, true, "NotClosedSameDay,NotClosedInThreeDays,RepeatReport")]
    [InlineData(0, WorkOrderStatus.Dispatched, 12, false, false, null, false, false, true, "RepeatReport")]
    public void OpenOrderNotices_At_TypesAsTheRulebookReadsThem(
        int hours, WorkOrderStatus status, int replyDueHours, bool replyMet, bool breachRaised, Satisfaction? satisfaction, bool reroute, bool secondVisit, bool repeat, string expected)
    {
        var facts = new OpenOrderFacts(Created, repeat, status, Created + Duration.FromHours(replyDueHours), replyMet, breachRaised, satisfaction, reroute, secondVisit);

        var types = OpenOrderNotices.At(facts, Created + Duration.FromHours(hours));

        Assert.Equal(expected, string.Join(",", types));
    }

    [Fact]
    public void JudgedAt_PastTodayFuture_MidnightNowOrNone()
    {
        var now = Instant.FromUtc(2026, 11, 4, 2, 0);

        Assert.Equal(Instant.FromUtc(2026, 11, 3, 16, 0), OpenOrderNotices.JudgedAt(new LocalDate(2026, 11, 3), now));
        Assert.Equal(now, OpenOrderNotices.JudgedAt(new LocalDate(2026, 11, 4), now));
        Assert.Null(OpenOrderNotices.JudgedAt(new LocalDate(2026, 11, 5), now));
    }

    [Theory]
    [InlineData("partners/si-a/serviceAnalyses/2026-11", "2026-11-01", "2026-12-01")]
    [InlineData("partners/si-a/serviceAnalyses/2026-W45", "2026-11-02", "2026-11-09")]
    [InlineData("partners/si-a/serviceAnalyses/2026-W53", "2026-12-28", "2027-01-04")] // 2026 starts on a Thursday: 53 ISO weeks
    [InlineData("partners/si-a/serviceAnalyses/2027-W53", null, null)] // 2027 has 52
    [InlineData("partners/si-a/serviceAnalyses/2026-13", null, null)]
    public void ServiceAnalysisName_MonthOrIsoWeek_Period(string name, string? first, string? next)
    {
        var violations = new List<FieldViolation>();

        var parsed = ReportNames.ServiceAnalysis(name, "name", violations);

        Assert.Equal(first, parsed?.Period.First.ToString("yyyy-MM-dd", null));
        Assert.Equal(next, parsed?.Period.Next.ToString("yyyy-MM-dd", null));
        Assert.Equal(first is null ? 1 : 0, violations.Count);
    }

    private static ServiceFigures Baseline { get; } = new(100, 50, 10, 8000, 8000, 25920, 8000, 3, 2);

    private static ServiceFigures With(ServiceFigures figures, ServiceFigure figure, long value) => figure switch
    {
        ServiceFigure.PhoneRequestCount => figures with { PhoneRequestCount = value },
        ServiceFigure.PhoneResolutionRate => figures with { PhoneResolutionRate = (int)value },
        ServiceFigure.CustomerSatisfaction => figures with { CustomerSatisfaction = (int)value },
        ServiceFigure.ComplaintCount => figures with { ComplaintCount = value },
        ServiceFigure.AverageResolutionTime => figures with { AverageResolutionSeconds = value },
        _ => throw new ArgumentOutOfRangeException(nameof(figure)),
    };
}
