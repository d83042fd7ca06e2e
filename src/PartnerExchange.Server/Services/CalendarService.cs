using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>The carrier's business calendar (Asia/Shanghai working days, holidays, make-up days).</summary>
internal sealed class CalendarService(IDbContextFactory<PartnerExchangeDbContext> databases)
    : Contracts.V1.CalendarService.CalendarServiceBase
{
    /// <summary>CalendarService.SetCalendarDays: answers UNIMPLEMENTED until the calendar can be written with the work-order clocks it moves.</summary>
    public override Task<SetCalendarDaysResponse> SetCalendarDays(SetCalendarDaysRequest request, ServerCallContext context) =>
        Task.FromException<SetCalendarDaysResponse>(NotBuilt.Rpc(
            "CalendarService.SetCalendarDays", "the work-order clocks, whose provisional deadlines a calendar change recomputes"));

    /// <summary>
    /// CalendarService.GetCalendar: one day per date of the range, entered days as stored and later or earlier days
    /// provisional by the weekend-only rule (rulebook appendix Decision).
    /// </summary>
    public override async Task<GetCalendarResponse> GetCalendar(GetCalendarRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var start = ProtoDates.Read(request.StartDate, "start_date", violations);
        var end = ProtoDates.Read(request.EndDate, "end_date", violations);
        if (start is { } s && end is { } e)
        {
            violations.AddRange(BusinessCalendar.ValidateRange(s, e, "end_date"));
        }

        if (violations.Count > 0)
        {
            throw new InvalidRequestException(violations);
        }

        await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
        var (first, last) = (start!.Value.ToDateOnly(), end!.Value.ToDateOnly());
        var stored = await db.CalendarDays.AsNoTracking()
            .Where(d => d.Date >= first && d.Date <= last)
            .ToListAsync(context.CancellationToken);
        var bounds = await db.CalendarDays
            .GroupBy(_ => 1)
            .Select(g => new { First = g.Min(d => d.Date), Last = g.Max(d => d.Date) })
            .SingleOrDefaultAsync(context.CancellationToken);

        var calendar = new BusinessCalendar(stored.Select(d => new BusinessDay(
            LocalDate.FromDateOnly(d.Date), d.IsWorkingDay, d.HolidayName, d.IsMakeUpDay, IsProvisional: false)));
        var response = new GetCalendarResponse { TimeZone = BusinessCalendar.TimeZoneId };
        if (bounds is not null)
        {
            response.FirstEnteredDate = ProtoDates.Write(LocalDate.FromDateOnly(bounds.First));
            response.LastEnteredDate = ProtoDates.Write(LocalDate.FromDateOnly(bounds.Last));
        }

        response.Days.AddRange(calendar.Days(start.Value, end.Value).Select(day => new CalendarDay
        {
            Date = ProtoDates.Write(day.Date),
            Kind = day.IsWorkingDay ? DayKind.WorkingDay : DayKind.DayOff,
            HolidayName = day.HolidayName ?? string.Empty,
            MakeUpWorkingDay = day.IsMakeUpDay,
            Provisional = day.IsProvisional,
        }));
        return response;
    }
}
