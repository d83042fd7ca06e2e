using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using YearMonth = NodaTime.YearMonth;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>Assessing and closing a month.</summary>
internal sealed partial class SettlementService
{
    /// <summary>
    /// SettlementService.AssessPeriod: for an ended month, every SI not cancelled (or the listed ones) is assessed from
    /// one aggregate query per input (complaints, counted from the complaints stored behind the verdicts; revisits,
    /// subscriber bases, the previous month's run); the verdicts and the complaints behind them are stored, no partner changes. SIs with complaints but no (or a zero) user
    /// count fail the whole call, each named, and nothing is stored.
    /// </summary>
    public override async Task<AssessPeriodResponse> AssessPeriod(AssessPeriodRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var month = ProtoDates.ReadMonth(request.Period, "period", violations);
        var listed = new List<string>();
        for (var i = 0; i < request.Partners.Count; i++)
        {
            if (D.Requests.PartnerName(request.Partners[i], $"partners[{i}]", violations) is { } id)
            {
                listed.Add(id);
            }
        }

        if (month is { } m && SettlementQueries.Bounds(m).To > clock.UtcNow)
        {
            violations.Add(new D.FieldViolation("period", $"{D.PartnerNames.MonthText(m)} has not ended yet (Asia/Shanghai)."));
        }

        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "AssessPeriod", request.RequestId, request, AssessPeriodResponse.Parser, async () =>
        {
            var period = month!.Value;
            var key = D.PartnerNames.MonthText(period);
            await CheckOpenAsync(period, cancellationToken);
            var partners = await SisToAssessAsync(listed, request.Partners, cancellationToken);
            var ids = partners.Select(p => p.Id).ToList();
            // The complaints behind the verdicts are written first and counted from there: one read of the month's
            // orders. A failure below rolls them back with the rest of the call.
            var complaints = await SettlementQueries.ReplaceAssessedComplaintsAsync(db, period, ids, cancellationToken);
            var revisits = await SettlementQueries.GroupRevisitsAsync(db, period, cancellationToken);
            var bases = await db.SubscriberBases.AsNoTracking().Where(b => b.Month == key).ToDictionaryAsync(b => b.PartnerId, StringComparer.Ordinal, cancellationToken);
            var previousKey = D.PartnerNames.MonthText(period.PlusMonths(-1));
            var previous = await db.Assessments.AsNoTracking().Where(a => a.Month == previousKey)
                .ToDictionaryAsync(a => a.PartnerId, a => a.Consecutive, StringComparer.Ordinal, cancellationToken);
            var deductions = await ResponseDeductionsAsync(period, cancellationToken);

            var missing = new List<D.PreconditionViolation>();
            var assessments = new List<Data.Entities.Assessment>();
            var now = clock.UtcNow;
            foreach (var partner in partners)
            {
                var figures = complaints.GetValueOrDefault(partner.Id) ?? new ComplaintFigures(0, 0, 0);
                var mode = partner.Mode ?? D.AssessmentMode.C;
                bases.TryGetValue(partner.Id, out var subscribers);
                var billed = subscribers?.BilledUsers;
                if (!D.AssessmentRules.CanAssess(mode, figures.Counted, billed))
                {
                    missing.Add(new D.PreconditionViolation(
                        "SUBSCRIBER_BASE_MISSING", $"partners/{partner.Id}/subscriberBases/{key}",
                        $"partners/{partner.Id} has {figures.Counted} complaint(s) in {key} but {(billed is null ? "no recorded" : "a zero")} billed-user count."));
                    continue;
                }

                var groupRevisits = revisits.GetValueOrDefault(partner.Id) ?? new GroupRevisitFigures(0, 0);
                var (points, count) = deductions.GetValueOrDefault(partner.Id);
                var input = new D.AssessmentInput(
                    mode, figures.Counted, figures.OnTime, billed, subscribers?.GroupCustomers, groupRevisits.Satisfied, groupRevisits.Total,
                    previous.GetValueOrDefault(partner.Id), points, count, settings.EmpComplaintThreshold);
                var verdict = D.AssessmentRules.Assess(input);
                assessments.Add(new Data.Entities.Assessment
                {
                    PartnerId = partner.Id,
                    Month = key,
                    Mode = mode,
                    ComplaintCount = figures.Counted,
                    OnTimeCount = figures.OnTime,
                    ExcludedCount = figures.Excluded,
                    BilledUsers = billed,
                    GroupCustomers = subscribers?.GroupCustomers,
                    SatisfiedGroupRevisits = groupRevisits.Satisfied,
                    GroupRevisits = groupRevisits.Total,
                    EmpThreshold = settings.EmpComplaintThreshold,
                    PerTenThousandHundredths = verdict.PerTenThousandHundredths,
                    OnTimeBasisPoints = verdict.OnTimeBasisPoints,
                    GroupSatisfactionBasisPoints = verdict.GroupSatisfactionBasisPoints,
                    ResponseScore = verdict.ResponseScore,
                    ResponseDeductions = count,
                    Consecutive = verdict.Consecutive,
                    ThresholdReached = verdict.ComplaintThresholdReached,
                    OnTimeBelow = verdict.OnTimeBelowThreshold,
                    Outcome = verdict.Outcome,
                    AssessedAt = now,
                });
            }

            if (missing.Count > 0)
            {
                throw new D.PreconditionFailedException(D.ErrorReason.SubscriberBaseMissing,
                    $"{missing.Count} SI(s) have complaints in {key} but no billed-user count; record their subscriber bases and assess again. Nothing was stored.",
                    [.. missing]);
            }

            await db.Assessments.Where(a => a.Month == key && ids.Contains(a.PartnerId)).ExecuteDeleteAsync(cancellationToken);
            db.Assessments.AddRange(assessments);
            var row = await db.SettlementPeriods.SingleOrDefaultAsync(p => p.Month == key, cancellationToken);
            if (row is null)
            {
                db.SettlementPeriods.Add(new Data.Entities.SettlementPeriod { Month = key, AssessedAt = now, Version = 1 });
            }
            else
            {
                row.AssessedAt = now;
            }

            var response = new AssessPeriodResponse
            {
                Period = ProtoDates.WriteMonth(period),
                AssessedCount = assessments.Count,
                CompliantCount = assessments.Count(a => a.Outcome == D.SanctionOutcome.Compliant),
                SuspendedCount = assessments.Count(a => a.Outcome is D.SanctionOutcome.SuspendedOneMonth or D.SanctionOutcome.SuspendedUntilCompliant),
                CancelledCount = assessments.Count(a => a.Outcome == D.SanctionOutcome.CooperationCancelled),
            };
            response.Sanctioned.AddRange(assessments.Where(a => a.Outcome != D.SanctionOutcome.Compliant).Select(a => ToMessage(a)));
            AuditTrail.Record(db, caller, Prefix + "AssessPeriod", $"settlementPeriods/{key}", null, request.RequestId,
                $"{response.AssessedCount} SI(s) assessed: {response.CompliantCount} compliant, {response.SuspendedCount} suspended, {response.CancelledCount} cancelled", now);
            return (response, response);
        }, cancellationToken);
    }

    /// <summary>
    /// SettlementService.ClosePeriod: once, and in month order. A conditional update of the month's row decides which
    /// of two racing closes (on one or several instances) does the work; the other answers the first close's result.
    /// The verdicts are applied to the partners and every statement is written in the same transaction.
    /// </summary>
    public override async Task<ClosePeriodResponse> ClosePeriod(ClosePeriodRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var month = ProtoDates.ReadMonth(request.Period, "period", violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "ClosePeriod", request.RequestId, request, ClosePeriodResponse.Parser, async () =>
        {
            var period = month!.Value;
            var key = D.PartnerNames.MonthText(period);
            var row = await db.SettlementPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.Month == key, cancellationToken);
            if (row?.AssessedAt is null)
            {
                throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{key} is not assessed; assess it first (AssessPeriod).",
                    new D.PreconditionViolation("NOT_ASSESSED", $"settlementPeriods/{key}", "The month has no assessment."));
            }

            if (row.ClosedAt is null)
            {
                var earlier = await db.SettlementPeriods.Where(p => p.ClosedAt == null && string.Compare(p.Month, key) < 0)
                    .OrderBy(p => p.Month).Select(p => p.Month).FirstOrDefaultAsync(cancellationToken);
                if (earlier is not null)
                {
                    throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{earlier} is still open; months close in order.",
                        new D.PreconditionViolation("EARLIER_MONTH_OPEN", $"settlementPeriods/{earlier}", "An earlier assessed month is still open."));
                }

                var now = clock.UtcNow;
                var won = await db.SettlementPeriods.Where(p => p.Month == key && p.ClosedAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(p => p.ClosedAt, now).SetProperty(p => p.Version, p => p.Version + 1), cancellationToken);
                if (won == 1)
                {
                    var count = await CloseStatementsAsync(period, caller, request.RequestId, now, cancellationToken);
                    var closed = new ClosePeriodResponse { Period = ProtoDates.WriteMonth(period), StatementCount = count, CloseTime = Timestamp.FromDateTimeOffset(now) };
                    return (closed, closed);
                }
            }

            var done = await db.SettlementPeriods.AsNoTracking().SingleAsync(p => p.Month == key, cancellationToken);
            var statements = await db.Statements.CountAsync(s => s.Month == key, cancellationToken);
            var again = new ClosePeriodResponse
            {
                Period = ProtoDates.WriteMonth(period),
                StatementCount = statements,
                AlreadyClosed = true,
                CloseTime = Timestamp.FromDateTimeOffset(done.ClosedAt!.Value),
            };
            return (again, again);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes the month's statements: every assessed SI, and every other SI with a refund to deduct or a manager's
    /// release to pay (a cancelled partner's frozen money), each from one batch of set-based reads.
    /// </summary>
    private async Task<int> CloseStatementsAsync(YearMonth period, D.Caller caller, string requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = D.PartnerNames.MonthText(period);
        var assessments = await db.Assessments.Where(a => a.Month == key).ToDictionaryAsync(a => a.PartnerId, StringComparer.Ordinal, cancellationToken);
        var refunds = (await db.Refunds.AsNoTracking().Where(r => r.DeductionMonth == key && r.State == D.RefundState.Paid).ToListAsync(cancellationToken))
            .ToLookup(r => r.PartnerId, StringComparer.Ordinal);
        var pending = (await db.Statements
                .Where(s => string.Compare(s.Month, key) < 0 && (s.Disposition == D.WithheldDisposition.Pending || s.ReleaseAwaitingPayment))
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.PartnerId, StringComparer.Ordinal);
        var partnerIds = assessments.Keys.Union(refunds.Select(g => g.Key)).Union(pending.Where(g => g.Any(s => s.ReleaseAwaitingPayment)).Select(g => g.Key))
            .Order(StringComparer.Ordinal).ToList();
        var partners = await db.Partners.Where(p => partnerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, cancellationToken);
        var gross = await db.SettlementBases.AsNoTracking().Where(b => b.Month == key).ToDictionaryAsync(b => b.PartnerId, StringComparer.Ordinal, cancellationToken);
        var opening = await OpeningBalancesAsync(key, cancellationToken);

        foreach (var partnerId in partnerIds)
        {
            var partner = partners[partnerId];
            var outcome = assessments.TryGetValue(partnerId, out var assessment) ? assessment.Outcome
                : partner.Status == D.PartnerStatus.Cancelled ? D.SanctionOutcome.CooperationCancelled : D.SanctionOutcome.Compliant;
            var earlier = pending[partnerId].OrderBy(s => s.Month, StringComparer.Ordinal).ToList();
            var input = new D.StatementInput(
                period,
                gross.TryGetValue(partnerId, out var basis) ? basis.GrossAmountMinor : 0,
                [.. refunds[partnerId].OrderBy(r => r.Id).Select(r => new D.DeductedRefund(r.Id, r.RefundMinor, r.PaidMonth == key ? null : MonthOf(r.PaidMonth!)))],
                opening.GetValueOrDefault(partnerId),
                outcome,
                partner.Status == D.PartnerStatus.Suspended,
                [.. earlier.Select(s => new D.PendingWithholding(MonthOf(s.Month), s.Withheld, s.WithheldRule!.Value, s.ReleaseAwaitingPayment))]);
            var result = D.StatementRules.Close(input);
            AddStatement(partnerId, key, outcome, result, now);
            ApplyChanges(earlier, result.Changes, now);
            if (assessment is not null)
            {
                assessment.Final = true;
                ApplyVerdict(partner, assessment, caller, requestId, now);
            }
        }

        AuditTrail.Record(db, caller, Prefix + "ClosePeriod", $"settlementPeriods/{key}", null, requestId, $"{key} closed: {partnerIds.Count} statement(s)", now);
        return partnerIds.Count;
    }

    private void AddStatement(string partnerId, string key, D.SanctionOutcome outcome, D.StatementResult result, DateTimeOffset now)
    {
        db.Statements.Add(new Data.Entities.Statement
        {
            PartnerId = partnerId,
            Month = key,
            Currency = settings.Currency,
            Gross = result.Gross,
            Deductions = result.Deductions,
            OpeningBalance = result.OpeningBalance,
            Net = result.Net,
            Withheld = result.Withheld,
            WithheldRule = result.WithheldRule,
            Disposition = result.Withheld > 0 ? D.WithheldDisposition.Pending : null,
            Released = result.Released,
            Payable = result.Payable,
            CarriedForward = result.CarriedForward,
            Status = result.Status,
            Outcome = outcome,
            LineCount = result.Lines.Count,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        });
        var number = 0;
        foreach (var line in result.Lines)
        {
            db.StatementLines.Add(new Data.Entities.StatementLine
            {
                PartnerId = partnerId,
                Month = key,
                LineNumber = ++number,
                Kind = line.Kind,
                Amount = line.Amount,
                Description = line.Description,
                RefundId = line.RefundId,
                SourceMonth = line.SourceMonth is { } source ? D.PartnerNames.MonthText(source) : null,
                RefundPaidMonth = line.RefundPaidMonth is { } paid ? D.PartnerNames.MonthText(paid) : null,
            });
        }
    }

    /// <summary>Earlier withholdings released now, or carried on under a new rule (converted or frozen).</summary>
    private static void ApplyChanges(List<Data.Entities.Statement> earlier, IReadOnlyList<D.WithholdingChange> changes, DateTimeOffset now)
    {
        foreach (var change in changes)
        {
            var statement = earlier.Single(s => s.Month == D.PartnerNames.MonthText(change.Month));
            if (change.Released)
            {
                statement.Disposition = D.WithheldDisposition.Released;
                statement.ReleaseAwaitingPayment = false;
            }
            else
            {
                statement.WithheldRule = change.NewRule;
                if (change.NewRule == D.WithholdingRule.Frozen)
                {
                    statement.Status = D.StatementStatus.Frozen;
                }
            }

            statement.UpdatedAt = now;
        }
    }

    /// <summary>Applies a month's verdict to the partner (rulebook section 5 Decision): settlement standing, and cancellation at the third month.</summary>
    private void ApplyVerdict(Data.Entities.Partner partner, Data.Entities.Assessment assessment, D.Caller caller, string requestId, DateTimeOffset now)
    {
        var (status, standing) = (partner.Status, partner.SettlementState);
        partner.SettlementState = assessment.Outcome switch
        {
            D.SanctionOutcome.CooperationCancelled => D.SettlementState.Frozen,
            D.SanctionOutcome.SuspendedUntilCompliant => D.SettlementState.SuspendedUntilCompliant,
            D.SanctionOutcome.SuspendedOneMonth => D.SettlementState.SuspendedOneMonth,
            _ => D.SettlementState.Normal,
        };
        if (assessment.Outcome == D.SanctionOutcome.CooperationCancelled)
        {
            partner.Status = D.PartnerStatus.Cancelled;
            partner.StatusReason = $"Cooperation cancelled at the close of {assessment.Month}: the third consecutive month at or above the complaint threshold.";
        }

        if (status != partner.Status || standing != partner.SettlementState)
        {
            partner.UpdatedAt = now;
            AuditTrail.Record(db, caller, Prefix + "ClosePeriod", $"partners/{partner.Id}", partner.Id, requestId,
                $"{assessment.Month} verdict {assessment.Outcome}: status {status} -> {partner.Status}, settlement {standing} -> {partner.SettlementState}", now);
        }
    }

    /// <summary>
    /// Each SI's opening balance for the month: the negative net its latest earlier statement carried forward (a month
    /// without a statement in between carries it on).
    /// </summary>
    private async Task<Dictionary<string, long>> OpeningBalancesAsync(string key, CancellationToken cancellationToken)
    {
        var latest = db.Statements.Where(s => string.Compare(s.Month, key) < 0)
            .GroupBy(s => s.PartnerId)
            .Select(g => new { PartnerId = g.Key, Month = g.Max(s => s.Month) });
        return await db.Statements.AsNoTracking()
            .Where(s => s.CarriedForward != 0 && latest.Any(l => l.PartnerId == s.PartnerId && l.Month == s.Month))
            .ToDictionaryAsync(s => s.PartnerId, s => s.CarriedForward, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>The SIs a month assesses: the listed ones (NOT_FOUND when unknown), or every SI not cancelled.</summary>
    private async Task<List<Data.Entities.Partner>> SisToAssessAsync(List<string> listed, IList<string> names, CancellationToken cancellationToken)
    {
        if (listed.Count == 0)
        {
            return await db.Partners.AsNoTracking()
                .Where(p => p.Kind == D.PartnerKind.ServiceIntegrator && p.Status != D.PartnerStatus.Cancelled)
                .OrderBy(p => p.Id).ToListAsync(cancellationToken);
        }

        var found = await db.Partners.AsNoTracking().Where(p => listed.Contains(p.Id)).ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, cancellationToken);
        for (var i = 0; i < listed.Count; i++)
        {
            if (!found.TryGetValue(listed[i], out var partner))
            {
                throw new D.ResourceNotFoundException(names[i]);
            }

            if (partner.Kind != D.PartnerKind.ServiceIntegrator)
            {
                throw new D.InvalidRequestException([new D.FieldViolation($"partners[{i}]", "is the platform operator, which is not assessed.")]);
            }
        }

        return [.. found.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>The month's response-rate deductions per SI: points and count (rulebook section 6).</summary>
    private async Task<Dictionary<string, (int Points, int Count)>> ResponseDeductionsAsync(YearMonth period, CancellationToken cancellationToken) =>
        (await ResponseScores.Query(db, D.PartnerNames.MonthText(period)).ToListAsync(cancellationToken))
            .ToDictionary(r => r.PartnerId, r => ((int)Math.Min(int.MaxValue, r.PointsDeducted), (int)r.Deductions), StringComparer.Ordinal);
}
