using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

public sealed class AssessmentRulesTests
{
    private const long EmpThreshold = 5;

    /// <summary>Mon 2026-10-12 09:00 Asia/Shanghai.</summary>
    private static readonly Instant Created = Calendar2026.Local(2026, 10, 12, 9, 0);

    /// <summary>A C-mode month: every complaint on time unless said, no previous breach, no response deductions.</summary>
    private static AssessmentInput CMonth(long complaints, long? users, long? onTime = null, int previousConsecutive = 0) =>
        new(AssessmentMode.C, complaints, onTime ?? complaints, users, null, 0, 0, previousConsecutive, 0, 0, EmpThreshold);

    /// <summary>An EMP month: no group customers recorded, no revisits, no previous breach.</summary>
    private static AssessmentInput EmpMonth(long complaints, int previousConsecutive = 0) =>
        new(AssessmentMode.Emp, complaints, 0, null, null, 0, 0, previousConsecutive, 0, 0, EmpThreshold);

    // RULEBOOK section 5, C mode: ">= 5" complaints per 10,000 users, compared exactly; display in hundredths, rounded down.
    [Theory]
    [InlineData(5L, 10_000L, true, 500, SanctionOutcome.SuspendedUntilCompliant)] // exactly 5.00
    [InlineData(1L, 2_000L, true, 500, SanctionOutcome.SuspendedUntilCompliant)] // exactly 5.00
    [InlineData(6L, 10_000L, true, 600, SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(1_999L, 4_000_000L, false, 499, SanctionOutcome.Compliant)] // exactly 4.9975: not reached, displayed 4.99
    [InlineData(49_999L, 100_000_000L, false, 499, SanctionOutcome.Compliant)] // 4.9999
    [InlineData(4L, 10_000L, false, 400, SanctionOutcome.Compliant)]
    [InlineData(0L, 10_000L, false, 0, SanctionOutcome.Compliant)]
    public void Assess_CModeComplaintRate_ExactThresholdAndRoundedDownDisplay(
        long complaints, long users, bool reached, int hundredths, SanctionOutcome outcome)
    {
        var input = CMonth(complaints, users);

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((reached, hundredths, outcome), (verdict.ComplaintThresholdReached, verdict.PerTenThousandHundredths, verdict.Outcome));
    }

    // RULEBOOK section 5 Decision: zero billed users and zero complaints is compliant, displayed 0.
    [Theory]
    [InlineData(0L)]
    [InlineData(null)]
    public void Assess_CModeNoUsersNoComplaints_CompliantZeroHundredths(long? users)
    {
        var input = CMonth(0, users);

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal(
            (false, 0, 10_000, SanctionOutcome.Compliant, 0),
            (verdict.ComplaintThresholdReached, verdict.PerTenThousandHundredths, verdict.OnTimeBasisPoints, verdict.Outcome, verdict.Consecutive));
    }

    // RULEBOOK section 5 Decision: complaints with no recorded user count (or zero) cannot be assessed; EMP never divides.
    [Theory]
    [InlineData(AssessmentMode.C, 1L, null, false)]
    [InlineData(AssessmentMode.C, 1L, 0L, false)]
    [InlineData(AssessmentMode.C, 3L, null, false)]
    [InlineData(AssessmentMode.C, 1L, 1L, true)]
    [InlineData(AssessmentMode.C, 0L, null, true)] // no complaints: nothing to divide
    [InlineData(AssessmentMode.C, 0L, 0L, true)]
    [InlineData(AssessmentMode.Emp, 7L, null, true)] // EMP needs no subscriber base
    [InlineData(AssessmentMode.Emp, 7L, 0L, true)]
    public void CanAssess_ComplaintsAndUsers_AsTheRulebookSays(AssessmentMode mode, long complaints, long? users, bool expected)
    {
        var result = AssessmentRules.CanAssess(mode, complaints, users);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void Assess_CModeComplaintsWithoutUsers_Throws()
    {
        var input = CMonth(3, null);

        Assert.Throws<InvalidOperationException>(() => AssessmentRules.Assess(input));
    }

    // RULEBOOK section 5, C mode: on-time rate "< 75%" suspends for one month; basis points round down; no complaints is 100%.
    [Theory]
    [InlineData(4L, 3L, 7_500, false, SanctionOutcome.Compliant)] // exactly 75%: no sanction
    [InlineData(3L, 2L, 6_666, true, SanctionOutcome.SuspendedOneMonth)] // 66.66...%, rounded down
    [InlineData(3L, 3L, 10_000, false, SanctionOutcome.Compliant)]
    [InlineData(3L, 0L, 0, true, SanctionOutcome.SuspendedOneMonth)]
    [InlineData(400L, 299L, 7_475, true, SanctionOutcome.SuspendedOneMonth)] // 74.75%
    [InlineData(0L, 0L, 10_000, false, SanctionOutcome.Compliant)] // no complaints: 100%
    public void Assess_CModeOnTimeRate_BelowSeventyFivePercentSuspendsOneMonth(
        long complaints, long onTime, int basisPoints, bool below, SanctionOutcome outcome)
    {
        var input = CMonth(complaints, 100_000_000, onTime); // a rate far below 5 per 10,000

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((basisPoints, below, outcome), (verdict.OnTimeBasisPoints, verdict.OnTimeBelowThreshold, verdict.Outcome));
    }

    // RULEBOOK section 5: the most severe sanction applies (threshold reached and on-time rate below 75% in one month).
    [Fact]
    public void Assess_CModeThresholdReachedAndOnTimeBelow_SuspendedUntilCompliant()
    {
        var input = CMonth(5, 10_000, onTime: 2);

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal(
            (true, true, SanctionOutcome.SuspendedUntilCompliant),
            (verdict.ComplaintThresholdReached, verdict.OnTimeBelowThreshold, verdict.Outcome));
    }

    // RULEBOOK section 5, EMP mode: a count of complaints, threshold 5 (configurable); group customers never divided by.
    [Theory]
    [InlineData(4L, 5L, false, SanctionOutcome.Compliant)]
    [InlineData(5L, 5L, true, SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(9L, 5L, true, SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(5L, 6L, false, SanctionOutcome.Compliant)] // a configured threshold of 6
    [InlineData(0L, 5L, false, SanctionOutcome.Compliant)]
    public void Assess_EmpComplaintVolume_ReachesTheThresholdAtFive(long complaints, long threshold, bool reached, SanctionOutcome outcome)
    {
        var input = EmpMonth(complaints) with { EmpThreshold = threshold };

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((reached, outcome, 0), (verdict.ComplaintThresholdReached, verdict.Outcome, verdict.PerTenThousandHundredths));
    }

    [Fact]
    public void Assess_EmpWithGroupCustomersRecorded_CountNotDividedBy()
    {
        var input = EmpMonth(5) with { GroupCustomers = 1_000_000 };

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((true, SanctionOutcome.SuspendedUntilCompliant), (verdict.ComplaintThresholdReached, verdict.Outcome));
    }

    // RULEBOOK section 5, EMP: group-customer satisfaction from revisits, reported in basis points rounded down.
    [Theory]
    [InlineData(2L, 3L, 6_666)]
    [InlineData(3L, 4L, 7_500)]
    [InlineData(4L, 4L, 10_000)]
    [InlineData(0L, 4L, 0)]
    [InlineData(0L, 0L, 0)] // no revisits: 0 (Settlement.cs doc)
    public void Assess_EmpGroupSatisfaction_BasisPointsRoundedDown(long satisfied, long revisits, int basisPoints)
    {
        var input = EmpMonth(1) with { SatisfiedGroupRevisits = satisfied, GroupRevisits = revisits };

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((basisPoints, SanctionOutcome.Compliant), (verdict.GroupSatisfactionBasisPoints, verdict.Outcome));
    }

    // RULEBOOK section 5 Decision: three consecutive months at or above the threshold cancel at the third; a month below resets.
    [Theory]
    [InlineData(AssessmentMode.C, 0, true, 1, SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(AssessmentMode.C, 1, true, 2, SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(AssessmentMode.C, 2, true, 3, SanctionOutcome.CooperationCancelled)] // the third in a row
    [InlineData(AssessmentMode.C, 2, false, 0, SanctionOutcome.Compliant)] // a compliant month resets
    [InlineData(AssessmentMode.Emp, 1, true, 2, SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(AssessmentMode.Emp, 2, true, 3, SanctionOutcome.CooperationCancelled)]
    [InlineData(AssessmentMode.Emp, 2, false, 0, SanctionOutcome.Compliant)]
    public void Assess_PreviousConsecutive_CancelsAtTheThirdMonthInARow(
        AssessmentMode mode, int previous, bool breach, int consecutive, SanctionOutcome outcome)
    {
        var input = mode == AssessmentMode.C
            ? CMonth(breach ? 5 : 4, 10_000, previousConsecutive: previous)
            : EmpMonth(breach ? 5 : 4, previous);

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((consecutive, outcome), (verdict.Consecutive, verdict.Outcome));
    }

    [Fact]
    public void Assess_OnTimeSuspensionAfterTwoBreaches_ResetsTheRun()
    {
        var input = CMonth(4, 10_000, onTime: 2, previousConsecutive: 2); // below the rate threshold, on-time 50%

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal((0, SanctionOutcome.SuspendedOneMonth), (verdict.Consecutive, verdict.Outcome));
    }

    // RULEBOOK section 6 Decision: the score starts at 100 and each deduction subtracts its points; never below 0.
    [Theory]
    [InlineData(0, 0, 100)]
    [InlineData(30, 2, 70)]
    [InlineData(100, 4, 0)]
    [InlineData(130, 5, 0)]
    public void Assess_ResponsePointsDeducted_ScoreNotBelowZero(int points, int deductions, int score)
    {
        var input = CMonth(1, 10_000) with { ResponsePointsDeducted = points, ResponseDeductions = deductions };

        var verdict = AssessmentRules.Assess(input);

        Assert.Equal(score, verdict.ResponseScore);
    }

    // RULEBOOK section 5 Decision: final completion within 24 h of creation plus approved hold time; open is not on time.
    [Theory]
    [InlineData(3_600L, 0L, true)] // 1 h
    [InlineData(86_399L, 0L, true)] // 24 h - 1 s
    [InlineData(86_400L, 0L, true)] // 24 h exactly
    [InlineData(86_401L, 0L, false)] // 24 h + 1 s
    [InlineData(100_800L, 14_400L, true)] // 28 h with a 4 h hold: exactly on time
    [InlineData(100_801L, 14_400L, false)] // 28 h + 1 s with a 4 h hold
    public void IsOnTime_CompletedAfter_WithinTwentyFourHoursPlusHeld(long completedAfterSeconds, long heldSeconds, bool expected)
    {
        var completed = Created + Duration.FromSeconds(completedAfterSeconds);

        var result = AssessmentRules.IsOnTime(Created, completed, Duration.FromSeconds(heldSeconds));

        Assert.Equal(expected, result);
    }

    [Fact]
    public void IsOnTime_StillOpen_NotOnTime()
    {
        var result = AssessmentRules.IsOnTime(Created, null, Duration.FromHours(4));

        Assert.False(result);
    }
}
