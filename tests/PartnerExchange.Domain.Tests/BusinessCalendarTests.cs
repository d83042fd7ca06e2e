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
}
