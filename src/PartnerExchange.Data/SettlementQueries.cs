using Microsoft.EntityFrameworkCore;
using PartnerExchange.Domain;

namespace PartnerExchange.Data;

/// <summary>A month's complaint figures of one SI: counted, counted and on time, and not counted.</summary>
/// <param name="Counted">Complaints that count (carrier-accepted, not voided, the SI responsible).</param>
/// <param name="OnTime">Counted complaints completed on time.</param>
/// <param name="Excluded">Complaints naming the SI that do not count (voided, reported directly to the SI).</param>
public sealed record ComplaintFigures(long Counted, long OnTime, long Excluded);

/// <summary>A month's group-customer revisits of one SI.</summary>
/// <param name="Satisfied">Answered satisfied or very satisfied.</param>
/// <param name="Total">All.</param>
public sealed record GroupRevisitFigures(long Satisfied, long Total);

/// <summary>
/// The set-based queries of the monthly settlement (rulebook sections 5 and 7): each is one SQL statement over the
/// month's rows, grouped by SI, never a loop over loaded orders. A month runs from 00:00 Asia/Shanghai of its first day
/// to 00:00 of the next month's.
/// </summary>
public static class SettlementQueries
{
    /// <summary>The UTC instants a month starts and ends at in the carrier's zone.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(NodaTime.YearMonth month) => (
        BusinessCalendar.StartOf(month.OnDayOfMonth(1)).ToDateTimeOffset(),
        BusinessCalendar.StartOf(month.PlusMonths(1).OnDayOfMonth(1)).ToDateTimeOffset());

    /// <summary>Every SI's group-customer revisits in the month, by partner id.</summary>
    public static async Task<Dictionary<string, GroupRevisitFigures>> GroupRevisitsAsync(
        PartnerExchangeDbContext db, NodaTime.YearMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await GroupRevisitsQuery(db, month).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PartnerId, r => new GroupRevisitFigures(r.Satisfied, r.Total), StringComparer.Ordinal);
    }

    /// <summary>
    /// Replaces the complaints behind the month's assessments of <paramref name="partnerIds"/> with the complaints as
    /// they stand now, and returns their figures by partner id (partners without complaints are absent): per batch of
    /// partners one delete, one INSERT ... SELECT over the month's orders, and one aggregate over the rows just written,
    /// so the month's orders are read once.
    /// </summary>
    public static async Task<Dictionary<string, ComplaintFigures>> ReplaceAssessedComplaintsAsync(
        PartnerExchangeDbContext db, NodaTime.YearMonth month, IReadOnlyList<string> partnerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(partnerIds);
        var key = PartnerNames.MonthText(month);
        var (from, to) = Bounds(month);
        var figures = new Dictionary<string, ComplaintFigures>(StringComparer.Ordinal);
        foreach (var batch in partnerIds.Chunk(500))
        {
            await db.AssessedComplaints.Where(c => c.Month == key && batch.Contains(c.PartnerId)).ExecuteDeleteAsync(cancellationToken);
            List<object> parameters = [key, from.UtcTicks, to.UtcTicks, .. batch];
            await db.Database.ExecuteSqlRawAsync(InsertAssessedComplaintsSql(batch.Length), parameters, cancellationToken);
            foreach (var row in await AssessedComplaintFiguresQuery(db, key, batch).ToListAsync(cancellationToken))
            {
                figures.Add(row.PartnerId, new ComplaintFigures(row.Counted, row.OnTime, row.Excluded));
            }
        }

        return figures;
    }

    /// <summary>The month's group-customer revisits counted per SI (see <see cref="GroupRevisitsAsync"/>).</summary>
    internal static IQueryable<PartnerRevisitFigures> GroupRevisitsQuery(PartnerExchangeDbContext db, NodaTime.YearMonth month)
    {
        var (from, to) = Bounds(month);
        return db.WorkOrderRevisits
            .Where(r => r.GroupCustomer && r.RevisitedAt >= from && r.RevisitedAt < to && r.PartnerId != null)
            .GroupBy(r => r.PartnerId!)
            .Select(g => new PartnerRevisitFigures(
                g.Key,
                g.LongCount(r => r.Satisfaction == Satisfaction.VerySatisfied || r.Satisfaction == Satisfaction.Satisfied),
                g.LongCount()));
    }

    /// <summary>
    /// Copies the month's complaints naming one of <paramref name="partnerCount"/> SIs into AssessedComplaints; the
    /// parameters are <c>{0}</c> the month key, <c>{1}</c> and <c>{2}</c> its bounds in UTC ticks, then the partner ids.
    /// </summary>
    internal static string InsertAssessedComplaintsSql(int partnerCount)
    {
        var names = string.Join(", ", Enumerable.Range(3, partnerCount).Select(i => "{" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}"));
        return $"""
            INSERT INTO "AssessedComplaints" ("PartnerId", "Month", "WorkOrderId", "Number", "CreatedAt", "Exclusion", "OnTime")
            SELECT w."PartnerId", {"{0}"}, w."Id", w."Number", w."CreatedAt",
                   CASE WHEN w."CountsInAssessment" THEN NULL WHEN w."Status" = 'Voided' THEN 'Voided' ELSE 'DirectToPartner' END,
                   w."CompletedOnTime"
            FROM "WorkOrders" w
            WHERE w."Kind" = 'Complaint' AND w."ResponsibleKind" = 'ServiceIntegrator'
              AND w."CreatedAt" >= {"{1}"} AND w."CreatedAt" < {"{2}"} AND w."PartnerId" IN ({names})
            """;
    }

    /// <summary>The complaint figures of the listed SIs counted from the complaints stored behind their month's assessments.</summary>
    internal static IQueryable<PartnerComplaintFigures> AssessedComplaintFiguresQuery(PartnerExchangeDbContext db, string key, IReadOnlyCollection<string> partnerIds) =>
        db.AssessedComplaints.Where(c => c.Month == key && partnerIds.Contains(c.PartnerId))
            .GroupBy(c => c.PartnerId)
            .Select(g => new PartnerComplaintFigures(
                g.Key,
                g.LongCount(c => c.Exclusion == null),
                g.LongCount(c => c.Exclusion == null && c.OnTime),
                g.LongCount(c => c.Exclusion != null)));
}

/// <summary>One SI's row of <see cref="SettlementQueries.AssessedComplaintFiguresQuery"/>.</summary>
internal sealed record PartnerComplaintFigures(string PartnerId, long Counted, long OnTime, long Excluded);

/// <summary>One SI's row of <see cref="SettlementQueries.GroupRevisitsQuery"/>.</summary>
internal sealed record PartnerRevisitFigures(string PartnerId, long Satisfied, long Total);
