using NodaTime;
using PartnerExchange.Data;

namespace PartnerExchange.Server.Services;

/// <summary>
/// Recomputes the working-day deadlines of open work orders that were computed over provisional calendar days (past the
/// last entered day, by the weekend-only rule), after CalendarService.SetCalendarDays entered days in a date range
/// (rulebook appendix Decision). The work-order clocks implement it; until then <see cref="NoProvisionalDeadlines"/>
/// is registered.
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

/// <summary>Recomputes nothing: there are no work-order deadlines yet.</summary>
internal sealed class NoProvisionalDeadlines : IProvisionalDeadlines
{
    /// <inheritdoc/>
    public Task<int> RecomputeProvisionalAsync(PartnerExchangeDbContext db, LocalDate firstDate, LocalDate lastDate, Instant now, CancellationToken cancellationToken) =>
        Task.FromResult(0);
}
