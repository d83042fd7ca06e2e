namespace PartnerExchange.Domain;

// The figures of rulebook section 8: the SI's monthly service analysis report ("annex 19") checked against the
// carrier's own figures, and the weekly and monthly analysis per partner against the report targets. The counts come
// from one set-based query over the work orders (Data's ReportQueries); these functions turn them into figures.

/// <summary>A figure of the service analysis report; numbers are the contract's <c>ServiceFigure</c>.</summary>
public enum ServiceFigure
{
    /// <summary>Customer requests received by phone, a count.</summary>
    PhoneRequestCount = 1,

    /// <summary>Customer requests received by e-mail, a count.</summary>
    EmailRequestCount = 2,

    /// <summary>New-customer installations and trainings, a count.</summary>
    InstallationTrainingCount = 3,

    /// <summary>Phone requests resolved on the phone, basis points.</summary>
    PhoneResolutionRate = 4,

    /// <summary>Requests completed the first time, basis points.</summary>
    FirstTimeCompletionRate = 5,

    /// <summary>Mean time to resolution, whole seconds.</summary>
    AverageResolutionTime = 6,

    /// <summary>Revisited customers satisfied or very satisfied, basis points.</summary>
    CustomerSatisfaction = 7,

    /// <summary>Customer complaints, a count.</summary>
    ComplaintCount = 8,

    /// <summary>Problems unfinished at month end, a count.</summary>
    UnfinishedProblemCount = 9,
}

/// <summary>
/// What one partner's work orders received in a period add up to: the row of the one aggregate query. "Received" is
/// the carrier's creation, or the SI's receipt of a direct request; voided orders are left out.
/// </summary>
/// <param name="Orders">Orders received.</param>
/// <param name="PhoneRequests">Direct requests the SI received by phone.</param>
/// <param name="PhoneSolvedOnFirstContact">Of those, the ones solved on first contact (resolved on the phone).</param>
/// <param name="EmailRequests">Direct requests the SI received by e-mail.</param>
/// <param name="InstallationTraining">Technical-support orders for an installation or a training.</param>
/// <param name="Resolved">Orders whose resolution stands: RESOLVED, or CLOSED after a resolution.</param>
/// <param name="ResolvedFirstTime">Of those, the ones never returned.</param>
/// <param name="ResolutionSeconds">Sum over the resolved orders of receipt to latest resolution, each in whole seconds.</param>
/// <param name="WithReplyClock">Orders with a reply clock.</param>
/// <param name="ReplyOverdue">Orders whose reply clock was breached in any run (met late, or a breach raised).</param>
/// <param name="NotClosedSameDay">Orders that got the "not closed on the day it arrived" notice.</param>
/// <param name="Complaints">Complaints.</param>
/// <param name="RepeatComplaints">Repeat complaints.</param>
/// <param name="Revisited">Orders with a revisit.</param>
/// <param name="Satisfied">Of those, the ones whose latest revisit was satisfied or very satisfied.</param>
public sealed record PeriodOrderCounts(
    long Orders, long PhoneRequests, long PhoneSolvedOnFirstContact, long EmailRequests, long InstallationTraining, long Resolved,
    long ResolvedFirstTime, long ResolutionSeconds, long WithReplyClock, long ReplyOverdue, long NotClosedSameDay, long Complaints,
    long RepeatComplaints, long Revisited, long Satisfied)
{
    /// <summary>Gets the counts of a period without orders.</summary>
    public static PeriodOrderCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>
/// The figures of a service analysis report. Rates are basis points (0 to 10000), the time whole seconds. A
/// <c>null</c> is a figure that cannot be computed (nothing to divide by); only the carrier's figures have them.
/// </summary>
public sealed record ServiceFigures(
    long PhoneRequestCount, long EmailRequestCount, long InstallationTrainingCount, int? PhoneResolutionRate, int? FirstTimeCompletionRate,
    long? AverageResolutionSeconds, int? CustomerSatisfaction, long ComplaintCount, long UnfinishedProblemCount)
{
    /// <summary>The value of <paramref name="figure"/> in its unit, or <c>null</c> when not computed.</summary>
    public long? ValueOf(ServiceFigure figure) => figure switch
    {
        ServiceFigure.PhoneRequestCount => PhoneRequestCount,
        ServiceFigure.EmailRequestCount => EmailRequestCount,
        ServiceFigure.InstallationTrainingCount => InstallationTrainingCount,
        ServiceFigure.PhoneResolutionRate => PhoneResolutionRate,
        ServiceFigure.FirstTimeCompletionRate => FirstTimeCompletionRate,
        ServiceFigure.AverageResolutionTime => AverageResolutionSeconds,
        ServiceFigure.CustomerSatisfaction => CustomerSatisfaction,
        ServiceFigure.ComplaintCount => ComplaintCount,
        ServiceFigure.UnfinishedProblemCount => UnfinishedProblemCount,
        _ => throw new ArgumentOutOfRangeException(nameof(figure), figure, "Unknown figure."),
    };
}

/// <summary>A carrier figure its work orders cannot give, with why.</summary>
public sealed record FigureNotComputed(ServiceFigure Figure, string Reason);

/// <summary>A figure where the SI's value and the carrier's differ by more than <paramref name="Tolerance"/>.</summary>
public sealed record FigureDiscrepancy(ServiceFigure Figure, long SiValue, long CarrierValue, long Tolerance);

/// <summary>
/// How far the SI's figure may be from the carrier's before it is a discrepancy (rulebook section 8, configurable).
/// </summary>
/// <param name="RateBasisPoints">For rates, an absolute difference in basis points (default 200: 2 percentage points).</param>
/// <param name="CountPercent">For counts, a percentage of the carrier's count, rounded down (default 10).</param>
/// <param name="TimePercent">For times, a percentage of the carrier's time in seconds, rounded down (default 10).</param>
public sealed record ReportTolerance(int RateBasisPoints, int CountPercent, int TimePercent)
{
    /// <summary>Gets the rulebook's defaults.</summary>
    public static ReportTolerance Default { get; } = new(200, 10, 10);
}

/// <summary>The rulebook's report targets (section 8, general), in basis points.</summary>
/// <param name="AcceptanceOnTime">At least this share of orders accepted (replied) on time (default 9500).</param>
/// <param name="Resolution">At least this share of orders resolved (default 9000).</param>
/// <param name="Satisfaction">At least this share of revisited customers satisfied or very satisfied (default 8000).</param>
/// <param name="RepeatComplaints">At most this share of complaints repeat (default 500).</param>
public sealed record ReportTargets(int AcceptanceOnTime, int Resolution, int Satisfaction, int RepeatComplaints)
{
    /// <summary>Gets the rulebook's targets.</summary>
    public static ReportTargets Default { get; } = new(9500, 9000, 8000, 500);
}

/// <summary>A report target of the analysis; numbers are the contract's <c>ReportTarget</c>.</summary>
public enum ReportTarget
{
    /// <summary>Acceptance on time (the on-time rate).</summary>
    AcceptanceOnTime = 1,

    /// <summary>Resolution.</summary>
    Resolution = 2,

    /// <summary>Satisfied or very satisfied.</summary>
    Satisfaction = 3,

    /// <summary>Repeat complaints.</summary>
    RepeatComplaints = 4,
}

/// <summary>How a rate compares with its target; numbers are the contract's <c>TargetOutcome</c>.</summary>
public enum TargetOutcome
{
    /// <summary>Met.</summary>
    Met = 1,

    /// <summary>Missed.</summary>
    Missed = 2,

    /// <summary>Nothing to divide by: not computed, not judged.</summary>
    NotComputed = 3,
}

/// <summary>One rate against its target: the exact ratio, the rate rounded down, and the outcome of the exact comparison.</summary>
public sealed record TargetCheck(
    ReportTarget Target, long Numerator, long Denominator, int? RateBasisPoints, int ThresholdBasisPoints, bool AtMost, TargetOutcome Outcome);

/// <summary>The rules of rulebook section 8 that turn counts into figures, discrepancies and target checks.</summary>
public static class ServiceAnalysisRules
{
    /// <summary>100% in basis points.</summary>
    public const int Whole = 10000;

    /// <summary>The figures in the order the contract lists them.</summary>
    public static IReadOnlyList<ServiceFigure> Figures { get; } = Enum.GetValues<ServiceFigure>();

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/> in basis points rounded down; <c>null</c> when the denominator is 0.</summary>
    public static int? BasisPoints(long numerator, long denominator)
    {
        if (numerator < 0 || denominator < 0 || numerator > denominator)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"{numerator}/{denominator} is not a share.");
        }

        return denominator == 0 ? null : checked((int)(numerator * Whole / denominator));
    }

    /// <summary>Whether <paramref name="figure"/> is a rate (basis points), compared with the absolute rate tolerance.</summary>
    public static bool IsRate(ServiceFigure figure) =>
        figure is ServiceFigure.PhoneResolutionRate or ServiceFigure.FirstTimeCompletionRate or ServiceFigure.CustomerSatisfaction;

    /// <summary>
    /// The carrier's annex-19 figures from its counts of the month and its number of unfinished orders (Decision: what
    /// is in the system; a rate or mean with nothing to divide by is not computed, with the reason, never zero).
    /// </summary>
    public static (ServiceFigures Figures, IReadOnlyList<FigureNotComputed> NotComputed) Carrier(PeriodOrderCounts counts, long unfinished)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var notComputed = new List<FigureNotComputed>();
        var phoneRate = BasisPoints(counts.PhoneSolvedOnFirstContact, counts.PhoneRequests);
        if (phoneRate is null)
        {
            notComputed.Add(new(ServiceFigure.PhoneResolutionRate, "no phone request the SI received directly was reported in the month"));
        }

        var firstTime = BasisPoints(counts.ResolvedFirstTime, counts.Resolved);
        if (firstTime is null)
        {
            notComputed.Add(new(ServiceFigure.FirstTimeCompletionRate, "no order received in the month is resolved"));
        }

        long? average = counts.Resolved == 0 ? null : counts.ResolutionSeconds / counts.Resolved;
        if (average is null)
        {
            notComputed.Add(new(ServiceFigure.AverageResolutionTime, "no order received in the month is resolved"));
        }

        var satisfaction = BasisPoints(counts.Satisfied, counts.Revisited);
        if (satisfaction is null)
        {
            notComputed.Add(new(ServiceFigure.CustomerSatisfaction, "no order received in the month was revisited"));
        }

        var figures = new ServiceFigures(
            counts.PhoneRequests, counts.EmailRequests, counts.InstallationTraining, phoneRate, firstTime, average, satisfaction, counts.Complaints, unfinished);
        return (figures, notComputed);
    }

    /// <summary>
    /// The tolerance of <paramref name="figure"/> around the carrier's value: the rate tolerance in basis points, or the
    /// count or time percentage of the carrier's value, rounded down.
    /// </summary>
    public static long Tolerance(ServiceFigure figure, long carrierValue, ReportTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        if (IsRate(figure))
        {
            return tolerance.RateBasisPoints;
        }

        var percent = figure == ServiceFigure.AverageResolutionTime ? tolerance.TimePercent : tolerance.CountPercent;
        return checked(Math.Abs(carrierValue) * percent / 100);
    }

    /// <summary>
    /// Every figure whose SI value differs from the carrier's by more than its tolerance, in figure order; figures the
    /// carrier cannot compute raise none.
    /// </summary>
    public static IReadOnlyList<FigureDiscrepancy> Discrepancies(ServiceFigures si, ServiceFigures carrier, ReportTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(si);
        ArgumentNullException.ThrowIfNull(carrier);
        var found = new List<FigureDiscrepancy>();
        foreach (var figure in Figures)
        {
            if (carrier.ValueOf(figure) is not { } carrierValue || si.ValueOf(figure) is not { } siValue)
            {
                continue;
            }

            var allowed = Tolerance(figure, carrierValue, tolerance);
            if (Math.Abs(checked(siValue - carrierValue)) > allowed)
            {
                found.Add(new FigureDiscrepancy(figure, siValue, carrierValue, allowed));
            }
        }

        return found;
    }

    /// <summary>
    /// The rates of a weekly or monthly analysis against the report targets, in <see cref="ReportTarget"/> order:
    /// acceptance on time = orders with a reply clock never breached / orders with a reply clock; resolution = resolved
    /// / orders; satisfaction = satisfied or very satisfied / revisited; repeat complaints = repeats / complaints. Each
    /// comparison is exact (numerator x 10000 against threshold x denominator).
    /// </summary>
    public static IReadOnlyList<TargetCheck> Targets(PeriodOrderCounts counts, ReportTargets targets)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(targets);
        return
        [
            Check(ReportTarget.AcceptanceOnTime, counts.WithReplyClock - counts.ReplyOverdue, counts.WithReplyClock, targets.AcceptanceOnTime, atMost: false),
            Check(ReportTarget.Resolution, counts.Resolved, counts.Orders, targets.Resolution, atMost: false),
            Check(ReportTarget.Satisfaction, counts.Satisfied, counts.Revisited, targets.Satisfaction, atMost: false),
            Check(ReportTarget.RepeatComplaints, counts.RepeatComplaints, counts.Complaints, targets.RepeatComplaints, atMost: true),
        ];
    }

    /// <summary>The mean resolution time in whole seconds, rounded down; <c>null</c> when nothing is resolved.</summary>
    public static long? MeanResolutionSeconds(PeriodOrderCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Resolved == 0 ? null : counts.ResolutionSeconds / counts.Resolved;
    }

    private static TargetCheck Check(ReportTarget target, long numerator, long denominator, int threshold, bool atMost)
    {
        var rate = BasisPoints(numerator, denominator);
        var outcome = denominator == 0 ? TargetOutcome.NotComputed
            : (atMost ? checked(numerator * Whole) <= checked((long)threshold * denominator) : checked(numerator * Whole) >= checked((long)threshold * denominator))
                ? TargetOutcome.Met : TargetOutcome.Missed;
        return new TargetCheck(target, numerator, denominator, rate, threshold, atMost, outcome);
    }
}
