using Microsoft.EntityFrameworkCore;
using PartnerExchange.Domain;

namespace PartnerExchange.Data;

/// <summary>
/// The set-based queries of the reports (RULEBOOK section 8): one aggregate over a partner's work orders received in a
/// period, and the partner's orders unfinished at an instant. The Domain's <see cref="ServiceAnalysisRules"/> turns
/// the counts into figures. The SQL runs unchanged on SQLite and PostgreSQL: instants are UTC ticks in 64-bit integers
/// and enums are stored by name.
/// </summary>
public static class ReportQueries
{
    /// <summary>The aggregate SQL of <see cref="PeriodCountsAsync"/> with its parameters as <c>{0}</c> (partner), <c>{1}</c> (start ticks), <c>{2}</c> (end ticks).</summary>
    public const string PeriodCountsSql = """
        SELECT
          CAST(COUNT(*) AS BIGINT) AS "Orders",
          CAST(COALESCE(SUM(CASE WHEN w."DirectChannel" = 'Phone' THEN 1 ELSE 0 END), 0) AS BIGINT) AS "PhoneRequests",
          CAST(COALESCE(SUM(CASE WHEN w."DirectChannel" = 'Phone' AND w."SolvedOnFirstContact" THEN 1 ELSE 0 END), 0) AS BIGINT) AS "PhoneSolvedOnFirstContact",
          CAST(COALESCE(SUM(CASE WHEN w."DirectChannel" = 'Email' THEN 1 ELSE 0 END), 0) AS BIGINT) AS "EmailRequests",
          CAST(COALESCE(SUM(CASE WHEN w."Kind" = 'TechnicalSupport' AND w."SupportType" IN ('Installation', 'Training') THEN 1 ELSE 0 END), 0) AS BIGINT) AS "InstallationTraining",
          CAST(COALESCE(SUM(CASE WHEN w."Status" IN ('Resolved', 'Closed') AND w."ResolvedAt" IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS "Resolved",
          CAST(COALESCE(SUM(CASE WHEN w."Status" IN ('Resolved', 'Closed') AND w."ResolvedAt" IS NOT NULL AND w."ReturnCount" = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS "ResolvedFirstTime",
          CAST(COALESCE(SUM(CASE WHEN w."Status" IN ('Resolved', 'Closed') AND w."ResolvedAt" IS NOT NULL THEN (w."ResolvedAt" - w."ReceivedAt") / 10000000 ELSE 0 END), 0) AS BIGINT) AS "ResolutionSeconds",
          CAST(COALESCE(SUM(CASE WHEN w."ReplyDueAt" IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS "WithReplyClock",
          CAST(COALESCE(SUM(CASE WHEN w."ReplyDueAt" IS NOT NULL AND w."ReplyBreached" THEN 1 ELSE 0 END), 0) AS BIGINT) AS "ReplyOverdue",
          CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM "OutboxEvents" AS e WHERE e."WorkOrderId" = w."Id" AND e."Type" = 'NoticeNotClosedSameDay') THEN 1 ELSE 0 END), 0) AS BIGINT) AS "NotClosedSameDay",
          CAST(COALESCE(SUM(CASE WHEN w."Kind" = 'Complaint' THEN 1 ELSE 0 END), 0) AS BIGINT) AS "Complaints",
          CAST(COALESCE(SUM(CASE WHEN w."Kind" = 'Complaint' AND w."RepeatOfId" IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS "RepeatComplaints",
          CAST(COALESCE(SUM(CASE WHEN w."Satisfaction" IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS "Revisited",
          CAST(COALESCE(SUM(CASE WHEN w."Satisfaction" IN ('VerySatisfied', 'Satisfied') THEN 1 ELSE 0 END), 0) AS BIGINT) AS "Satisfied"
        FROM "WorkOrders" AS w
        WHERE w."PartnerId" = {0} AND w."ReceivedAt" >= {1} AND w."ReceivedAt" < {2} AND w."Status" NOT IN ('Voided', 'Recorded')
        """;

    /// <summary>
    /// What the partner's work orders received in [<paramref name="start"/>, <paramref name="end"/>) add up to, voided
    /// ones left out; one query.
    /// </summary>
    public static async Task<PeriodOrderCounts> PeriodCountsAsync(
        PartnerExchangeDbContext db, string partnerId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sql = System.Runtime.CompilerServices.FormattableStringFactory.Create(PeriodCountsSql, partnerId, start.UtcTicks, end.UtcTicks);
        var row = (await db.Database.SqlQuery<PeriodRow>(sql).ToListAsync(cancellationToken)).Single();
        return new PeriodOrderCounts(
            row.Orders, row.PhoneRequests, row.PhoneSolvedOnFirstContact, row.EmailRequests, row.InstallationTraining, row.Resolved, row.ResolvedFirstTime,
            row.ResolutionSeconds, row.WithReplyClock, row.ReplyOverdue, row.NotClosedSameDay, row.Complaints, row.RepeatComplaints, row.Revisited, row.Satisfied);
    }

    /// <summary>
    /// The ids of the partner's orders unfinished at <paramref name="at"/>: received before it, not voided, and not closed
    /// by then; oldest received first.
    /// </summary>
    public static Task<List<long>> UnfinishedAsync(PartnerExchangeDbContext db, string partnerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        DateTimeOffset? before = at;
        return db.WorkOrders.AsNoTracking()
            .Where(o => o.PartnerId == partnerId && o.ReceivedAt < before && o.Status != WorkOrderStatus.Voided && o.Status != WorkOrderStatus.Recorded
                && (o.ClosedAt == null || o.ClosedAt >= at))
            .OrderBy(o => o.ReceivedAt).ThenBy(o => o.Id)
            .Select(o => o.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The row of <see cref="PeriodCountsSql"/>.</summary>
    private sealed class PeriodRow
    {
        public long Orders { get; set; }

        public long PhoneRequests { get; set; }

        public long PhoneSolvedOnFirstContact { get; set; }

        public long EmailRequests { get; set; }

        public long InstallationTraining { get; set; }

        public long Resolved { get; set; }

        public long ResolvedFirstTime { get; set; }

        public long ResolutionSeconds { get; set; }

        public long WithReplyClock { get; set; }

        public long ReplyOverdue { get; set; }

        public long NotClosedSameDay { get; set; }

        public long Complaints { get; set; }

        public long RepeatComplaints { get; set; }

        public long Revisited { get; set; }

        public long Satisfied { get; set; }
    }
}
