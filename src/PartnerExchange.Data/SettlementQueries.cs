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
    /// <summary>The month key stored in the tables, <c>YYYY-MM</c>.</summary>
    public static string Key(NodaTime.YearMonth month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The UTC instants a month starts and ends at in the carrier's zone.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(NodaTime.YearMonth month) => (
        BusinessCalendar.StartOf(month.OnDayOfMonth(1)).ToDateTimeOffset(),
        BusinessCalendar.StartOf(month.PlusMonths(1).OnDayOfMonth(1)).ToDateTimeOffset());

    /// <summary>Every SI's complaint figures for the month, by partner id (SIs without complaints are absent).</summary>
    public static async Task<Dictionary<string, ComplaintFigures>> ComplaintFiguresAsync(
        PartnerExchangeDbContext db, NodaTime.YearMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (from, to) = Bounds(month);
        var rows = await db.WorkOrders
            .Where(o => o.Kind == WorkOrderKind.Complaint && o.ResponsibleKind == ResponsiblePartyKind.ServiceIntegrator
                && o.CreatedAt >= from && o.CreatedAt < to && o.PartnerId != null)
            .GroupBy(o => o.PartnerId!)
            .Select(g => new
            {
                PartnerId = g.Key,
                Counted = g.LongCount(o => o.CountsInAssessment),
                OnTime = g.LongCount(o => o.CountsInAssessment && o.CompletedOnTime),
                Excluded = g.LongCount(o => !o.CountsInAssessment),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PartnerId, r => new ComplaintFigures(r.Counted, r.OnTime, r.Excluded), StringComparer.Ordinal);
    }

    /// <summary>Every SI's group-customer revisits in the month, by partner id.</summary>
    public static async Task<Dictionary<string, GroupRevisitFigures>> GroupRevisitsAsync(
        PartnerExchangeDbContext db, NodaTime.YearMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (from, to) = Bounds(month);
        var rows = await db.WorkOrderRevisits
            .Where(r => r.GroupCustomer && r.RevisitedAt >= from && r.RevisitedAt < to && r.PartnerId != null)
            .GroupBy(r => r.PartnerId!)
            .Select(g => new
            {
                PartnerId = g.Key,
                Satisfied = g.LongCount(r => r.Satisfaction == Satisfaction.VerySatisfied || r.Satisfaction == Satisfaction.Satisfied),
                Total = g.LongCount(),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PartnerId, r => new GroupRevisitFigures(r.Satisfied, r.Total), StringComparer.Ordinal);
    }

    /// <summary>
    /// Replaces the complaints behind the month's assessments of <paramref name="partnerIds"/> with the complaints as
    /// they stand now: one delete and one INSERT ... SELECT per batch of partners.
    /// </summary>
    public static async Task ReplaceAssessedComplaintsAsync(
        PartnerExchangeDbContext db, NodaTime.YearMonth month, IReadOnlyList<string> partnerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(partnerIds);
        var key = Key(month);
        var (from, to) = Bounds(month);
        foreach (var batch in partnerIds.Chunk(500))
        {
            await db.AssessedComplaints.Where(c => c.Month == key && batch.Contains(c.PartnerId)).ExecuteDeleteAsync(cancellationToken);
            var parameters = new List<object> { key, from.UtcTicks, to.UtcTicks };
            var names = new List<string>();
            foreach (var partnerId in batch)
            {
                names.Add("{" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
                parameters.Add(partnerId);
            }

            var sql = $"""
                INSERT INTO "AssessedComplaints" ("PartnerId", "Month", "WorkOrderId", "Number", "CreatedAt", "Exclusion", "OnTime")
                SELECT w."PartnerId", {"{0}"}, w."Id", w."Number", w."CreatedAt",
                       CASE WHEN w."CountsInAssessment" THEN NULL WHEN w."Status" = 'Voided' THEN 'Voided' ELSE 'DirectToPartner' END,
                       w."CompletedOnTime"
                FROM "WorkOrders" w
                WHERE w."Kind" = 'Complaint' AND w."ResponsibleKind" = 'ServiceIntegrator'
                  AND w."CreatedAt" >= {"{1}"} AND w."CreatedAt" < {"{2}"} AND w."PartnerId" IN ({string.Join(", ", names)})
                """;
            await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
        }
    }
}
