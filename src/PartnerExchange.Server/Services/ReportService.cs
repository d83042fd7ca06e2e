using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Server.Identity;
using PartnerExchange.Server.Time;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>
/// Reports of rulebook section 8: the SIs' monthly service analysis reports ("annex 19") checked against the carrier's
/// figures, the daily open-orders notice, and the weekly and monthly analysis per partner. The figures come from one
/// aggregate query (<see cref="ReportQueries"/>) that <see cref="D.ServiceAnalysisRules"/> turns into figures,
/// discrepancies and target checks. An SI only ever sees its own partner's reports; another partner's answer NOT_FOUND.
/// </summary>
internal sealed partial class ReportService(
    PartnerExchangeDbContext db, BusinessClock clock, TimeProvider time, ReportSettings settings, D.ResponseDeductionPoints points)
    : Contracts.V1.ReportService.ReportServiceBase
{
    private const string Prefix = "/partnerexchange.v1.ReportService/";

    /// <summary>
    /// ReportService.SubmitServiceAnalysisReport: one report per partner and month, replaced by a resubmission with the
    /// current etag while the report window is open; idempotent by request id; audited.
    /// </summary>
    public override async Task<ServiceAnalysisReport> SubmitServiceAnalysisReport(SubmitServiceAnalysisReportRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var now = clock.Now;
        var violations = new List<D.FieldViolation>();
        var partnerId = D.Requests.PartnerName(request.Parent, "parent", violations);
        var month = ReportRequests.EndedMonth(request.Period, "period", now, violations);
        var listed = ReportRequests.CheckReport(request.Report, violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);
        if (caller.Role == D.ClientRoles.Partner && partnerId != caller.PartnerId)
        {
            throw new D.ResourceNotFoundException(request.Parent);
        }

        var cancellationToken = context.CancellationToken;
        var name = D.ReportNames.ServiceAnalysisReportName(partnerId!, month!);
        return await Idempotency.WriteOnceAsync(db, caller, Prefix + "SubmitServiceAnalysisReport", request.RequestId, request, ServiceAnalysisReport.Parser, time, async () =>
        {
            var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == partnerId, cancellationToken)
                ?? throw new D.ResourceNotFoundException(request.Parent);
            ReportRequests.CheckMayReport(partner, request.Parent, month!, now, settings.SubmissionWindowMonths);
            await CheckListedAsync(partnerId!, listed, cancellationToken);

            var row = await db.ServiceAnalysisReports.SingleOrDefaultAsync(r => r.PartnerId == partnerId && r.Month == month!.Key, cancellationToken);
            if (row is not null && request.Etag.Length == 0)
            {
                throw new D.ResourceExistsException(name);
            }

            if ((row is null && request.Etag.Length > 0) || (row is not null && request.Etag != WorkOrderStore.EtagOf(row.Version)))
            {
                throw new D.EtagMismatchException(name);
            }

            var document = new ServiceAnalysisReport
            {
                Period = request.Period,
                SiFigures = request.Report.SiFigures,
                UserProblemAnalysis = request.Report.UserProblemAnalysis,
                SubmittedBy = Actors.Of(caller),
                SubmitTime = Timestamp.FromDateTimeOffset(now.ToDateTimeOffset()),
            };
            document.UnfinishedWorkOrders.AddRange(request.Report.UnfinishedWorkOrders);
            document.ComplaintWorkOrders.AddRange(request.Report.ComplaintWorkOrders);
            var version = row is null ? 0 : row.Version + 1;
            row ??= db.ServiceAnalysisReports.Add(new Data.Entities.ServiceAnalysisReport { PartnerId = partnerId!, Month = month!.Key, SubmittedBy = caller.Subject }).Entity;
            row.SubmittedBy = caller.Subject;
            row.SubmittedAt = now.ToDateTimeOffset();
            row.Document = document.ToByteArray();
            AuditTrail.Record(
                db, caller, Prefix + "SubmitServiceAnalysisReport", name, partnerId, request.RequestId,
                version == 0 ? "submitted the service analysis report" : "resubmitted the service analysis report, replacing the earlier one", now.ToDateTimeOffset());
            var shown = await ShowAsync(partnerId!, month!, document, WorkOrderStore.EtagOf(version), cancellationToken);
            return (shown, shown);
        }, cancellationToken);
    }

    /// <summary>ReportService.GetServiceAnalysisReport: the SI's report with the carrier's figures as the work orders stand now.</summary>
    public override async Task<ServiceAnalysisReport> GetServiceAnalysisReport(GetServiceAnalysisReportRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var parsed = D.ReportNames.ServiceAnalysisReport(request.Name, "name", violations);
        D.Requests.ThrowIfAny(violations);
        var (partnerId, month) = parsed!.Value;
        if (caller.Role == D.ClientRoles.Partner && partnerId != caller.PartnerId)
        {
            throw new D.ResourceNotFoundException(request.Name);
        }

        var cancellationToken = context.CancellationToken;
        var row = await db.ServiceAnalysisReports.AsNoTracking().SingleOrDefaultAsync(r => r.PartnerId == partnerId && r.Month == month.Key, cancellationToken)
            ?? throw new D.ResourceNotFoundException(request.Name);
        return await ShowAsync(partnerId, month, ServiceAnalysisReport.Parser.ParseFrom(row.Document), WorkOrderStore.EtagOf(row.Version), cancellationToken);
    }

    /// <summary>
    /// ReportService.RecordFalseFeedback: a partner manager confirms a figure that shows a discrepancy now as false
    /// feedback; a FALSE_FEEDBACK deduction (configured default points) goes to the SI's current month, once per report
    /// and figure while not withdrawn.
    /// </summary>
    public override async Task<Contracts.V1.ResponseDeduction> RecordFalseFeedback(RecordFalseFeedbackRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var parsed = D.ReportNames.ServiceAnalysisReport(request.Name, "name", violations);
        if (request.Figure == ServiceFigure.Unspecified || !System.Enum.IsDefined(request.Figure))
        {
            violations.Add(new D.FieldViolation("figure", "is required."));
        }

        D.Requests.CheckText(request.Reason, "reason", 2000, required: true, violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var (partnerId, month) = parsed!.Value;
        var cancellationToken = context.CancellationToken;
        return await Idempotency.WriteOnceAsync(db, caller, Prefix + "RecordFalseFeedback", request.RequestId, request, Contracts.V1.ResponseDeduction.Parser, time, async () =>
        {
            var row = await db.ServiceAnalysisReports.AsNoTracking().SingleOrDefaultAsync(r => r.PartnerId == partnerId && r.Month == month.Key, cancellationToken)
                ?? throw new D.ResourceNotFoundException(request.Name);
            var shown = await ShowAsync(partnerId, month, ServiceAnalysisReport.Parser.ParseFrom(row.Document), WorkOrderStore.EtagOf(row.Version), cancellationToken);
            var discrepancy = shown.Discrepancies.FirstOrDefault(d => d.Figure == request.Figure)
                ?? throw new D.ResourceNotFoundException($"{request.Name}/discrepancies/{request.Figure}");
            var description = $"False feedback in {request.Name}: {request.Figure} reported {discrepancy.SiValue}, carrier {discrepancy.CarrierValue}. {request.Reason.Trim()}";
            var marker = $"False feedback in {request.Name}: {request.Figure} ";
            if (await db.ResponseDeductions.AnyAsync(
                d => d.PartnerId == partnerId && d.Reason == D.ResponseDeductionReason.FalseFeedback && d.WithdrawnAt == null && d.Description.StartsWith(marker),
                cancellationToken))
            {
                throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{request.Figure} of {request.Name} is already confirmed as false feedback.",
                    new D.PreconditionViolation("CONFIRMED", request.Name, "A FALSE_FEEDBACK deduction for this figure exists and is not withdrawn."));
            }

            var now = clock.UtcNow;
            var today = D.BusinessCalendar.DateAt(clock.Now);
            var current = D.PartnerNames.MonthText(new NodaTime.YearMonth(today.Year, today.Month));
            await ClosedMonths.ThrowIfClosedAsync(db, current, cancellationToken);
            var deduction = new Data.Entities.ResponseDeduction
            {
                PartnerId = partnerId,
                Month = current,
                Reason = D.ResponseDeductionReason.FalseFeedback,
                Points = points.For(D.ResponseDeductionReason.FalseFeedback),
                Description = description.Length > 2000 ? description[..2000] : description,
                RecordedBy = caller.Subject,
                RecordedByRole = caller.Role,
                RecordedByPartnerId = caller.PartnerId,
                CreatedAt = now,
            };
            db.ResponseDeductions.Add(deduction);
            await db.SaveChangesAsync(cancellationToken);
            var answer = PartnerMessages.Show(deduction);
            AuditTrail.Record(db, caller, Prefix + "RecordFalseFeedback", answer.Name, partnerId, request.RequestId,
                $"{request.Figure} of {month.Key} confirmed false: {deduction.Points} points deducted from {current}", now, request.Reason.Trim());
            return (answer, answer);
        }, cancellationToken);
    }

    /// <summary>The report as the API shows it: the SI's part as submitted, the carrier's figures and the discrepancies computed now.</summary>
    private async Task<ServiceAnalysisReport> ShowAsync(string partnerId, D.ReportPeriod month, ServiceAnalysisReport submitted, string etag, CancellationToken cancellationToken)
    {
        var counts = await ReportQueries.PeriodCountsAsync(db, partnerId, month.Start.ToDateTimeOffset(), month.End.ToDateTimeOffset(), cancellationToken);
        var unfinished = await ReportQueries.UnfinishedAsync(db, partnerId, month.End.ToDateTimeOffset(), cancellationToken);
        var (carrier, notComputed) = D.ServiceAnalysisRules.Carrier(counts, unfinished.Count);
        var si = ReportRequests.ToDomain(submitted.SiFigures, submitted.UnfinishedWorkOrders.Count);
        var shown = submitted.Clone();
        shown.Name = D.ReportNames.ServiceAnalysisReportName(partnerId, month);
        shown.Etag = etag;
        shown.CarrierFigures = ReportRequests.ToProto(carrier);
        shown.CarrierFiguresNotComputed.AddRange(notComputed.Select(n => new FigureNotComputed { Figure = (ServiceFigure)(int)n.Figure, Reason = n.Reason }));
        shown.CarrierUnfinishedWorkOrders.AddRange(unfinished.Select(WorkOrderStore.NameOf));
        shown.Discrepancies.AddRange(D.ServiceAnalysisRules.Discrepancies(si, carrier, settings.Tolerance).Select(d => new FigureDiscrepancy
        {
            Figure = (ServiceFigure)(int)d.Figure, SiValue = d.SiValue, CarrierValue = d.CarrierValue, Tolerance = d.Tolerance,
        }));
        return shown;
    }

    /// <summary>Every listed work order exists and is the partner's (NOT_FOUND otherwise); the complaints listed are complaints.</summary>
    private async Task CheckListedAsync(string partnerId, ReportRequests.ListedOrders listed, CancellationToken cancellationToken)
    {
        var ids = listed.Unfinished.Concat(listed.Complaints.Select(c => c.Id)).Distinct().ToList();
        var found = new Dictionary<long, (string? PartnerId, D.WorkOrderKind Kind)>();
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.WorkOrders.AsNoTracking().Where(o => chunk.Contains(o.Id)).Select(o => new { o.Id, o.PartnerId, o.Kind }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[row.Id] = (row.PartnerId, row.Kind);
            }
        }

        if (ids.FirstOrDefault(id => !found.TryGetValue(id, out var order) || order.PartnerId != partnerId) is var missing and > 0)
        {
            throw new D.ResourceNotFoundException(WorkOrderStore.NameOf(missing));
        }

        var notComplaints = listed.Complaints.Where(c => found[c.Id].Kind != D.WorkOrderKind.Complaint)
            .Select(c => new D.FieldViolation($"report.complaint_work_orders[{c.Index}]", $"{WorkOrderStore.NameOf(c.Id)} is not a complaint.")).ToList();
        D.Requests.ThrowIfAny(notComplaints);
    }
}
