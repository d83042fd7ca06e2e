using Microsoft.EntityFrameworkCore;
using PartnerExchange.Domain;

namespace PartnerExchange.Data;

/// <summary>
/// The monthly response-rate score's input per SI (rulebook section 6), as one set-based query: the points of the month's
/// deductions that were not withdrawn, summed per partner. <see cref="ResponseScore.FromPointsDeducted"/> turns them
/// into the score (100 minus the points).
/// </summary>
public static class ResponseScores
{
    /// <summary>
    /// The points deducted per partner in <paramref name="month"/> (<c>YYYY-MM</c>), for the partners in
    /// <paramref name="partnerIds"/> or, when <c>null</c>, every partner. A partner without a deduction that counts is
    /// absent (0 points deducted, score 100).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> ForMonthAsync(
        PartnerExchangeDbContext db, string month, IReadOnlyCollection<string>? partnerIds = null, CancellationToken cancellationToken = default)
    {
        var rows = await Query(db, month, partnerIds).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PartnerId, r => r.PointsDeducted, StringComparer.Ordinal);
    }

    /// <summary>The query behind <see cref="ForMonthAsync"/>: one <c>GROUP BY</c> over the month's index, no rows loaded.</summary>
    public static IQueryable<ResponsePointsRow> Query(PartnerExchangeDbContext db, string month, IReadOnlyCollection<string>? partnerIds = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(month);
        var deductions = db.ResponseDeductions.AsNoTracking().Where(d => d.Month == month && d.WithdrawnAt == null);
        if (partnerIds is not null)
        {
            deductions = deductions.Where(d => partnerIds.Contains(d.PartnerId));
        }

        return deductions
            .GroupBy(d => d.PartnerId)
            .Select(g => new ResponsePointsRow(g.Key, g.Sum(d => (long)d.Points), g.LongCount()));
    }
}

/// <summary>One SI's points deducted from its response-rate score in a month.</summary>
/// <param name="PartnerId">The partner.</param>
/// <param name="PointsDeducted">The points of its deductions that count (not withdrawn).</param>
/// <param name="Deductions">How many deductions count (not withdrawn).</param>
public sealed record ResponsePointsRow(string PartnerId, long PointsDeducted, long Deductions);
