using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar Calendar = new(
    [
        new BusinessDay(new LocalDate(2026, 12, 31), true, null, false, false),
        new BusinessDay(new LocalDate(2026, 12, 26), true, "Test Holiday", true, false),
    ]);

    [Theory]
    [InlineData(2026, 12, 31, true, false)] // entered working day
    [InlineData(2026, 12, 26, true, false)] // entered make-up Saturday
    [InlineData(2027, 1, 1, true, true)] // Friday past the last entered day: weekend-only rule (RULEBOOK appendix Decision)
    [InlineData(2027, 1, 2, false, true)] // Saturday
    [InlineData(2027, 1, 3, false, true)] // Sunday
    [InlineData(2027, 1, 4, true, true)] // Monday
    public void Day_EnteredOrProvisional_WorkingDayAsTheRulebookSays(int year, int month, int day, bool working, bool provisional)
    {
        var result = Calendar.Day(new LocalDate(year, month, day));

        Assert.Equal((working, provisional), (result.IsWorkingDay, result.IsProvisional));
    }

    [Fact]
    public void EnteredDates_TwoDays_FirstAndLast()
    {
        Assert.Equal((new LocalDate(2026, 12, 26), new LocalDate(2026, 12, 31)), (Calendar.FirstEnteredDate!.Value, Calendar.LastEnteredDate!.Value));
        Assert.Null(new BusinessCalendar([]).LastEnteredDate);
    }

    [Fact]
    public void Days_Range_OnePerDateInOrder()
    {
        var days = Calendar.Days(new LocalDate(2026, 12, 30), new LocalDate(2027, 1, 2)).Select(d => d.Date.Day).ToList();

        Assert.Equal([30, 31, 1, 2], days);
    }

    [Theory]
    [InlineData(2026, 11, 1, 2026, 12, 31, true)] // exactly 60 days ahead: covered
    [InlineData(2026, 11, 2, 2026, 12, 31, false)] // one day short
    [InlineData(2026, 11, 29, 2026, 12, 31, false)]
    public void CoversHorizon_LastEnteredDate_SixtyDaysAheadRequired(int ty, int tm, int td, int ly, int lm, int ld, bool covered)
    {
        var today = new LocalDate(ty, tm, td);

        var result = BusinessCalendar.CoversHorizon(new LocalDate(ly, lm, ld), today, out var requiredUntil);

        Assert.Equal(covered, result);
        Assert.Equal(today.PlusDays(60), requiredUntil);
    }

    [Fact]
    public void CoversHorizon_NothingEntered_NotCovered()
    {
        Assert.False(BusinessCalendar.CoversHorizon(null, new LocalDate(2026, 1, 1), out _));
    }

    [Fact]
    public void DateAt_LateUtcEvening_NextDayInShanghai()
    {
        var instant = Instant.FromUtc(2026, 11, 1, 16, 30);

        Assert.Equal(new LocalDate(2026, 11, 2), BusinessCalendar.DateAt(instant));
    }

    [Theory]
    [InlineData(2026, 1, 1, 2026, 1, 1, true)]
    [InlineData(2026, 1, 1, 2027, 1, 2, true)] // 366 days after the start
    [InlineData(2026, 1, 1, 2027, 1, 3, false)]
    [InlineData(2026, 1, 2, 2026, 1, 1, false)]
    public void ValidateRange_StartAndEnd_ViolationOnTheEndField(int sy, int sm, int sd, int ey, int em, int ed, bool valid)
    {
        var violations = BusinessCalendar.ValidateRange(new LocalDate(sy, sm, sd), new LocalDate(ey, em, ed), "end_date");

        Assert.Equal(valid, violations.Count == 0);
        Assert.All(violations, v => Assert.Equal("end_date", v.Field));
    }

    // RULEBOOK appendix (2026 schedule): Thu Jan 1 is a New Year day off, Sat Jan 3 a day off inside the break, Sun Jan 4
    // a make-up working day; Mon Jan 5 an ordinary working day, Sat Jan 10 an ordinary weekend day off.
    public static TheoryData<string, int, int, bool?, string?, bool, string[]> Entries() => new()
    {
        { "holiday on a weekday", 1, 1, false, "New Year", false, [] },
        { "weekend day off inside a break", 1, 3, false, "New Year", false, [] },
        { "make-up Sunday", 1, 4, true, "New Year", true, [] },
        { "ordinary weekday", 1, 5, true, null, false, [] },
        { "ordinary weekend day off", 1, 10, false, null, false, [] },
        { "unnamed weekday day off", 1, 1, false, "  ", false, ["days[0].holiday_name"] },
        { "make-up flag on a day off", 1, 3, false, "New Year", true, ["days[0].make_up_working_day"] },
        { "make-up flag on a weekday", 1, 5, true, "New Year", true, ["days[0].make_up_working_day", "days[0].holiday_name"] },
        { "name on an ordinary working day", 1, 5, true, "New Year", false, ["days[0].holiday_name"] },
        { "weekend working day not flagged", 1, 4, true, "New Year", false, ["days[0].make_up_working_day"] },
        { "make-up day without its holiday", 1, 4, true, null, true, ["days[0].holiday_name"] },
        { "kind not set", 1, 5, null, null, false, ["days[0].kind"] },
        { "name over 64 characters", 1, 1, false, new string('x', 65), false, ["days[0].holiday_name"] },
        { "name of 64 characters", 1, 1, false, new string('x', 64), false, [] },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Check_OneEntry_ViolationsByProtoPath(string description, int month, int day, bool? working, string? name, bool makeUp, string[] fields)
    {
        var violations = new List<FieldViolation>();

        var days = CalendarEntries.Check([new CalendarEntry(new LocalDate(2026, month, day), working, name, makeUp)], violations);

        Assert.True(fields.SequenceEqual(violations.Select(v => v.Field)), $"{description}: {string.Join(", ", violations)}");
        if (fields.Length == 0)
        {
            var result = Assert.Single(days);
            Assert.Equal((working!.Value, string.IsNullOrWhiteSpace(name) ? null : name, makeUp, false), (result.IsWorkingDay, result.HolidayName, result.IsMakeUpDay, result.IsProvisional));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(CalendarEntries.MaxDays + 1)]
    public void Check_EmptyOrOverLimit_OneViolationOnTheList(int count)
    {
        var violations = new List<FieldViolation>();
        var entries = Enumerable.Range(0, count).Select(i => new CalendarEntry(new LocalDate(2027, 1, 1).PlusDays(i), null, null, false)).ToList();

        CalendarEntries.Check(entries, violations);

        Assert.Equal("days", Assert.Single(violations).Field);
    }

    [Fact]
    public void Check_MaxDays_NoViolation()
    {
        var violations = new List<FieldViolation>();
        var entries = Enumerable.Range(0, CalendarEntries.MaxDays)
            .Select(i => new LocalDate(2027, 1, 1).PlusDays(i))
            .Select(d => new CalendarEntry(d, d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday), null, false))
            .ToList();

        var days = CalendarEntries.Check(entries, violations);

        Assert.Empty(violations);
        Assert.Equal(CalendarEntries.MaxDays, days.Count);
    }

    [Fact]
    public void Check_DuplicateAndUnreadDates_ViolationOnTheRepeatOnly()
    {
        var violations = new List<FieldViolation>();
        var monday = new LocalDate(2027, 1, 4);

        CalendarEntries.Check(
            [new CalendarEntry(monday, true, null, false), new CalendarEntry(null, true, null, false), new CalendarEntry(monday, true, null, false)],
            violations);

        var violation = Assert.Single(violations);
        Assert.Equal("days[2].date", violation.Field);
        Assert.Contains("days[0]", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("2027 holiday schedule", true)]
    public void CheckReason_Text_RequiredNotBlank(string reason, bool valid)
    {
        var violations = new List<FieldViolation>();

        CalendarEntries.CheckReason(reason, violations);

        Assert.Equal(valid, violations.Count == 0);
    }

    [Fact]
    public void CheckReason_OverLimit_Violation()
    {
        var violations = new List<FieldViolation>();

        CalendarEntries.CheckReason(new string('x', CalendarEntries.MaxReasonLength + 1), violations);

        Assert.Equal("reason", Assert.Single(violations).Field);
    }

    [Fact]
    public void CheckPastUnchanged_PastDayChanged_FailedPreconditionNamingTheDay()
    {
        var today = new LocalDate(2026, 11, 29);
        var stored = new Dictionary<LocalDate, BusinessDay> { [new LocalDate(2026, 11, 2)] = new(new LocalDate(2026, 11, 2), true, null, false, false) };

        var ex = Assert.Throws<PreconditionFailedException>(() => CalendarEntries.CheckPastUnchanged(
            [new BusinessDay(new LocalDate(2026, 11, 2), false, "Test Holiday", false, false)], stored, today));

        Assert.Equal(ErrorReason.IllegalStateTransition, ex.Reason);
        Assert.Equal("calendarDays/2026-11-02", Assert.Single(ex.Violations).Subject);
    }

    [Fact]
    public void CheckPastUnchanged_PastDayNotEntered_FailedPrecondition()
    {
        Assert.Throws<PreconditionFailedException>(() => CalendarEntries.CheckPastUnchanged(
            [new BusinessDay(new LocalDate(2025, 12, 31), true, null, false, false)], new Dictionary<LocalDate, BusinessDay>(), new LocalDate(2026, 11, 29)));
    }

    [Fact]
    public void CheckPastUnchanged_PastDaySameAsStoredAndTodayChanged_Allowed()
    {
        var today = new LocalDate(2026, 11, 29);
        var past = new BusinessDay(new LocalDate(2026, 11, 2), true, null, false, false);
        var stored = new Dictionary<LocalDate, BusinessDay> { [past.Date] = past, [today] = new(today, false, null, false, false) };

        CalendarEntries.CheckPastUnchanged([past, new BusinessDay(today, true, "Test Holiday", true, false)], stored, today);
    }
}
