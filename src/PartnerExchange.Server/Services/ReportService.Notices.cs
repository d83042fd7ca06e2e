using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Extensions;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>The daily open-orders notice and the weekly and monthly analysis per partner.</summary>
internal sealed partial class ReportService
{
    /// <summary>How many candidate orders the notice reads at a time while it fills a page.</summary>
    private const int NoticeBatch = 200;

    /// <summary>
    /// ReportService.GetDailyOpenOrdersNotice: the orders open at the end of the day (or now, for today), oldest received
    /// first, each as it stood then (its document if it has not changed since, else the snapshot of its last event before
    /// then), with the reasons of <see cref="D.OpenOrderNotices.At"/>; orders without a reason are left off. Orders are
    /// selected by their current responsible partner; an SI sees an entry only when its partner was responsible then too.
    /// Pages are keyed on (receipt, id), so a page never repeats or skips an order.
    /// </summary>
    public override async Task<DailyOpenOrdersNotice> GetDailyOpenOrdersNotice(GetDailyOpenOrdersNoticeRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var now = clock.Now;
        var violations = new List<D.FieldViolation>();
        var date = D.ReportNames.DailyOpenOrdersNotice(request.Name, "name", violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var partnerId = caller.Role == D.ClientRoles.Partner ? caller.PartnerId
            : request.Partner.Length > 0 ? D.Requests.PartnerName(request.Partner, "partner", violations) : null;
        var at = date is { } day ? D.OpenOrderNotices.JudgedAt(day, now) : null;
        if (date is not null && at is null)
        {
            violations.Add(new D.FieldViolation("name", "must not be a date in the future (Asia/Shanghai)."));
        }

        var query = string.Join("\n", "dailyOpenOrdersNotices", date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), partnerId);
        var after = ReadPosition(D.Requests.ReadPageToken(request.PageToken, query, violations), violations);
        D.Requests.ThrowIfAny(violations);
        var cancellationToken = context.CancellationToken;
        if (caller.Role != D.ClientRoles.Partner && partnerId is not null && !await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw new D.ResourceNotFoundException(request.Partner);
        }

        var judged = at!.Value;
        var entries = await NoticeEntriesAsync(judged, judged == now, partnerId, caller.Role == D.ClientRoles.Partner ? "partners/" + caller.PartnerId : null, after, pageSize + 1, cancellationToken);
        var notice = new DailyOpenOrdersNotice
        {
            Name = request.Name,
            Date = ProtoDates.Write(date!.Value),
            GenerateTime = Timestamp.FromDateTimeOffset(now.ToDateTimeOffset()),
        };
        notice.Entries.AddRange(entries.Take(pageSize).Select(e => e.Entry));
        if (entries.Count > pageSize)
        {
            var last = entries[pageSize - 1];
            notice.NextPageToken = D.Requests.PageToken(query, string.Create(CultureInfo.InvariantCulture, $"{last.Ticks}:{last.Id}"));
        }

        return notice;
    }

    /// <summary>
    /// ReportService.GetServiceAnalysis: a partner's week or month from one aggregate query, with mean time to resolve and
    /// the four rates against the report targets.
    /// </summary>
    public override async Task<ServiceAnalysis> GetServiceAnalysis(GetServiceAnalysisRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var now = clock.Now;
        var violations = new List<D.FieldViolation>();
        var parsed = D.ReportNames.ServiceAnalysis(request.Name, "name", violations);
        if (parsed is { Period: var started } && started.Start > now)
        {
            violations.Add(new D.FieldViolation("name", $"names the period {started.Key}, which has not started yet."));
        }

        D.Requests.ThrowIfAny(violations);
        var (partnerId, period) = parsed!.Value;
        if (caller.Role == D.ClientRoles.Partner && partnerId != caller.PartnerId)
        {
            throw new D.ResourceNotFoundException(request.Name);
        }

        var cancellationToken = context.CancellationToken;
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId).Select(p => new { p.DisplayName }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new D.ResourceNotFoundException("partners/" + partnerId);
        var counts = await ReportQueries.PeriodCountsAsync(db, partnerId, period.Start.ToDateTimeOffset(), period.End.ToDateTimeOffset(), cancellationToken);
        var analysis = new ServiceAnalysis
        {
            Name = request.Name,
            PartnerDisplayName = partner.DisplayName,
            StartTime = Timestamp.FromDateTimeOffset(period.Start.ToDateTimeOffset()),
            EndTime = Timestamp.FromDateTimeOffset(period.End.ToDateTimeOffset()),
            GenerateTime = Timestamp.FromDateTimeOffset(now.ToDateTimeOffset()),
            OrderCount = counts.Orders,
            ResolvedOrderCount = counts.Resolved,
            MeanResolutionDuration = D.ServiceAnalysisRules.MeanResolutionSeconds(counts) is { } seconds ? new Google.Protobuf.WellKnownTypes.Duration { Seconds = seconds } : null,
            OverdueReplyCount = counts.ReplyOverdue,
            NotClosedSameDayCount = counts.NotClosedSameDay,
            ComplaintCount = counts.Complaints,
            RepeatComplaintCount = counts.RepeatComplaints,
        };
        analysis.Targets.AddRange(D.ServiceAnalysisRules.Targets(counts, settings.Targets).Select(t => new TargetCheck
        {
            Target = (ReportTarget)(int)t.Target,
            Ratio = new Ratio { Numerator = t.Numerator, Denominator = t.Denominator },
            RateBasisPoints = t.RateBasisPoints ?? 0,
            ThresholdBasisPoints = t.ThresholdBasisPoints,
            AtMost = t.AtMost,
            Outcome = (TargetOutcome)(int)t.Outcome,
        }));
        return analysis;
    }

    /// <summary>Up to <paramref name="wanted"/> entries after <paramref name="after"/>, reading candidates in batches.</summary>
    private async Task<List<(OpenOrderEntry Entry, long Ticks, long Id)>> NoticeEntriesAsync(
        Instant at, bool current, string? partnerId, string? siPartner, (long Ticks, long Id)? after, int wanted, CancellationToken cancellationToken)
    {
        var atTime = at.ToDateTimeOffset();
        var entries = new List<(OpenOrderEntry, long, long)>();
        var position = after;
        while (entries.Count < wanted)
        {
            // Today counts what exists now (created up to this instant); a past day what existed before its midnight.
            var candidates = db.WorkOrders.AsNoTracking()
                .Where(o => (current ? o.CreatedAt <= atTime : o.CreatedAt < atTime) && (o.ClosedAt == null || o.ClosedAt > atTime || (!current && o.ClosedAt == atTime))
                    && o.Status != D.WorkOrderStatus.Recorded && o.ReceivedAt != null);
            if (partnerId is not null)
            {
                candidates = candidates.Where(o => o.PartnerId == partnerId);
            }

            if (position is { } p)
            {
                DateTimeOffset? from = new DateTimeOffset(p.Ticks, TimeSpan.Zero);
                candidates = candidates.Where(o => o.ReceivedAt > from || (o.ReceivedAt == from && o.Id > p.Id));
            }

            var batch = await candidates.OrderBy(o => o.ReceivedAt).ThenBy(o => o.Id).Take(NoticeBatch).ToListAsync(cancellationToken);
            var documents = await DocumentsAtAsync(batch, at, current, cancellationToken);
            foreach (var row in batch)
            {
                var ticks = row.ReceivedAt!.Value.UtcTicks;
                position = (ticks, row.Id);
                var document = documents[row.Id];
                if (siPartner is not null && document.ResponsibleParty?.Partner != siPartner)
                {
                    continue;
                }

                var types = D.OpenOrderNotices.At(Facts(row, document), at);
                if (types.Count == 0)
                {
                    continue;
                }

                var entry = new OpenOrderEntry
                {
                    WorkOrder = WorkOrderStore.NameOf(row.Id),
                    OrderNumber = row.Number,
                    CustomerDisplayName = document.Customer?.DisplayName ?? string.Empty,
                    ReceiveTime = Timestamp.FromDateTimeOffset(row.ReceivedAt.Value),
                    Summary = document.Summary,
                    Partner = document.ResponsibleParty?.Partner ?? string.Empty,
                    PartnerDisplayName = document.ResponsibleParty?.DisplayName ?? string.Empty,
                    Status = document.Status,
                };
                entry.NoticeTypes.AddRange(types.Select(t => (NoticeType)(int)t));
                entries.Add((entry, ticks, row.Id));
                if (entries.Count == wanted)
                {
                    break;
                }
            }

            if (batch.Count < NoticeBatch)
            {
                break;
            }
        }

        return entries;
    }

    /// <summary>
    /// Each order as it stood at <paramref name="at"/>: its stored document when <paramref name="current"/> or unchanged
    /// since, else the snapshot of its last event before <paramref name="at"/> (one query for the batch).
    /// </summary>
    private async Task<Dictionary<long, WorkOrder>> DocumentsAtAsync(List<Data.Entities.WorkOrder> rows, Instant at, bool current, CancellationToken cancellationToken)
    {
        var atTime = at.ToDateTimeOffset();
        var documents = rows.Where(r => current || r.UpdatedAt < atTime).ToDictionary(r => r.Id, r => WorkOrder.Parser.ParseFrom(r.Document));
        var changed = rows.Where(r => !documents.ContainsKey(r.Id)).Select(r => r.Id).ToList();
        if (changed.Count > 0)
        {
            var lastEvents = db.OutboxEvents.Where(e => changed.Contains(e.WorkOrderId) && e.OccurredAt < atTime).GroupBy(e => e.WorkOrderId).Select(g => g.Max(e => e.Id));
            var events = await db.OutboxEvents.AsNoTracking().Where(e => lastEvents.Contains(e.Id)).ToListAsync(cancellationToken);
            foreach (var stored in events)
            {
                documents[stored.WorkOrderId] = WorkOrderEvent.Parser.ParseFrom(stored.Payload).Snapshot;
            }
        }

        foreach (var row in rows.Where(r => !documents.ContainsKey(r.Id)))
        {
            documents[row.Id] = WorkOrder.Parser.ParseFrom(row.Document);
        }

        return documents;
    }

    private static D.OpenOrderFacts Facts(Data.Entities.WorkOrder row, WorkOrder document)
    {
        var status = (D.WorkOrderStatus)(int)document.Status;
        return new D.OpenOrderFacts(
            row.CreatedAt.ToInstant(),
            row.RepeatOfId is not null,
            status,
            document.ReplyDeadline?.DueTime?.ToDateTimeOffset().ToInstant(),
            document.ReplyDeadline?.MetTime is not null,
            document.ReplyDeadline?.Breached ?? false,
            document.Satisfaction == Satisfaction.Unspecified ? null : (D.Satisfaction)(int)document.Satisfaction,
            document.PendingReroute is not null,
            document.SecondVisitDeadline is { MetTime: null }
                && status is D.WorkOrderStatus.Acknowledged or D.WorkOrderStatus.Replied or D.WorkOrderStatus.OnHold);
    }

    private static (long Ticks, long Id)? ReadPosition(string? after, List<D.FieldViolation> violations)
    {
        if (after is null)
        {
            return null;
        }

        var parts = after.Split(':');
        if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var id))
        {
            return (ticks, id);
        }

        violations.Add(new D.FieldViolation("page_token", "is not a page token of this query; start again with an empty page_token."));
        return null;
    }
}
