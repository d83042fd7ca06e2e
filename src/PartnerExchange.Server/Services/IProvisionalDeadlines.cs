using NodaTime;
using PartnerExchange.Data;

namespace PartnerExchange.Server.Services;

/// <summary>
/// Recomputes the working-day deadlines of open work orders that were computed over provisional calendar days (past the
/// last entered day, by the weekend-only rule), after CalendarService.SetCalendarDays entered days in a date range
/// (rulebook appendix Decision). <see cref="ProvisionalDeadlines"/> implements it.
/// </summary>
internal interface IProvisionalDeadlines
{
    /// <summary>
    /// Recomputes, in <paramref name="db"/>'s open transaction (the calendar days are already saved in it), every
    /// provisional deadline whose computation touched a day from <paramref name="firstDate"/> to
    /// <paramref name="lastDate"/>, both included; returns how many deadlines were recomputed. Changes are left to the
    /// caller's save and commit.
    /// </summary>
    Task<int> RecomputeProvisionalAsync(PartnerExchangeDbContext db, LocalDate firstDate, LocalDate lastDate, Instant now, CancellationToken cancellationToken);
}

/// <summary>
/// The work-order clocks' recomputation, in the calendar write's transaction (the request's scoped context, which the
/// store shares), at business time.
/// </summary>
internal sealed class ProvisionalDeadlines(WorkOrderStore store, CalendarCache calendars, Time.BusinessClock clock) : IProvisionalDeadlines
{
    /// <inheritdoc/>
    public async Task<int> RecomputeProvisionalAsync(PartnerExchangeDbContext db, LocalDate firstDate, LocalDate lastDate, Instant now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        calendars.Invalidate();
        return await store.RecomputeProvisionalAsync(
            await calendars.ReadAsync(db, cancellationToken), clock.Now, $"calendar days {firstDate:yyyy-MM-dd} to {lastDate:yyyy-MM-dd} entered", cancellationToken);
    }
}
