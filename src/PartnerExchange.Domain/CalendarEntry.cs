using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>
/// One calendar day as a partner manager enters it from an announced holiday schedule, before it is checked
/// (rulebook section 3 and appendix). <see cref="CalendarEntries.Check"/> turns entries into <see cref="BusinessDay"/>s.
/// </summary>
/// <param name="Date">The date, or <c>null</c> when it could not be read (the reader has reported why).</param>
/// <param name="IsWorkingDay">Whether the day is worked, or <c>null</c> when the kind is not set.</param>
/// <param name="HolidayName">The public holiday's name as given; empty or white space means none.</param>
/// <param name="IsMakeUpDay">Whether the day is marked a make-up working day.</param>
public sealed record CalendarEntry(LocalDate? Date, bool? IsWorkingDay, string? HolidayName, bool IsMakeUpDay);

/// <summary>
/// The rules for entering calendar days (CalendarService.SetCalendarDays): which combinations of weekday, kind, holiday
/// name and make-up flag a holiday schedule can hold, the request's limits, and that past days do not change.
/// </summary>
public static class CalendarEntries
{
    /// <summary>The most days one request may enter (contract: 1 to 800).</summary>
    public const int MaxDays = 800;

    /// <summary>
    /// The longest holiday name. The contract allows 100 characters but the stored column holds 64
    /// (<c>CalendarDays.HolidayName</c>), so 64 is enforced until the column is widened.
    /// </summary>
    public const int MaxHolidayNameLength = 64;

    /// <summary>The longest reason, the size of the audit trail's reason column.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>
    /// Checks the entries of one request and returns them as entered (not provisional) business days, holiday names
    /// trimmed, in request order. Each bad field adds a violation named by its proto path under
    /// <paramref name="field"/> (e.g. <c>days[3].holiday_name</c>); the returned list is meaningful only when none was added.
    /// </summary>
    public static IReadOnlyList<BusinessDay> Check(IReadOnlyList<CalendarEntry> entries, List<FieldViolation> violations, string field = "days")
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(violations);
        if (entries.Count is 0 or > MaxDays)
        {
            violations.Add(new FieldViolation(field, $"must hold 1 to {MaxDays} days; it holds {entries.Count}."));
            return [];
        }

        var days = new List<BusinessDay>(entries.Count);
        var firstIndex = new Dictionary<LocalDate, int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var path = $"{field}[{i}]";
            var name = string.IsNullOrWhiteSpace(entry.HolidayName) ? null : entry.HolidayName.Trim();
            if (entry.Date is { } date && !firstIndex.TryAdd(date, i))
            {
                violations.Add(new FieldViolation($"{path}.date", $"repeats {date:yyyy-MM-dd} of {field}[{firstIndex[date]}]; each date at most once."));
            }

            if (entry.IsWorkingDay is null)
            {
                violations.Add(new FieldViolation($"{path}.kind", "must be DAY_KIND_WORKING_DAY or DAY_KIND_DAY_OFF."));
            }

            if (name is { Length: > MaxHolidayNameLength })
            {
                violations.Add(new FieldViolation($"{path}.holiday_name", $"must be at most {MaxHolidayNameLength} characters."));
            }
            else
            {
                CheckCombination(entry, name, path, violations);
            }

            if (entry is { Date: { } d, IsWorkingDay: { } working })
            {
                days.Add(new BusinessDay(d, working, name, entry.IsMakeUpDay, IsProvisional: false));
            }
        }

        return days;
    }

    /// <summary>Checks the reason of a calendar change: required, at most <see cref="MaxReasonLength"/> characters.</summary>
    public static void CheckReason(string reason, List<FieldViolation> violations, string field = "reason")
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            violations.Add(new FieldViolation(field, $"is required, at most {MaxReasonLength} characters."));
        }
    }

    /// <summary>
    /// Throws FAILED_PRECONDITION when a day before <paramref name="today"/> would change: a past day may be sent again
    /// only exactly as it is stored (deadlines already computed over it stand). <paramref name="stored"/> holds the
    /// entered days among <paramref name="days"/>' dates.
    /// </summary>
    public static void CheckPastUnchanged(IEnumerable<BusinessDay> days, IReadOnlyDictionary<LocalDate, BusinessDay> stored, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(stored);
        var changed = days
            .Where(d => d.Date < today && !(stored.TryGetValue(d.Date, out var s) && SameEntry(s, d)))
            .Select(d => new PreconditionViolation("STATE", ResourceName(d.Date), $"The day is before today ({today:yyyy-MM-dd} in {BusinessCalendar.TimeZoneId}) and can no longer change."))
            .ToArray();
        if (changed.Length > 0)
        {
            throw new PreconditionFailedException(
                ErrorReason.IllegalStateTransition,
                $"{changed.Length} day(s) before today would change, first {changed[0].Subject}; past calendar days are fixed.",
                changed);
        }
    }

    /// <summary>The resource name of a calendar day, <c>calendarDays/{YYYY-MM-DD}</c>.</summary>
    public static string ResourceName(LocalDate date) => $"calendarDays/{date:yyyy-MM-dd}";

    private static bool SameEntry(BusinessDay a, BusinessDay b) =>
        a.IsWorkingDay == b.IsWorkingDay && a.IsMakeUpDay == b.IsMakeUpDay && string.Equals(a.HolidayName, b.HolidayName, StringComparison.Ordinal);

    /// <summary>
    /// A day off on a weekday is a public holiday and is named; a Saturday or Sunday working day is a make-up day and
    /// names its holiday; an ordinary weekday working day has neither a name nor the make-up flag; a day off is never a
    /// make-up day (rulebook appendix: the schedule's days off and make-up working days).
    /// </summary>
    private static void CheckCombination(CalendarEntry entry, string? name, string path, List<FieldViolation> violations)
    {
        var weekend = entry.Date?.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        switch (entry.IsWorkingDay)
        {
            case false:
                if (entry.IsMakeUpDay)
                {
                    violations.Add(new FieldViolation($"{path}.make_up_working_day", "must be false on a day off."));
                }

                if (entry.Date is not null && !weekend && name is null)
                {
                    violations.Add(new FieldViolation($"{path}.holiday_name", "is required on a day off that falls on a weekday (a public holiday)."));
                }

                break;
            case true when entry.Date is null:
                break;
            case true when weekend:
                if (!entry.IsMakeUpDay)
                {
                    violations.Add(new FieldViolation($"{path}.make_up_working_day", "must be true on a Saturday or Sunday working day: only make-up days are worked at weekends."));
                }

                if (name is null)
                {
                    violations.Add(new FieldViolation($"{path}.holiday_name", "is required on a make-up working day: the holiday it makes up for."));
                }

                break;
            case true:
                if (entry.IsMakeUpDay)
                {
                    violations.Add(new FieldViolation($"{path}.make_up_working_day", "must be false on a weekday: make-up working days are Saturdays or Sundays."));
                }

                if (name is not null)
                {
                    violations.Add(new FieldViolation($"{path}.holiday_name", "must be empty on an ordinary working day; only days off and make-up working days name a holiday."));
                }

                break;
        }
    }
}
