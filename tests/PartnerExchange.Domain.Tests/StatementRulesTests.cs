using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

public sealed class StatementRulesTests
{
    private static readonly YearMonth Aug = new(2026, 8);
    private static readonly YearMonth Sep = new(2026, 9);
    private static readonly YearMonth Oct = new(2026, 10);
    private static readonly YearMonth Nov = new(2026, 11);

    private static StatementInput Month(
        YearMonth month, long gross, SanctionOutcome outcome = SanctionOutcome.Compliant, bool manuallySuspended = false, long openingBalance = 0,
        DeductedRefund[]? refunds = null, PendingWithholding[]? pending = null) =>
        new(month, gross, refunds ?? [], openingBalance, outcome, manuallySuspended, pending ?? []);

    /// <summary>Closes the month and checks the invariants every statement keeps (RULEBOOK section 7; Settlement.cs).</summary>
    private static StatementResult Close(StatementInput input)
    {
        var result = StatementRules.Close(input);

        Assert.Equal(result.Payable, result.Lines.Sum(l => l.Amount)); // the lines add up to the payable amount
        Assert.Equal(Math.Max(result.Net, 0) - result.Withheld + result.Released, result.Payable);
        Assert.Equal(result.Gross - result.Deductions + result.OpeningBalance, result.Net);
        return result;
    }

    private static (StatementLineKind Kind, long Amount)[] Lines(StatementResult result) => result.Lines.Select(l => (l.Kind, l.Amount)).ToArray();

    private static (YearMonth Month, bool Released, WithholdingRule Rule)[] Changes(StatementResult result) =>
        result.Changes.Select(c => (c.Month, c.Released, c.NewRule)).ToArray();

    // RULEBOOK section 7: a 30.00 CNY charge in error is refunded double (60.00), deducted from the month it was paid.
    [Fact]
    public void Close_ChargeInErrorRefundedDouble_SixtyYuanDeductionLine()
    {
        var input = Month(Oct, 100_000, refunds: [new DeductedRefund(11, 6_000, null)]);

        var result = Close(input);

        Assert.Equal([(StatementLineKind.Gross, 100_000L), (StatementLineKind.RefundDeduction, -6_000L)], Lines(result));
        Assert.Equal((6_000L, 94_000L, 94_000L, StatementStatus.Payable), (result.Deductions, result.Net, result.Payable, result.Status));
        Assert.Equal(11L, result.Lines[1].RefundId);
        Assert.Null(result.Lines[1].RefundPaidMonth);
    }

    // RULEBOOK section 7 Decision: a negative net carries forward as the next month's opening balance.
    [Fact]
    public void Close_NegativeNet_CarriedForwardThenPaidOffNextMonth()
    {
        var october = Close(Month(Oct, 5_000, refunds: [new DeductedRefund(11, 6_000, null)]));
        var november = Close(Month(Nov, 10_000, openingBalance: october.CarriedForward));

        Assert.Equal(
            [(StatementLineKind.Gross, 5_000L), (StatementLineKind.RefundDeduction, -6_000L), (StatementLineKind.CarryForward, 1_000L)],
            Lines(october));
        Assert.Equal((-1_000L, -1_000L, 0L, 0L, StatementStatus.CarriedForward), (october.Net, october.CarriedForward, october.Withheld, october.Payable, october.Status));
        Assert.Equal([(StatementLineKind.Gross, 10_000L), (StatementLineKind.OpeningBalance, -1_000L)], Lines(november));
        Assert.Equal((-1_000L, 9_000L, 0L, 9_000L, StatementStatus.Payable), (november.OpeningBalance, november.Net, november.CarriedForward, november.Payable, november.Status));
    }

    [Fact]
    public void Close_OpeningBalanceLargerThanGross_CarriedForwardAgain()
    {
        var input = Month(Nov, 400, openingBalance: -1_000);

        var result = Close(input);

        Assert.Equal((-600L, -600L, 0L, StatementStatus.CarriedForward), (result.Net, result.CarriedForward, result.Payable, result.Status));
    }

    // RULEBOOK section 7 Decision: "A negative net is carried forward, never withheld."
    [Theory]
    [InlineData(SanctionOutcome.SuspendedOneMonth)]
    [InlineData(SanctionOutcome.SuspendedUntilCompliant)]
    public void Close_SuspendedMonthWithNegativeNet_CarriedForwardNotWithheld(SanctionOutcome outcome)
    {
        var input = Month(Oct, 5_000, outcome, refunds: [new DeductedRefund(11, 6_000, null)]);

        var result = Close(input);

        Assert.Equal((0L, (WithholdingRule?)null, -1_000L, StatementStatus.CarriedForward), (result.Withheld, result.WithheldRule, result.CarriedForward, result.Status));
        Assert.DoesNotContain(result.Lines, l => l.Kind == StatementLineKind.Withholding);
    }

    // RULEBOOK section 7 Decisions (withholding): each withheld amount carries the release rule of its month's outcome.
    [Theory]
    [InlineData(SanctionOutcome.Compliant, false, null, StatementStatus.Payable)]
    [InlineData(SanctionOutcome.Compliant, true, WithholdingRule.UntilReinstated, StatementStatus.Withheld)] // manually suspended at the month's end
    [InlineData(SanctionOutcome.SuspendedOneMonth, false, WithholdingRule.OneMonth, StatementStatus.Withheld)]
    [InlineData(SanctionOutcome.SuspendedUntilCompliant, false, WithholdingRule.UntilCompliant, StatementStatus.Withheld)]
    [InlineData(SanctionOutcome.CooperationCancelled, false, WithholdingRule.Frozen, StatementStatus.Frozen)]
    public void Close_Outcome_WithholdsTheNetWithItsRule(SanctionOutcome outcome, bool manual, WithholdingRule? rule, StatementStatus status)
    {
        var input = Month(Oct, 10_000, outcome, manual);

        var result = Close(input);

        var withheld = rule is null ? 0L : 10_000L;
        Assert.Equal((withheld, rule, 10_000L - withheld, status), (result.Withheld, result.WithheldRule, result.Payable, result.Status));
        Assert.Equal(rule, StatementRules.RuleOf(outcome, manual));
        if (rule is not null)
        {
            Assert.Equal([(StatementLineKind.Gross, 10_000L), (StatementLineKind.Withholding, -10_000L)], Lines(result));
        }
    }

    // RULEBOOK section 7 Decisions (withholding): what a close does to each pending withholding, by its rule and the outcome.
    [Theory]
    [InlineData(WithholdingRule.OneMonth, SanctionOutcome.Compliant, false, true, WithholdingRule.OneMonth)]
    [InlineData(WithholdingRule.OneMonth, SanctionOutcome.SuspendedOneMonth, false, true, WithholdingRule.OneMonth)] // released even so
    [InlineData(WithholdingRule.OneMonth, SanctionOutcome.SuspendedUntilCompliant, false, false, WithholdingRule.UntilCompliant)] // converted
    [InlineData(WithholdingRule.OneMonth, SanctionOutcome.CooperationCancelled, false, false, WithholdingRule.Frozen)]
    [InlineData(WithholdingRule.UntilCompliant, SanctionOutcome.Compliant, false, true, WithholdingRule.UntilCompliant)]
    [InlineData(WithholdingRule.UntilCompliant, SanctionOutcome.SuspendedOneMonth, false, false, WithholdingRule.UntilCompliant)]
    [InlineData(WithholdingRule.UntilCompliant, SanctionOutcome.SuspendedUntilCompliant, false, false, WithholdingRule.UntilCompliant)]
    [InlineData(WithholdingRule.UntilCompliant, SanctionOutcome.CooperationCancelled, false, false, WithholdingRule.Frozen)]
    [InlineData(WithholdingRule.UntilReinstated, SanctionOutcome.Compliant, true, false, WithholdingRule.UntilReinstated)] // still suspended
    [InlineData(WithholdingRule.UntilReinstated, SanctionOutcome.Compliant, false, true, WithholdingRule.UntilReinstated)] // first close after reinstatement
    [InlineData(WithholdingRule.UntilReinstated, SanctionOutcome.CooperationCancelled, false, false, WithholdingRule.Frozen)]
    [InlineData(WithholdingRule.Frozen, SanctionOutcome.Compliant, false, false, WithholdingRule.Frozen)] // only a partner manager releases it
    public void Close_PendingWithholding_ReleasedOrKeptByItsRule(
        WithholdingRule rule, SanctionOutcome outcome, bool manual, bool released, WithholdingRule newRule)
    {
        var input = Month(Oct, 0, outcome, manual, pending: [new PendingWithholding(Sep, 3_000, rule)]);

        var result = Close(input);

        Assert.Equal([(Sep, released, newRule)], Changes(result));
        Assert.Equal(released ? 3_000L : 0L, result.Released);
    }

    // RULEBOOK section 7: withheld amounts are released in the first later month that is compliant.
    [Fact]
    public void Close_CompliantMonth_ReleasesEveryUntilCompliantWithholding()
    {
        var input = Month(Oct, 10_000, pending: [new PendingWithholding(Aug, 3_000, WithholdingRule.UntilCompliant), new PendingWithholding(Sep, 4_000, WithholdingRule.UntilCompliant)]);

        var result = Close(input);

        Assert.Equal([(Aug, true, WithholdingRule.UntilCompliant), (Sep, true, WithholdingRule.UntilCompliant)], Changes(result));
        Assert.Equal(
            [(StatementLineKind.Gross, 10_000L), (StatementLineKind.Release, 3_000L), (StatementLineKind.Release, 4_000L)],
            Lines(result));
        Assert.Equal([Aug, Sep], result.Lines.Where(l => l.Kind == StatementLineKind.Release).Select(l => l.SourceMonth!.Value));
        Assert.Equal((7_000L, 17_000L, StatementStatus.Payable), (result.Released, result.Payable, result.Status));
    }

    // RULEBOOK section 7 Decision: one-month withholdings are released with the next month's close, whatever its outcome.
    [Fact]
    public void Close_OneMonthSuspendedAgain_ReleasesLastMonthAndWithholdsThisMonth()
    {
        var input = Month(Oct, 10_000, SanctionOutcome.SuspendedOneMonth, pending: [new PendingWithholding(Sep, 3_000, WithholdingRule.OneMonth)]);

        var result = Close(input);

        Assert.Equal(
            [(StatementLineKind.Gross, 10_000L), (StatementLineKind.Withholding, -10_000L), (StatementLineKind.Release, 3_000L)],
            Lines(result));
        Assert.Equal(
            (10_000L, (WithholdingRule?)WithholdingRule.OneMonth, 3_000L, 3_000L, StatementStatus.Withheld),
            (result.Withheld, result.WithheldRule, result.Released, result.Payable, result.Status));
    }

    // RULEBOOK section 7 Decision: at an "until compliant" close, pending one-month withholdings become until-compliant.
    [Fact]
    public void Close_UntilCompliantOutcome_ConvertsOneMonthThenACompliantMonthReleasesIt()
    {
        var october = Close(Month(Oct, 10_000, SanctionOutcome.SuspendedUntilCompliant, pending: [new PendingWithholding(Sep, 3_000, WithholdingRule.OneMonth)]));
        var november = Close(Month(
            Nov, 10_000,
            pending: [new PendingWithholding(Sep, 3_000, october.Changes[0].NewRule), new PendingWithholding(Oct, october.Withheld, october.WithheldRule!.Value)]));

        Assert.Equal([(Sep, false, WithholdingRule.UntilCompliant)], Changes(october));
        Assert.Equal((10_000L, 0L, 0L), (october.Withheld, october.Released, october.Payable));
        Assert.Equal([(Sep, true, WithholdingRule.UntilCompliant), (Oct, true, WithholdingRule.UntilCompliant)], Changes(november));
        Assert.Equal((13_000L, 23_000L), (november.Released, november.Payable));
    }

    // RULEBOOK section 7 Decision: at cancellation every pending withholding and the month's own net become frozen.
    [Fact]
    public void Close_CooperationCancelled_FreezesEveryPendingWithholdingAndThisMonth()
    {
        var input = Month(
            Oct, 10_000, SanctionOutcome.CooperationCancelled,
            pending:
            [
                new PendingWithholding(Aug, 1_000, WithholdingRule.UntilCompliant),
                new PendingWithholding(Aug, 2_000, WithholdingRule.UntilReinstated),
                new PendingWithholding(Sep, 3_000, WithholdingRule.OneMonth),
            ]);

        var result = Close(input);

        Assert.Equal([(Aug, false, WithholdingRule.Frozen), (Aug, false, WithholdingRule.Frozen), (Sep, false, WithholdingRule.Frozen)], Changes(result));
        Assert.Equal(
            (10_000L, (WithholdingRule?)WithholdingRule.Frozen, 0L, 0L, StatementStatus.Frozen),
            (result.Withheld, result.WithheldRule, result.Released, result.Payable, result.Status));
    }

    // RULEBOOK section 7 Decision: a month at whose end the service is manually suspended is withheld until the first close after reinstatement.
    [Fact]
    public void Close_ManualSuspension_WithheldUntilTheFirstCloseWithoutSuspension()
    {
        var september = Close(Month(Sep, 10_000, manuallySuspended: true));
        var october = Close(Month(Oct, 8_000, manuallySuspended: true, pending: [new PendingWithholding(Sep, september.Withheld, september.WithheldRule!.Value)]));
        var november = Close(Month(
            Nov, 5_000,
            pending: [new PendingWithholding(Sep, september.Withheld, october.Changes[0].NewRule), new PendingWithholding(Oct, october.Withheld, october.WithheldRule!.Value)]));

        Assert.Equal((10_000L, (WithholdingRule?)WithholdingRule.UntilReinstated, 0L, StatementStatus.Withheld), (september.Withheld, september.WithheldRule, september.Payable, september.Status));
        Assert.Equal([(Sep, false, WithholdingRule.UntilReinstated)], Changes(october));
        Assert.Equal((8_000L, 0L, 0L), (october.Withheld, october.Released, october.Payable));
        Assert.Equal([(Sep, true, WithholdingRule.UntilReinstated), (Oct, true, WithholdingRule.UntilReinstated)], Changes(november));
        Assert.Equal((0L, 18_000L, 23_000L, StatementStatus.Payable), (november.Withheld, november.Released, november.Payable, november.Status));
    }

    // RULEBOOK section 7 Decision: "A month at whose end the partner's service is manually suspended is withheld until the
    // first close after reinstatement" -- also when the month is suspended for its on-time rate.
    [Fact]
    public void Close_OneMonthSuspendedWhileManuallySuspended_NotReleasedBeforeReinstatement()
    {
        var september = Close(Month(Sep, 10_000, SanctionOutcome.SuspendedOneMonth, manuallySuspended: true));
        var october = Close(Month(Oct, 0, manuallySuspended: true, pending: [new PendingWithholding(Sep, september.Withheld, september.WithheldRule!.Value)]));

        Assert.Equal(10_000L, september.Withheld);
        Assert.Equal((0L, 0L), (october.Released, october.Payable)); // still manually suspended: nothing released
    }

    [Fact]
    public void Close_UntilCompliantWhileManuallySuspended_NotReleasedBeforeReinstatement()
    {
        var september = Close(Month(Sep, 10_000, SanctionOutcome.SuspendedUntilCompliant, manuallySuspended: true));
        var october = Close(Month(Oct, 0, manuallySuspended: true, pending: [new PendingWithholding(Sep, september.Withheld, september.WithheldRule!.Value)]));

        Assert.Equal(10_000L, september.Withheld);
        Assert.Equal((0L, 0L), (october.Released, october.Payable)); // compliant, but still manually suspended: nothing released
    }

    // RULEBOOK section 7 Decision: frozen amounts are released only by a partner manager, and then paid.
    [Theory]
    [InlineData(SanctionOutcome.Compliant)]
    [InlineData(SanctionOutcome.SuspendedUntilCompliant)]
    [InlineData(SanctionOutcome.CooperationCancelled)]
    public void Close_FrozenReleasedByManager_Paid(SanctionOutcome outcome)
    {
        var input = Month(
            Oct, 0, outcome,
            pending: [new PendingWithholding(Aug, 5_000, WithholdingRule.Frozen, ReleasedByManager: true), new PendingWithholding(Sep, 7_000, WithholdingRule.Frozen)]);

        var result = Close(input);

        Assert.Equal([(Aug, true, WithholdingRule.Frozen), (Sep, false, WithholdingRule.Frozen)], Changes(result));
        Assert.Equal([(StatementLineKind.Gross, 0L), (StatementLineKind.Release, 5_000L)], Lines(result));
        Assert.Equal((5_000L, 5_000L), (result.Released, result.Payable));
    }

    // RULEBOOK section 7 Decision (late refunds): deducted in the earliest open month; the line names the month it was paid in.
    [Fact]
    public void Close_LateRefund_LineNamesItsPaidMonth()
    {
        var input = Month(Oct, 10_000, refunds: [new DeductedRefund(21, 2_500, Sep), new DeductedRefund(22, 1_000, null)]);

        var result = Close(input);

        var late = result.Lines[1];
        Assert.Equal((StatementLineKind.RefundDeduction, -2_500L, 21L, (YearMonth?)Sep), (late.Kind, late.Amount, late.RefundId!.Value, late.RefundPaidMonth));
        Assert.Contains("2026-09", late.Description, StringComparison.Ordinal);
        Assert.Null(result.Lines[2].RefundPaidMonth);
        Assert.Equal((3_500L, 6_500L, 6_500L), (result.Deductions, result.Net, result.Payable));
    }

    [Fact]
    public void Close_GrossLine_NamesTheMonth()
    {
        var result = Close(Month(Oct, 10_000));

        Assert.Contains("2026-10", result.Lines[0].Description, StringComparison.Ordinal);
    }

    // RULEBOOK section 7 Decision: money is integer fen with checked arithmetic.
    [Fact]
    public void Close_DeductionsOverflow_Throws()
    {
        var input = Month(Oct, 0, refunds: [new DeductedRefund(1, long.MaxValue, null), new DeductedRefund(2, 1, null)]);

        Assert.Throws<OverflowException>(() => StatementRules.Close(input));
    }
}
