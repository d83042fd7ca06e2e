using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>Reading assessments and statements, and a partner manager's decisions on withheld amounts.</summary>
internal sealed partial class SettlementService
{
    /// <summary>SettlementService.GetAssessment: the month with the 11 assessed months before it as its trend.</summary>
    public override async Task<Assessment> GetAssessment(GetAssessmentRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var name = D.Requests.PartnerMonthName(request.Name, "assessments", "name", violations);
        D.Requests.ThrowIfAny(violations);
        var (partnerId, month) = name!.Value;
        var key = D.PartnerNames.MonthText(month);
        var first = D.PartnerNames.MonthText(month.PlusMonths(-11));
        var rows = Visible(caller, partnerId)
            ? await db.Assessments.AsNoTracking()
                .Where(a => a.PartnerId == partnerId && string.Compare(a.Month, first) >= 0 && string.Compare(a.Month, key) <= 0)
                .OrderBy(a => a.Month).ToListAsync(context.CancellationToken)
            : [];
        var assessment = rows.LastOrDefault(a => a.Month == key) ?? throw new D.ResourceNotFoundException(request.Name);
        var message = ToMessage(assessment);
        message.Trend.AddRange(rows.Where(a => a.Month != key).Select(a => new AssessmentTrendPoint
        {
            Period = ProtoDates.WriteMonth(MonthOf(a.Month)),
            Outcome = (SanctionOutcome)(int)a.Outcome,
            ComplaintCount = a.ComplaintCount,
            ComplaintsPerTenThousandUsersHundredths = a.Mode == D.AssessmentMode.C ? a.PerTenThousandHundredths : 0,
            OnTimeRateBasisPoints = a.Mode == D.AssessmentMode.C ? a.OnTimeBasisPoints : 0,
            ComplaintThresholdReached = a.ThresholdReached,
        }));
        return message;
    }

    /// <summary>SettlementService.ListAssessments: newest month first, then by partner.</summary>
    public override async Task<ListAssessmentsResponse> ListAssessments(ListAssessmentsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var (partnerId, all) = Parent(request.Parent, caller, violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var month = request.Period is null ? null : ProtoDates.ReadMonth(request.Period, "period", violations);
        var query = string.Join("\n", "assessments", partnerId, month is { } m ? D.PartnerNames.MonthText(m) : null);
        var after = MonthPosition(D.Requests.ReadPageToken(request.PageToken, query, violations), violations);
        D.Requests.ThrowIfAny(violations);
        await CheckPartnerExistsAsync(partnerId, all, request.Parent, context.CancellationToken);

        var rows = db.Assessments.AsNoTracking();
        if (!all)
        {
            rows = rows.Where(a => a.PartnerId == partnerId);
        }

        if (month is { } only)
        {
            var key = D.PartnerNames.MonthText(only);
            rows = rows.Where(a => a.Month == key);
        }

        if (after is { } position)
        {
            rows = rows.Where(a => string.Compare(a.Month, position.Month) < 0 || (a.Month == position.Month && string.Compare(a.PartnerId, position.PartnerId) > 0));
        }

        var page = await rows.OrderByDescending(a => a.Month).ThenBy(a => a.PartnerId).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListAssessmentsResponse();
        response.Assessments.AddRange(page.Take(pageSize).Select(a => ToMessage(a)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(query, page[pageSize - 1].Month + "|" + page[pageSize - 1].PartnerId);
        }

        return response;
    }

    /// <summary>SettlementService.ListAssessedComplaints: the complaints behind an assessment, oldest created first.</summary>
    public override async Task<ListAssessedComplaintsResponse> ListAssessedComplaints(ListAssessedComplaintsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var name = D.Requests.PartnerMonthName(request.Parent, "assessments", "parent", violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var after = D.Requests.ReadPageToken(request.PageToken, request.Parent, violations);
        var position = ReadPosition(after, violations);
        D.Requests.ThrowIfAny(violations);
        var (partnerId, month) = name!.Value;
        var key = D.PartnerNames.MonthText(month);
        if (!Visible(caller, partnerId) || !await db.Assessments.AnyAsync(a => a.PartnerId == partnerId && a.Month == key, context.CancellationToken))
        {
            throw new D.ResourceNotFoundException(request.Parent);
        }

        var rows = db.AssessedComplaints.AsNoTracking().Where(c => c.PartnerId == partnerId && c.Month == key);
        if (position is { } p)
        {
            var at = new DateTimeOffset(p.Ticks, TimeSpan.Zero);
            rows = rows.Where(c => c.CreatedAt > at || (c.CreatedAt == at && c.WorkOrderId > p.Id));
        }

        var page = await rows.OrderBy(c => c.CreatedAt).ThenBy(c => c.WorkOrderId).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListAssessedComplaintsResponse();
        response.AssessedComplaints.AddRange(page.Take(pageSize).Select(c => new AssessedComplaint
        {
            WorkOrder = WorkOrderStore.NameOf(c.WorkOrderId),
            OrderNumber = c.Number,
            CreateTime = Timestamp.FromDateTimeOffset(c.CreatedAt),
            Counted = c.Exclusion is null,
            Exclusion = c.Exclusion is { } why ? (ComplaintExclusion)(int)why : ComplaintExclusion.Unspecified,
            OnTimeCompletion = c.OnTime,
        }));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(request.Parent, Position(page[pageSize - 1].CreatedAt.UtcTicks, page[pageSize - 1].WorkOrderId));
        }

        return response;
    }

    /// <summary>SettlementService.GetStatement.</summary>
    public override async Task<Statement> GetStatement(GetStatementRequest request, ServerCallContext context) =>
        ToMessage(await FindStatementAsync(request.Name, "name", context.GetCaller(), tracked: false, context.CancellationToken));

    /// <summary>SettlementService.ListStatements: newest month first, then by partner.</summary>
    public override async Task<ListStatementsResponse> ListStatements(ListStatementsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var (partnerId, all) = Parent(request.Parent, caller, violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var month = request.Period is null ? null : ProtoDates.ReadMonth(request.Period, "period", violations);
        if (request.Status != StatementStatus.Unspecified && !System.Enum.IsDefined(request.Status))
        {
            violations.Add(new D.FieldViolation("status", "must be a defined status."));
        }

        var query = string.Join("\n", "statements", partnerId, month is { } m ? D.PartnerNames.MonthText(m) : null, request.Status);
        var after = MonthPosition(D.Requests.ReadPageToken(request.PageToken, query, violations), violations);
        D.Requests.ThrowIfAny(violations);
        await CheckPartnerExistsAsync(partnerId, all, request.Parent, context.CancellationToken);

        var rows = db.Statements.AsNoTracking();
        if (!all)
        {
            rows = rows.Where(s => s.PartnerId == partnerId);
        }

        if (month is { } only)
        {
            var key = D.PartnerNames.MonthText(only);
            rows = rows.Where(s => s.Month == key);
        }

        if (request.Status != StatementStatus.Unspecified)
        {
            var status = (D.StatementStatus)(int)request.Status;
            rows = rows.Where(s => s.Status == status);
        }

        if (after is { } position)
        {
            rows = rows.Where(s => string.Compare(s.Month, position.Month) < 0 || (s.Month == position.Month && string.Compare(s.PartnerId, position.PartnerId) > 0));
        }

        var page = await rows.OrderByDescending(s => s.Month).ThenBy(s => s.PartnerId).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListStatementsResponse();
        response.Statements.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(query, page[pageSize - 1].Month + "|" + page[pageSize - 1].PartnerId);
        }

        return response;
    }

    /// <summary>SettlementService.StreamStatementLines: every line in order, then the stream ends.</summary>
    public override async Task StreamStatementLines(StreamStatementLinesRequest request, IServerStreamWriter<StatementLine> responseStream, ServerCallContext context)
    {
        var statement = await FindStatementAsync(request.Parent, "parent", context.GetCaller(), tracked: false, context.CancellationToken);
        var name = StatementName(statement);
        await foreach (var line in db.StatementLines.AsNoTracking()
            .Where(l => l.PartnerId == statement.PartnerId && l.Month == statement.Month)
            .OrderBy(l => l.LineNumber).AsAsyncEnumerable().WithCancellation(context.CancellationToken))
        {
            await responseStream.WriteAsync(new StatementLine
            {
                Name = $"{name}/lines/{line.LineNumber.ToString(CultureInfo.InvariantCulture)}",
                LineNumber = line.LineNumber,
                Kind = (StatementLineKind)(int)line.Kind,
                Amount = new Money { CurrencyCode = statement.Currency, MinorUnits = line.Amount },
                Description = line.Description,
                Refund = line.RefundId is { } refund ? $"partners/{line.PartnerId}/refunds/{refund.ToString(CultureInfo.InvariantCulture)}" : string.Empty,
                SourceStatement = line.SourceMonth is { } source ? $"partners/{line.PartnerId}/statements/{source}" : string.Empty,
                RefundPaidPeriod = line.RefundPaidMonth is { } paid ? ProtoDates.WriteMonth(MonthOf(paid)) : null,
            }, context.CancellationToken);
        }
    }

    /// <summary>SettlementService.ReleaseWithheld: a cancelled or manually suspended partner's withheld amount, paid with the next close.</summary>
    public override Task<Statement> ReleaseWithheld(ReleaseWithheldRequest request, ServerCallContext context) =>
        DecideWithheldAsync(context, "ReleaseWithheld", request.Name, request.Reason, request.Etag, request.RequestId, request, release: true);

    /// <summary>SettlementService.ForfeitWithheld: a cancelled partner's withheld amount, never paid.</summary>
    public override Task<Statement> ForfeitWithheld(ForfeitWithheldRequest request, ServerCallContext context) =>
        DecideWithheldAsync(context, "ForfeitWithheld", request.Name, request.Reason, request.Etag, request.RequestId, request, release: false);

    private async Task<Statement> DecideWithheldAsync(
        ServerCallContext context, string method, string name, string reason, string etag, string requestId, Google.Protobuf.IMessage request, bool release)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        D.Requests.PartnerMonthName(name, "statements", "name", violations);
        D.Requests.CheckText(reason, "reason", 2000, required: true, violations);
        D.Requests.CheckRequestId(requestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, method, requestId, request, Statement.Parser, async () =>
        {
            var statement = await FindStatementAsync(name, "name", caller, tracked: true, cancellationToken);
            if (etag.Length > 0 && etag != Etag(statement.Version))
            {
                throw new D.EtagMismatchException(name);
            }

            var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == statement.PartnerId, cancellationToken);
            var allowed = statement.Disposition == D.WithheldDisposition.Pending && statement.Withheld > 0
                && (release
                    ? partner.Status != D.PartnerStatus.Active || statement.WithheldRule is D.WithholdingRule.Frozen or D.WithholdingRule.UntilReinstated
                    : partner.Status == D.PartnerStatus.Cancelled);
            if (!allowed)
            {
                var why = statement.Disposition != D.WithheldDisposition.Pending || statement.Withheld == 0
                    ? "nothing is withheld on it, or it was already released or forfeited"
                    : release ? "its partner is neither cancelled nor suspended; the sanction's own rule releases it" : "its partner is not cancelled";
                throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{name}: {why}.",
                    new D.PreconditionViolation("WITHHELD", name, $"The statement cannot be {(release ? "released" : "forfeited")}: {why}."));
            }

            statement.Disposition = release ? D.WithheldDisposition.Released : D.WithheldDisposition.Forfeited;
            statement.ReleaseAwaitingPayment = release;
            statement.DispositionReason = reason;
            statement.UpdatedAt = clock.UtcNow;
            var answer = ToMessage(statement);
            answer.Etag = Etag(statement.Version + 1);
            AuditTrail.Record(db, caller, Prefix + method, name, statement.PartnerId, requestId,
                $"withheld {Format(statement.Withheld)} {statement.Currency}: PENDING -> {statement.Disposition}", clock.UtcNow, reason);
            return (answer, answer);
        }, cancellationToken);
    }

    private async Task<Data.Entities.Statement> FindStatementAsync(string name, string field, D.Caller caller, bool tracked, CancellationToken cancellationToken)
    {
        var violations = new List<D.FieldViolation>();
        var parsed = D.Requests.PartnerMonthName(name, "statements", field, violations);
        D.Requests.ThrowIfAny(violations);
        var (partnerId, month) = parsed!.Value;
        var key = D.PartnerNames.MonthText(month);
        var statements = tracked ? db.Statements : db.Statements.AsNoTracking();
        var statement = Visible(caller, partnerId)
            ? await statements.SingleOrDefaultAsync(s => s.PartnerId == partnerId && s.Month == key, cancellationToken)
            : null;
        return statement ?? throw new D.ResourceNotFoundException(name);
    }

    private static string StatementName(Data.Entities.Statement statement) => $"partners/{statement.PartnerId}/statements/{statement.Month}";

    private static Statement ToMessage(Data.Entities.Statement statement)
    {
        Money Amount(long minor) => new() { CurrencyCode = statement.Currency, MinorUnits = minor };
        return new Statement
        {
            Name = StatementName(statement),
            Period = ProtoDates.WriteMonth(MonthOf(statement.Month)),
            GrossAmount = Amount(statement.Gross),
            Deductions = Amount(statement.Deductions),
            OpeningBalance = Amount(statement.OpeningBalance),
            NetAmount = Amount(statement.Net),
            WithheldAmount = Amount(statement.Withheld),
            ReleasedAmount = Amount(statement.Released),
            NetPayable = Amount(statement.Payable),
            CarriedForward = Amount(statement.CarriedForward),
            Status = (StatementStatus)(int)statement.Status,
            WithheldDisposition = statement.Disposition is { } disposition ? (WithheldDisposition)(int)disposition : WithheldDisposition.Unspecified,
            DispositionReason = statement.DispositionReason ?? string.Empty,
            SanctionOutcome = (SanctionOutcome)(int)statement.Outcome,
            LineCount = statement.LineCount,
            CreateTime = Timestamp.FromDateTimeOffset(statement.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(statement.UpdatedAt),
            Etag = Etag(statement.Version),
        };
    }

    private static Assessment ToMessage(Data.Entities.Assessment assessment)
    {
        var message = new Assessment
        {
            Name = $"partners/{assessment.PartnerId}/assessments/{assessment.Month}",
            Period = ProtoDates.WriteMonth(MonthOf(assessment.Month)),
            Mode = assessment.Mode == D.AssessmentMode.C ? AssessmentMode.C : AssessmentMode.Emp,
            ResponseScore = assessment.ResponseScore,
            ResponseDeductionCount = assessment.ResponseDeductions,
            ConsecutiveNonCompliantMonths = assessment.Consecutive,
            Outcome = (SanctionOutcome)(int)assessment.Outcome,
            ComplaintThresholdReached = assessment.ThresholdReached,
            OnTimeRateBelowThreshold = assessment.OnTimeBelow,
            AssessTime = Timestamp.FromDateTimeOffset(assessment.AssessedAt),
            Final = assessment.Final,
            ExcludedComplaintCount = assessment.ExcludedCount,
        };
        if (assessment.Mode == D.AssessmentMode.C)
        {
            message.CIndicators = new CIndicators
            {
                ComplaintCount = assessment.ComplaintCount,
                BilledUsers = assessment.BilledUsers ?? 0,
                ComplaintsPerTenThousandUsers = new Ratio { Numerator = checked(assessment.ComplaintCount * 10_000), Denominator = assessment.BilledUsers ?? 0 },
                ComplaintsPerTenThousandUsersHundredths = assessment.PerTenThousandHundredths,
                OnTimeCount = assessment.OnTimeCount,
                OnTimeRate = new Ratio { Numerator = assessment.OnTimeCount, Denominator = assessment.ComplaintCount },
                OnTimeRateBasisPoints = assessment.OnTimeBasisPoints,
            };
        }
        else
        {
            message.EmpIndicators = new EmpIndicators
            {
                ComplaintCount = assessment.ComplaintCount,
                ComplaintThreshold = assessment.EmpThreshold,
                GroupCustomers = assessment.GroupCustomers ?? 0,
                GroupSatisfaction = new Ratio { Numerator = assessment.SatisfiedGroupRevisits, Denominator = assessment.GroupRevisits },
                GroupSatisfactionBasisPoints = assessment.GroupSatisfactionBasisPoints,
            };
        }

        return message;
    }
}
