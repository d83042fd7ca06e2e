using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>A closed settlement month never changes (rulebook section 7): every write of a month's input checks it here.</summary>
internal static class ClosedMonths
{
    /// <summary>FAILED_PRECONDITION <see cref="ErrorReason.MonthClosed"/> when the month <paramref name="month"/> (<c>YYYY-MM</c>) is closed.</summary>
    public static async Task ThrowIfClosedAsync(PartnerExchangeDbContext db, string month, CancellationToken cancellationToken)
    {
        if (await db.SettlementPeriods.AnyAsync(p => p.Month == month && p.ClosedAt != null, cancellationToken))
        {
            throw new PreconditionFailedException(ErrorReason.MonthClosed, $"{month} is closed; a closed month never changes.",
                new PreconditionViolation("MONTH_CLOSED", $"settlementPeriods/{month}", "The month is closed."));
        }
    }
}
