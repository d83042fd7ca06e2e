using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>One day of the carrier's business calendar (rulebook section 3 and appendix).</summary>
/// <param name="Date">The local date in Asia/Shanghai.</param>
/// <param name="IsWorkingDay">Whether the day is worked.</param>
/// <param name="HolidayName">The public holiday a day off or make-up working day belongs to; <c>null</c> otherwise.</param>
/// <param name="IsMakeUpDay">Whether a weekend day is a working day because of a holiday.</param>
/// <param name="IsProvisional">Whether the day lies outside the entered calendar and follows the weekend-only rule.</param>
public sealed record BusinessDay(LocalDate Date, bool IsWorkingDay, string? HolidayName, bool IsMakeUpDay, bool IsProvisional);

/// <summary>
/// The carrier's business calendar: the days entered from the announced holiday schedules and, outside them, the
/// rulebook's Decision that only Saturdays and Sundays are days off (such days are provisional).
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>The time zone calendar dates are read in.</summary>
    public const string TimeZoneId = "Asia/Shanghai";

    /// <summary>The longest range one calendar query may ask for, in days (contract: at most 366 days after the start).</summary>
    public const int MaxQueryDays = 366;

    /// <summary>How far ahead the entered calendar should reach; less is a warning (rulebook appendix Decision).</summary>
    public static readonly Period CoverageHorizon = Period.FromDays(60);

    private readonly Dictionary<LocalDate, BusinessDay> _entered;

    /// <summary>Creates the calendar from its entered days (none is allowed: every day is then provisional).</summary>
    public BusinessCalendar(IEnumerable<BusinessDay> enteredDays)
    {
        ArgumentNullException.ThrowIfNull(enteredDays);
        _entered = enteredDays.ToDictionary(d => d.Date);
        if (_entered.Count > 0)
        {
            FirstEnteredDate = _entered.Keys.Min();
            LastEnteredDate = _entered.Keys.Max();
        }
    }

    /// <summary>Gets the carrier's time zone.</summary>
    public static DateTimeZone TimeZone { get; } = DateTimeZoneProviders.Tzdb[TimeZoneId];

    /// <summary>Gets the first date with entered data, or <c>null</c> when nothing is entered.</summary>
    public LocalDate? FirstEnteredDate { get; }

    /// <summary>Gets the last date with entered data, or <c>null</c> when nothing is entered.</summary>
    public LocalDate? LastEnteredDate { get; }

    /// <summary>The carrier's calendar date at <paramref name="instant"/>.</summary>
    public static LocalDate DateAt(Instant instant) => instant.InZone(TimeZone).Date;

    /// <summary>
    /// Whether the entered calendar reaches far enough past <paramref name="today"/>: it must cover
    /// <see cref="CoverageHorizon"/> (today plus 60 days). <paramref name="requiredUntil"/> is the date it must reach.
    /// </summary>
    public static bool CoversHorizon(LocalDate? lastEnteredDate, LocalDate today, out LocalDate requiredUntil)
    {
        requiredUntil = today.Plus(CoverageHorizon);
        return lastEnteredDate is { } last && last >= requiredUntil;
    }

    /// <summary>
    /// Checks a query range: the end on or after the start, and at most <see cref="MaxQueryDays"/> days after it.
    /// Returns the violations, empty when the range is good.
    /// </summary>
    public static IReadOnlyList<FieldViolation> ValidateRange(LocalDate start, LocalDate end, string endField)
    {
        if (end < start)
        {
            return [new FieldViolation(endField, $"must be on or after the start date {start:yyyy-MM-dd}.")];
        }

        if (Period.DaysBetween(start, end) > MaxQueryDays)
        {
            return [new FieldViolation(endField, $"must be at most {MaxQueryDays} days after the start date {start:yyyy-MM-dd}.")];
        }

        return [];
    }

    /// <summary>The day at <paramref name="date"/>: the entered one, or a provisional one by the weekend-only rule.</summary>
    public BusinessDay Day(LocalDate date)
    {
        if (_entered.TryGetValue(date, out var day))
        {
            return day with { IsProvisional = false };
        }

        var weekend = date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        return new BusinessDay(date, !weekend, null, false, IsProvisional: true);
    }

    /// <summary>Every day from <paramref name="start"/> to <paramref name="end"/>, both included, in date order.</summary>
    public IEnumerable<BusinessDay> Days(LocalDate start, LocalDate end)
    {
        for (var date = start; date <= end; date = date.PlusDays(1))
        {
            yield return Day(date);
        }
    }
    /// <summary>
    /// The due instant of a clock of <paramref name="workingDays"/> working days from <paramref name="from"/> (rulebook
    /// section 3 Decision): 24:00 Asia/Shanghai of the N-th working day after the calendar day of <paramref name="from"/>;
    /// that day itself is not counted, days off are skipped and make-up working days count. Provisional when a day
    /// counted or skipped lies outside the entered calendar.
    /// </summary>
    public (Instant Due, bool Provisional) AddWorkingDays(Instant from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var date = DateAt(from);
        var provisional = false;
        for (var counted = 0; counted < workingDays;)
        {
            date = date.PlusDays(1);
            var day = Day(date);
            provisional |= day.IsProvisional;
            if (day.IsWorkingDay)
            {
                counted++;
            }
        }

        return (StartOf(date.PlusDays(1)), provisional);
    }

    /// <summary>The time between <paramref name="from"/> and <paramref name="to"/> that falls on working days (local calendar).</summary>
    public Duration WorkingTimeBetween(Instant from, Instant to)
    {
        var total = Duration.Zero;
        for (var cursor = from; cursor < to;)
        {
            var date = DateAt(cursor);
            var end = Instant.Min(StartOf(date.PlusDays(1)), to);
            if (Day(date).IsWorkingDay)
            {
                total += end - cursor;
            }

            cursor = end;
        }

        return total;
    }

    /// <summary>
    /// The instant at which <paramref name="amount"/> of working time has passed after <paramref name="from"/>, days off
    /// not counting; used to move a working-day clock by the working time a hold paused. Provisional when it crossed a
    /// day outside the entered calendar.
    /// </summary>
    public (Instant At, bool Provisional) AddWorkingTime(Instant from, Duration amount)
    {
        if (amount <= Duration.Zero)
        {
            return (from, false);
        }

        var cursor = from;
        var provisional = false;
        while (true)
        {
            var date = DateAt(cursor);
            var day = Day(date);
            provisional |= day.IsProvisional;
            var dayEnd = StartOf(date.PlusDays(1));
            if (day.IsWorkingDay)
            {
                if (cursor + amount <= dayEnd)
                {
                    return (cursor + amount, provisional);
                }

                amount -= dayEnd - cursor;
            }

            cursor = dayEnd;
        }
    }

    /// <summary>The instant 00:00 Asia/Shanghai of <paramref name="date"/>.</summary>
    public static Instant StartOf(LocalDate date) => date.AtStartOfDayInZone(TimeZone).ToInstant();
}
