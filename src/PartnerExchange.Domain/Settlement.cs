using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>A month's verdict on an SI (rulebook section 5): the most severe sanction that applies. Numbers are the contract's.</summary>
public enum SanctionOutcome
{
    /// <summary>No sanction; releases amounts withheld until compliant.</summary>
    Compliant = 1,

    /// <summary>On-time rate below 75%: settlement suspended for one month.</summary>
    SuspendedOneMonth = 2,

    /// <summary>Complaint threshold reached: settlement suspended until a month is compliant.</summary>
    SuspendedUntilCompliant = 3,

    /// <summary>The third consecutive month at or above the complaint threshold: cooperation cancelled.</summary>
    CooperationCancelled = 4,
}

/// <summary>What a month's assessment of one SI is computed from (set-based query results and recorded facts).</summary>
/// <param name="Mode">The SI's assessment mode.</param>
/// <param name="Complaints">Complaints against the SI in the month (carrier-accepted, not voided, SI responsible).</param>
/// <param name="OnTime">Of those, completed on time.</param>
/// <param name="BilledUsers">C mode: billed paying users of the month; <c>null</c> when not recorded.</param>
/// <param name="GroupCustomers">EMP mode: group customers of the month; <c>null</c> when not recorded.</param>
/// <param name="SatisfiedGroupRevisits">EMP: group-customer revisits answered satisfied or very satisfied in the month.</param>
/// <param name="GroupRevisits">EMP: all group-customer revisits in the month.</param>
/// <param name="PreviousConsecutive">The previous calendar month's consecutive non-compliant count (0 when not assessed).</param>
/// <param name="ResponsePointsDeducted">The month's response-rate deduction points.</param>
/// <param name="ResponseDeductions">How many response-rate deductions the month has.</param>
/// <param name="EmpThreshold">The EMP complaint threshold in force (configurable, default 5).</param>
public sealed record AssessmentInput(
    AssessmentMode Mode, long Complaints, long OnTime, long? BilledUsers, long? GroupCustomers, long SatisfiedGroupRevisits, long GroupRevisits,
    int PreviousConsecutive, int ResponsePointsDeducted, int ResponseDeductions, long EmpThreshold);

/// <summary>A month's assessment of one SI: display figures (rounded down), threshold tests (exact) and the outcome.</summary>
/// <param name="PerTenThousandHundredths">C: complaints per 10,000 users in hundredths, rounded down; 0 without users.</param>
/// <param name="OnTimeBasisPoints">C: the on-time rate in basis points, rounded down; 10000 without complaints.</param>
/// <param name="GroupSatisfactionBasisPoints">EMP: group satisfaction in basis points, rounded down; 0 without revisits.</param>
/// <param name="ComplaintThresholdReached">Whether the complaint rate (C) or volume (EMP) reached its threshold.</param>
/// <param name="OnTimeBelowThreshold">C: whether the on-time rate was below 75%.</param>
/// <param name="Consecutive">Consecutive months, ending with this one, at or above the complaint threshold.</param>
/// <param name="Outcome">The most severe sanction that applies.</param>
/// <param name="ResponseScore">100 minus the month's deduction points, not below 0.</param>
public sealed record AssessmentVerdict(
    int PerTenThousandHundredths, int OnTimeBasisPoints, int GroupSatisfactionBasisPoints, bool ComplaintThresholdReached, bool OnTimeBelowThreshold,
    int Consecutive, SanctionOutcome Outcome, int ResponseScore);

/// <summary>
/// The monthly assessment of an SI (rulebook section 5 and its Decisions). Every comparison with a threshold is exact
/// integer arithmetic; display figures round down.
/// <list type="bullet">
/// <item>C mode: complaints x 10,000 / billed users reaches 5 when complaints x 10,000 &gt;= 5 x users; zero users and zero
/// complaints is compliant; complaints with no (or zero) users cannot be assessed (<see cref="CanAssess"/>).</item>
/// <item>C mode: the on-time rate is below 75% when on-time x 4 &lt; complaints x 3; no complaints is 100%.</item>
/// <item>EMP mode: the complaint count reaches the threshold (default 5); group customers are shown, never divided by;
/// an EMP month needs no subscriber base (nothing is divided by it).</item>
/// <item>Three consecutive calendar months at or above the complaint threshold cancel cooperation at the third.</item>
/// </list>
/// </summary>
public static class AssessmentRules
{
    /// <summary>The C-mode complaint threshold, per 10,000 billed users.</summary>
    public const long RateThreshold = 5;

    /// <summary>The consecutive months at or above the threshold that cancel cooperation.</summary>
    public const int MonthsToCancel = 3;

    /// <summary>Whether the month can be assessed: a C-mode SI with complaints needs a recorded, non-zero user count.</summary>
    public static bool CanAssess(AssessmentMode mode, long complaints, long? billedUsers) =>
        mode != AssessmentMode.C || complaints == 0 || billedUsers > 0;

    /// <summary>Assesses one SI's month.</summary>
    public static AssessmentVerdict Assess(AssessmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!CanAssess(input.Mode, input.Complaints, input.BilledUsers))
        {
            throw new InvalidOperationException("A C-mode month with complaints needs a recorded, non-zero user count.");
        }

        var users = input.BilledUsers ?? 0;
        bool reached;
        var perTenThousand = 0;
        var onTimeBasisPoints = 10000;
        var onTimeBelow = false;
        var satisfaction = 0;
        if (input.Mode == AssessmentMode.C)
        {
            reached = users > 0 && input.Complaints * 10_000 >= RateThreshold * users;
            perTenThousand = users == 0 ? 0 : (int)Math.Min(int.MaxValue, input.Complaints * 10_000 * 100 / users);
            if (input.Complaints > 0)
            {
                onTimeBasisPoints = (int)(input.OnTime * 10_000 / input.Complaints);
                onTimeBelow = input.OnTime * 4 < input.Complaints * 3;
            }
        }
        else
        {
            reached = input.Complaints >= input.EmpThreshold;
            satisfaction = input.GroupRevisits == 0 ? 0 : (int)(input.SatisfiedGroupRevisits * 10_000 / input.GroupRevisits);
            onTimeBasisPoints = 0;
        }

        var consecutive = reached ? input.PreviousConsecutive + 1 : 0;
        var outcome = consecutive >= MonthsToCancel ? SanctionOutcome.CooperationCancelled
            : reached ? SanctionOutcome.SuspendedUntilCompliant
            : onTimeBelow ? SanctionOutcome.SuspendedOneMonth
            : SanctionOutcome.Compliant;
        var score = (int)ResponseScore.FromPointsDeducted(input.ResponsePointsDeducted);
        return new AssessmentVerdict(perTenThousand, onTimeBasisPoints, satisfaction, reached, onTimeBelow, consecutive, outcome, score);
    }

    /// <summary>
    /// Whether a complaint was completed on time for C mode (Decision): its final completion (the last resolution not
    /// later returned, or the carrier's close without one) came within 24 h of its creation plus approved hold time.
    /// <paramref name="completed"/> is <c>null</c> while it is open or returned and unresolved (not on time).
    /// </summary>
    public static bool IsOnTime(Instant created, Instant? completed, Duration held) =>
        completed is { } at && at <= created + Duration.FromHours(24) + held;
}

/// <summary>How an amount withheld on a statement is released (rulebook section 7 Decisions).</summary>
public enum WithholdingRule
{
    /// <summary>On-time-rate suspension: released with the next month's close.</summary>
    OneMonth = 1,

    /// <summary>Complaint-threshold suspension: released with the close of the first later compliant month.</summary>
    UntilCompliant = 2,

    /// <summary>The partner's service was manually suspended at the month's end: released with the first close after reinstatement.</summary>
    UntilReinstated = 3,

    /// <summary>Cooperation cancelled: released or forfeited only by a partner manager, with a reason.</summary>
    Frozen = 4,
}

/// <summary>Where a statement's money goes; numbers are the contract's <c>StatementStatus</c>.</summary>
public enum StatementStatus
{
    /// <summary>The net amount is payable.</summary>
    Payable = 1,

    /// <summary>The net amount is withheld.</summary>
    Withheld = 2,

    /// <summary>The net was negative and carries forward.</summary>
    CarriedForward = 3,

    /// <summary>The partner is cancelled; withheld amounts wait for a partner manager.</summary>
    Frozen = 4,
}

/// <summary>The kind of a statement line; numbers are the contract's <c>StatementLineKind</c>.</summary>
public enum StatementLineKind
{
    /// <summary>The gross settlement amount.</summary>
    Gross = 1,

    /// <summary>One refund deducted (negative).</summary>
    RefundDeduction = 2,

    /// <summary>The opening balance (zero or negative).</summary>
    OpeningBalance = 3,

    /// <summary>The amount withheld this month (negative).</summary>
    Withholding = 4,

    /// <summary>An earlier withheld amount released into this month (positive).</summary>
    Release = 5,

    /// <summary>The negative net carried forward (positive, offsetting it here).</summary>
    CarryForward = 6,
}

/// <summary>A refund deducted in the month being closed.</summary>
/// <param name="RefundId">The refund.</param>
/// <param name="Amount">The refunded amount (positive minor units).</param>
/// <param name="PaidMonth">The month it was paid in, when earlier than the month that bears it (a late refund); otherwise <c>null</c>.</param>
public sealed record DeductedRefund(long RefundId, long Amount, YearMonth? PaidMonth);

/// <summary>An amount withheld on an earlier statement of the SI and not yet released or forfeited.</summary>
/// <param name="Month">The statement's month.</param>
/// <param name="Amount">The amount withheld (positive).</param>
/// <param name="Rule">How it is released; a frozen amount a partner manager released has <paramref name="ReleasedByManager"/>.</param>
/// <param name="ReleasedByManager">Whether a partner manager released it, to be paid with this close.</param>
public sealed record PendingWithholding(YearMonth Month, long Amount, WithholdingRule Rule, bool ReleasedByManager = false);

/// <summary>What closing one SI's month needs.</summary>
/// <param name="Month">The month being closed.</param>
/// <param name="Gross">The gross settlement amount (0 when none was recorded).</param>
/// <param name="Refunds">The refunds deducted this month.</param>
/// <param name="OpeningBalance">The negative net carried from the previous month (zero or negative).</param>
/// <param name="Outcome">The month's assessed outcome.</param>
/// <param name="ManuallySuspended">Whether the partner's service is manually suspended at the close.</param>
/// <param name="Pending">The SI's earlier withheld amounts still pending (or released by a manager and not yet paid).</param>
public sealed record StatementInput(
    YearMonth Month, long Gross, IReadOnlyList<DeductedRefund> Refunds, long OpeningBalance, SanctionOutcome Outcome, bool ManuallySuspended,
    IReadOnlyList<PendingWithholding> Pending);

/// <summary>One line of a statement.</summary>
public sealed record StatementLineItem(StatementLineKind Kind, long Amount, string Description, long? RefundId = null, YearMonth? SourceMonth = null, YearMonth? RefundPaidMonth = null);

/// <summary>What happens to an earlier withheld amount at this close.</summary>
/// <param name="Month">The earlier statement's month.</param>
/// <param name="Released">Whether it is released (paid) now.</param>
/// <param name="NewRule">Its rule from now on when it stays withheld.</param>
public sealed record WithholdingChange(YearMonth Month, bool Released, WithholdingRule NewRule);

/// <summary>A closed month's statement of one SI.</summary>
public sealed record StatementResult(
    long Gross, long Deductions, long OpeningBalance, long Net, long Withheld, WithholdingRule? WithheldRule, long Released, long Payable,
    long CarriedForward, StatementStatus Status, IReadOnlyList<StatementLineItem> Lines, IReadOnlyList<WithholdingChange> Changes);

/// <summary>
/// The monthly statement of an SI (rulebook section 7 and its Decisions), in integer minor units with checked
/// arithmetic: net = gross - deductions + opening balance; a negative net carries forward (never withheld); a suspended
/// month's positive net is withheld with its release rule; earlier withholdings are released or converted by this
/// month's outcome; payable = max(net, 0) - withheld + released. The lines add up to the payable amount.
/// </summary>
public static class StatementRules
{
    /// <summary>Closes one SI's month.</summary>
    public static StatementResult Close(StatementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var lines = new List<StatementLineItem> { new(StatementLineKind.Gross, input.Gross, $"Gross settlement amount for {input.Month:yyyy-MM}") };
        var deductions = 0L;
        foreach (var refund in input.Refunds)
        {
            deductions += refund.Amount;
            lines.Add(new StatementLineItem(
                StatementLineKind.RefundDeduction, -refund.Amount,
                refund.PaidMonth is { } paid ? $"Refund paid in {paid:yyyy-MM} (that month was already closed)" : "Refund paid on the SI's behalf",
                refund.RefundId, RefundPaidMonth: refund.PaidMonth));
        }

        if (input.OpeningBalance != 0)
        {
            lines.Add(new StatementLineItem(StatementLineKind.OpeningBalance, input.OpeningBalance, "Negative balance carried from the previous month"));
        }

        var net = input.Gross - deductions + input.OpeningBalance;
        var thisRule = RuleOf(input.Outcome, input.ManuallySuspended);
        var withheld = net > 0 && thisRule is not null ? net : 0;
        if (withheld > 0)
        {
            lines.Add(new StatementLineItem(StatementLineKind.Withholding, -withheld, $"Withheld: {Describe(thisRule!.Value)}"));
        }

        var changes = new List<WithholdingChange>();
        var released = 0L;
        foreach (var pending in input.Pending)
        {
            var (release, rule) = Decide(pending, input.Outcome, input.ManuallySuspended);
            changes.Add(new WithholdingChange(pending.Month, release, rule));
            if (release)
            {
                released += pending.Amount;
                lines.Add(new StatementLineItem(
                    StatementLineKind.Release, pending.Amount, $"Released: amount withheld in {pending.Month:yyyy-MM}", SourceMonth: pending.Month));
            }
        }

        var carried = net < 0 ? net : 0;
        if (carried < 0)
        {
            lines.Add(new StatementLineItem(StatementLineKind.CarryForward, -carried, "Negative net carried forward to the next month"));
        }

        var payable = Math.Max(net, 0) - withheld + released;
        var status = input.Outcome == SanctionOutcome.CooperationCancelled ? StatementStatus.Frozen
            : carried < 0 ? StatementStatus.CarriedForward
            : withheld > 0 ? StatementStatus.Withheld
            : StatementStatus.Payable;
        return new StatementResult(
            input.Gross, deductions, input.OpeningBalance, net, withheld, withheld > 0 ? thisRule : null, released, payable, carried, status, lines, changes);
    }

    /// <summary>The withholding rule of a month with <paramref name="outcome"/>, or <c>null</c> when its net is paid.</summary>
    public static WithholdingRule? RuleOf(SanctionOutcome outcome, bool manuallySuspended) => outcome switch
    {
        SanctionOutcome.CooperationCancelled => WithholdingRule.Frozen,
        SanctionOutcome.SuspendedUntilCompliant => WithholdingRule.UntilCompliant,
        SanctionOutcome.SuspendedOneMonth => WithholdingRule.OneMonth,
        _ => manuallySuspended ? WithholdingRule.UntilReinstated : null,
    };

    /// <summary>
    /// What this close does to an earlier withholding: cancellation freezes every pending one; an until-compliant
    /// outcome turns one-month withholdings into until-compliant ones; a one-month withholding is otherwise released
    /// with the next close; until-compliant ones with a compliant close; until-reinstated ones at the first close
    /// without a manual suspension; frozen ones only when a partner manager released them. Nothing but a manager's
    /// release is paid while the partner's service is manually suspended.
    /// </summary>
    private static (bool Release, WithholdingRule Rule) Decide(PendingWithholding pending, SanctionOutcome outcome, bool manuallySuspended)
    {
        if (pending.ReleasedByManager)
        {
            return (true, pending.Rule);
        }

        if (outcome == SanctionOutcome.CooperationCancelled || pending.Rule == WithholdingRule.Frozen)
        {
            return (false, WithholdingRule.Frozen);
        }

        var (release, rule) = pending.Rule switch
        {
            WithholdingRule.OneMonth when outcome == SanctionOutcome.SuspendedUntilCompliant => (false, WithholdingRule.UntilCompliant),
            WithholdingRule.OneMonth => (true, WithholdingRule.OneMonth),
            WithholdingRule.UntilCompliant => (outcome == SanctionOutcome.Compliant, WithholdingRule.UntilCompliant),
            _ => (true, WithholdingRule.UntilReinstated),
        };

        // While the partner's service is manually suspended nothing is paid out: the month is withheld until the first
        // close after reinstatement (rulebook section 7 Decision), whatever released it otherwise.
        return (release && !manuallySuspended, rule);
    }

    private static string Describe(WithholdingRule rule) => rule switch
    {
        WithholdingRule.OneMonth => "settlement suspended for one month (on-time rate below 75%)",
        WithholdingRule.UntilCompliant => "settlement suspended until a month is compliant (complaint threshold reached)",
        WithholdingRule.UntilReinstated => "the partner's service is suspended",
        _ => "cooperation cancelled; frozen until a partner manager decides",
    };
}

/// <summary>Which refund rule of rulebook section 7 applies; numbers are the contract's <c>RefundKind</c>.</summary>
public enum RefundKind
{
    /// <summary>Fees charged in error, refunded double.</summary>
    Double = 1,

    /// <summary>All wrongly charged function fees, refunded once.</summary>
    FullFunctionFees = 2,
}

/// <summary>Whether a refund is a deduction yet; numbers are the contract's <c>RefundState</c>.</summary>
public enum RefundState
{
    /// <summary>Reported by the SI as verified; not a deduction until the carrier records the credit.</summary>
    Reported = 1,

    /// <summary>Paid by the carrier: a deduction.</summary>
    Paid = 2,
}

/// <summary>What happened to a statement's withheld amount; numbers are the contract's <c>WithheldDisposition</c>.</summary>
public enum WithheldDisposition
{
    /// <summary>Still withheld.</summary>
    Pending = 1,

    /// <summary>Released and paid with a later month.</summary>
    Released = 2,

    /// <summary>Forfeited by a partner manager.</summary>
    Forfeited = 3,
}

/// <summary>Why a complaint naming an SI did not count; numbers are the contract's <c>ComplaintExclusion</c>.</summary>
public enum ComplaintExclusion
{
    /// <summary>Voided by the carrier.</summary>
    Voided = 1,

    /// <summary>Made directly to the SI and reported by it.</summary>
    DirectToPartner = 2,
}

/// <summary>Refund amounts (rulebook section 7): fees charged in error are refunded double; wrongly charged function fees once.</summary>
public static class RefundRules
{
    /// <summary>The amount refunded (and deducted) for a charge of <paramref name="charged"/> minor units.</summary>
    public static long RefundAmount(RefundKind kind, long charged) => kind == RefundKind.Double ? checked(charged * 2) : charged;
}
