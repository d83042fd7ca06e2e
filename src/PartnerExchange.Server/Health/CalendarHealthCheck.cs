using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Health;

/// <summary>
/// Degraded (a warning: the server still serves) while the entered business calendar ends less than 60 days after
/// today in Asia/Shanghai, naming the date it ends, so the next holiday schedule is entered before deadlines over
/// unknown days become provisional (rulebook appendix Decision).
/// </summary>
internal sealed class CalendarHealthCheck(IDbContextFactory<PartnerExchangeDbContext> databases, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var last = await db.CalendarDays.MaxAsync(d => (DateOnly?)d.Date, cancellationToken);
        var lastEntered = last is { } l ? LocalDate.FromDateOnly(l) : (LocalDate?)null;
        var today = BusinessCalendar.DateAt(Instant.FromDateTimeOffset(time.GetUtcNow()));
        var data = new Dictionary<string, object> { ["last_entered_date"] = lastEntered?.ToString("yyyy-MM-dd", null) ?? "none" };

        if (BusinessCalendar.CoversHorizon(lastEntered, today, out var requiredUntil))
        {
            return HealthCheckResult.Healthy($"The business calendar is entered until {lastEntered:yyyy-MM-dd}.", data);
        }

        var ends = lastEntered is { } end ? $"ends on {end:yyyy-MM-dd}" : "has no entered days";
        return HealthCheckResult.Degraded(
            $"The business calendar {ends}; it should reach {requiredUntil:yyyy-MM-dd} (60 days ahead). Enter the next holiday schedule with CalendarService.SetCalendarDays.",
            data: data);
    }
}
