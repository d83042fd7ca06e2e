using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Identity;

namespace PartnerExchange.Server.Services;

/// <summary>The carrier's business calendar (Asia/Shanghai working days, holidays, make-up days).</summary>
internal sealed class CalendarService(PartnerExchangeDbContext db, IProvisionalDeadlines provisionalDeadlines, TimeProvider time)
    : Contracts.V1.CalendarService.CalendarServiceBase
{
    private const string SetDaysMethod = "/partnerexchange.v1.CalendarService/SetCalendarDays";

    /// <summary>
    /// CalendarService.SetCalendarDays: inserts or replaces the days, recomputes the provisional deadlines over their
    /// range, and records the change in the audit trail, all in one transaction with the request id.
    /// </summary>
    public override async Task<SetCalendarDaysResponse> SetCalendarDays(SetCalendarDaysRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<FieldViolation>();
        var entries = request.Days.Select((day, i) => new CalendarEntry(
            ProtoDates.Read(day.Date, $"days[{i}].date", violations),
            day.Kind switch { DayKind.WorkingDay => true, DayKind.DayOff => false, _ => null },
            day.HolidayName,
            day.MakeUpWorkingDay)).ToList();
        var days = CalendarEntries.Check(entries, violations);
        CalendarEntries.CheckReason(request.Reason, violations);
        Requests.CheckRequestId(request.RequestId, violations);
        Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await Idempotency.WriteOnceAsync(db, caller, SetDaysMethod, request.RequestId, request, SetCalendarDaysResponse.Parser, time, async () =>
        {
            var now = time.GetUtcNow();
            var (first, last) = (days.Min(d => d.Date), days.Max(d => d.Date));
            var (firstStored, lastStored) = (first.ToDateOnly(), last.ToDateOnly());
            var stored = await db.CalendarDays
                .Where(d => d.Date >= firstStored && d.Date <= lastStored)
                .ToDictionaryAsync(d => LocalDate.FromDateOnly(d.Date), cancellationToken);
            CalendarEntries.CheckPastUnchanged(
                days,
                stored.ToDictionary(s => s.Key, s => new BusinessDay(s.Key, s.Value.IsWorkingDay, s.Value.HolidayName, s.Value.IsMakeUpDay, IsProvisional: false)),
                BusinessCalendar.DateAt(Instant.FromDateTimeOffset(now)));

            foreach (var day in days)
            {
                if (!stored.TryGetValue(day.Date, out var row))
                {
                    row = new Data.Entities.CalendarDay { Date = day.Date.ToDateOnly() };
                    db.CalendarDays.Add(row);
                }

                (row.IsWorkingDay, row.HolidayName, row.IsMakeUpDay) = (day.IsWorkingDay, day.HolidayName, day.IsMakeUpDay);
            }

            // Saved (not committed) first, so the recomputation reads the new days in this transaction.
            await db.SaveChangesAsync(cancellationToken);
            var recomputed = await provisionalDeadlines.RecomputeProvisionalAsync(db, first, last, Instant.FromDateTimeOffset(now), cancellationToken);
            var lastEntered = await db.CalendarDays.MaxAsync(d => d.Date, cancellationToken);

            var daysOff = days.Count(d => !d.IsWorkingDay);
            var makeUp = days.Count(d => d.IsMakeUpDay);
            AuditTrail.Record(
                db, caller, SetDaysMethod, "calendarDays", partnerId: null, request.RequestId,
                $"{days.Count} day(s) written from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}: {daysOff} day(s) off, {makeUp} make-up working day(s); {recomputed} provisional deadline(s) recomputed",
                now, request.Reason.Trim());
            var response = new SetCalendarDaysResponse
            {
                WrittenCount = days.Count,
                RecomputedDeadlineCount = recomputed,
                LastEnteredDate = ProtoDates.Write(LocalDate.FromDateOnly(lastEntered)),
                UpdateTime = Timestamp.FromDateTimeOffset(now),
            };
            return (response, response);
        }, cancellationToken);
    }

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
