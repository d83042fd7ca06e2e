using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

/// <summary>
/// The 2026 business calendar of the RULEBOOK appendix, expanded day by day as the seed loader does
/// (seeds/calendar-2026.json): the listed days off and make-up working days, otherwise Monday to Friday worked.
/// </summary>
internal static class Calendar2026
{
    private static readonly (string Name, LocalDate FirstOff, LocalDate LastOff, LocalDate[] MakeUp)[] Holidays =
    [
        ("New Year", new(2026, 1, 1), new(2026, 1, 3), [new(2026, 1, 4)]),
        ("Spring Festival", new(2026, 2, 15), new(2026, 2, 23), [new(2026, 2, 14), new(2026, 2, 28)]),
        ("Qingming", new(2026, 4, 4), new(2026, 4, 6), []),
        ("Labour Day", new(2026, 5, 1), new(2026, 5, 5), [new(2026, 5, 9)]),
        ("Dragon Boat", new(2026, 6, 19), new(2026, 6, 21), []),
        ("Mid-Autumn", new(2026, 9, 25), new(2026, 9, 27), []),
        ("National Day", new(2026, 10, 1), new(2026, 10, 7), [new(2026, 9, 20), new(2026, 10, 10)]),
    ];

    /// <summary>The whole year entered.</summary>
    public static BusinessCalendar Full { get; } = Through(new LocalDate(2026, 12, 31));

    /// <summary>The year entered up to <paramref name="last"/>; later days are provisional.</summary>
    public static BusinessCalendar Through(LocalDate last) => new(Days().Where(d => d.Date <= last));

    /// <summary>The instant at a local date and time in Asia/Shanghai.</summary>
    public static Instant Local(int year, int month, int day, int hour = 0, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(BusinessCalendar.TimeZone).ToInstant();

    private static IEnumerable<BusinessDay> Days()
    {
        for (var date = new LocalDate(2026, 1, 1); date.Year == 2026; date = date.PlusDays(1))
        {
            var off = Holidays.FirstOrDefault(h => date >= h.FirstOff && date <= h.LastOff);
            var makeUp = Holidays.FirstOrDefault(h => h.MakeUp.Contains(date));
            if (off.Name is not null)
            {
                yield return new BusinessDay(date, false, off.Name, false, false);
            }
            else if (makeUp.Name is not null)
            {
                yield return new BusinessDay(date, true, makeUp.Name, true, false);
            }
            else
            {
                var weekend = date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
                yield return new BusinessDay(date, !weekend, null, false, false);
            }
        }
    }
}

public sealed class WorkOrderClockTests
{
    private static readonly BusinessCalendar Calendar = Calendar2026.Full;

    private static Instant Local(int year, int month, int day, int hour = 0, int minute = 0) => Calendar2026.Local(year, month, day, hour, minute);

    private static string Describe(IEnumerable<(ClockKind Kind, ClockLimit Limit)> clocks) =>
        string.Join("; ", clocks.Select(c => $"{c.Kind} {c.Limit}"));

    // RULEBOOK section 3 table and its Decisions (clocks): which clocks each kind runs, and the written-channel reply.
    [Theory]
    [InlineData(WorkOrderKind.Enquiry, null, null, null, false, "Reply 12 h; Resolve 24 h")]
    [InlineData(WorkOrderKind.Enquiry, null, null, null, true, "Reply 1 working day(s); Resolve 24 h")]
    [InlineData(WorkOrderKind.TechnicalSupport, null, null, TechnicalSupportType.Installation, false, "Reply 12 h; Resolve 24 h")]
    [InlineData(WorkOrderKind.TechnicalSupport, null, null, TechnicalSupportType.Training, false, "Reply 12 h; Resolve 24 h")]
    [InlineData(WorkOrderKind.TechnicalSupport, null, null, TechnicalSupportType.Training, true, "Reply 1 working day(s); Resolve 24 h")]
    [InlineData(WorkOrderKind.TechnicalSupport, null, null, TechnicalSupportType.OnSite, false, "Arrival 1 working day(s)")]
    [InlineData(WorkOrderKind.TechnicalSupport, null, null, TechnicalSupportType.OnSite, true, "Reply 1 working day(s); Arrival 1 working day(s)")]
    [InlineData(WorkOrderKind.FaultReport, FaultSeverity.General, null, null, false, "Resolve 12 h")]
    [InlineData(WorkOrderKind.FaultReport, FaultSeverity.Important, null, null, false, "Resolve 4 h")]
    [InlineData(WorkOrderKind.FaultReport, FaultSeverity.Severe, null, null, false, "Resolve 2 h")]
    [InlineData(WorkOrderKind.FaultReport, FaultSeverity.Severe, null, null, true, "Reply 1 working day(s); Resolve 2 h")]
    [InlineData(WorkOrderKind.Complaint, null, ComplaintUrgency.Urgent, null, false, "Reply 24 h")]
    [InlineData(WorkOrderKind.Complaint, null, ComplaintUrgency.Difficult, null, false, "Reply 72 h")]
    [InlineData(WorkOrderKind.Complaint, null, ComplaintUrgency.Ordinary, null, false, "Reply 12 h; Resolve 24 h")] // Decision: ordinary = "SI can handle directly"
    [InlineData(WorkOrderKind.Complaint, null, null, null, false, "Reply 12 h; Resolve 24 h")] // direct complaint
    [InlineData(WorkOrderKind.Complaint, null, null, null, true, "Reply 1 working day(s); Resolve 24 h")] // direct complaint by e-mail
    [InlineData(WorkOrderKind.Complaint, null, ComplaintUrgency.Urgent, null, true, "Reply 1 working day(s)")]
    [InlineData(WorkOrderKind.DissatisfactionRecord, null, null, null, false, "")] // recorded, never dispatched
    [InlineData(WorkOrderKind.DissatisfactionRecord, null, null, null, true, "")]
    public void For_Subject_ClocksAndLimitsOfTheRulebook(
        WorkOrderKind kind, FaultSeverity? severity, ComplaintUrgency? urgency, TechnicalSupportType? supportType, bool written, string expected)
    {
        var subject = new ClockRules.Subject(kind, severity, urgency, supportType, written);

        var clocks = ClockRules.For(subject);

        Assert.Equal(expected, Describe(clocks));
    }

    [Fact]
    public void SecondVisit_Limit_ThreeWorkingDays()
    {
        Assert.Equal(ClockLimit.WorkingDays(3), ClockRules.SecondVisit); // RULEBOOK section 3: second visit, 3 working days
    }

    // RULEBOOK section 3: hours are elapsed clock hours (7x24); the warning at 50%.
    [Theory]
    [InlineData(2, 2026, 10, 11, 3, 0)] // Sunday: hours do not care about days off
    [InlineData(4, 2026, 10, 11, 5, 0)]
    [InlineData(12, 2026, 10, 11, 13, 0)]
    [InlineData(24, 2026, 10, 12, 1, 0)]
    [InlineData(72, 2026, 10, 14, 1, 0)]
    public void Start_HourLimit_DueAfterElapsedHoursWarningHalfway(int hours, int y, int m, int d, int h, int min)
    {
        var start = Local(2026, 10, 11, 1, 0);

        var clock = ClockRules.Start(ClockKind.Resolve, ClockLimit.Hours(hours), start, Calendar);

        Assert.Equal(Local(y, m, d, h, min), clock.Due);
        Assert.Equal(start + Duration.FromMinutes(hours * 30), clock.WarnAt);
        Assert.Equal((ClockKind.Resolve, start, false, true), (clock.Kind, clock.Start, clock.Provisional, clock.IsRunning));
    }

    // RULEBOOK section 3 Decision: "N working days from an instant" ends at 24:00 of the N-th working day after the
    // calendar day of that instant; appendix 2026: National Day Oct 1-7 off, Sun Sep 20 and Sat Oct 10 worked.
    [Theory]
    [InlineData(2026, 9, 30, 10, 0, 1, 2026, 10, 9)] // rulebook example: Wed Sep 30 -> end of Thu Oct 8
    [InlineData(2026, 10, 9, 10, 0, 1, 2026, 10, 11)] // rulebook example: Fri Oct 9 -> end of Sat Oct 10 (make-up day)
    [InlineData(2026, 9, 30, 0, 0, 1, 2026, 10, 9)] // midnight starts the day, which is not counted
    [InlineData(2026, 9, 30, 23, 59, 1, 2026, 10, 9)]
    [InlineData(2026, 10, 9, 10, 0, 3, 2026, 10, 14)] // Sat Oct 10, Mon Oct 12, Tue Oct 13
    [InlineData(2026, 9, 19, 10, 0, 1, 2026, 9, 21)] // Sat -> make-up Sun Sep 20
    [InlineData(2026, 9, 24, 10, 0, 1, 2026, 9, 29)] // Thu; Mid-Autumn Sep 25-27 off -> end of Mon Sep 28
    [InlineData(2026, 10, 16, 10, 0, 1, 2026, 10, 20)] // ordinary Friday -> end of Monday
    [InlineData(2026, 10, 15, 10, 0, 3, 2026, 10, 21)] // ordinary Thursday, 3 days over a weekend -> end of Tuesday
    [InlineData(2026, 2, 13, 10, 0, 2, 2026, 2, 25)] // Fri -> make-up Sat Feb 14, Spring Festival Feb 15-23 off, Tue Feb 24
    [InlineData(2025, 12, 31, 10, 0, 1, 2026, 1, 5)] // New Year Jan 1-3 off -> make-up Sun Jan 4
    public void AddWorkingDays_FromInstant_DueAtEndOfNthWorkingDay(int y, int m, int d, int h, int min, int days, int dy, int dm, int dd)
    {
        var from = Local(y, m, d, h, min);

        var (due, provisional) = Calendar.AddWorkingDays(from, days);

        Assert.Equal(Local(dy, dm, dd), due);
        Assert.False(provisional);
    }

    [Fact]
    public void AddWorkingDays_RulebookExample_DueIsMidnightShanghaiOfTheNextDay()
    {
        var (due, _) = Calendar.AddWorkingDays(Local(2026, 9, 30, 10, 0), 1);

        Assert.Equal(Instant.FromUtc(2026, 10, 8, 16, 0), due); // 2026-10-09T00:00+08:00
    }

    [Fact]
    public void AddWorkingDays_UtcEveningIsNextShanghaiDay_CountsFromTheLocalDate()
    {
        var from = Instant.FromUtc(2026, 9, 30, 16, 30); // Thu Oct 1 00:30 in Shanghai, a holiday

        var (due, _) = Calendar.AddWorkingDays(from, 1);

        Assert.Equal(Local(2026, 10, 9), due);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AddWorkingDays_NotPositive_Throws(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(Local(2026, 10, 9), days));
    }

    // RULEBOOK appendix Decision: past the last day the calendar knows, only Saturdays and Sundays are days off and the
    // deadline is provisional.
    [Theory]
    [InlineData(2026, 10, 9, 2026, 10, 9, 1, 2026, 10, 13, true)] // Sat Oct 10 unknown: weekend rule skips it, Mon Oct 12
    [InlineData(2026, 10, 10, 2026, 10, 9, 1, 2026, 10, 11, false)] // entered through Oct 10: counted day known
    [InlineData(2026, 12, 31, 2026, 12, 30, 1, 2027, 1, 1, false)] // Dec 31 is entered and counted
    [InlineData(2026, 12, 31, 2026, 12, 31, 1, 2027, 1, 2, true)] // Fri Jan 1 2027 not entered: counted as a working day
    [InlineData(2026, 12, 31, 2026, 12, 30, 2, 2027, 1, 2, true)]
    public void AddWorkingDays_PastTheEnteredCalendar_Provisional(
        int ly, int lm, int ld, int y, int m, int d, int days, int dy, int dm, int dd, bool expectedProvisional)
    {
        var calendar = Calendar2026.Through(new LocalDate(ly, lm, ld));

        var (due, provisional) = calendar.AddWorkingDays(Local(y, m, d, 10, 0), days);

        Assert.Equal((Local(dy, dm, dd), expectedProvisional), (due, provisional));
    }

    [Fact]
    public void Start_WorkingDayLimit_DueFromCalendarWarningHalfwayInElapsedTime()
    {
        var start = Local(2026, 9, 30, 10, 0);

        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.WorkingDays(1), start, Calendar);

        Assert.Equal(Local(2026, 10, 9), clock.Due);
        Assert.Equal(Local(2026, 10, 4, 17, 0), clock.WarnAt); // 50% of the 206 h from start to due
        Assert.False(clock.Provisional);
    }

    [Fact]
    public void Start_WorkingDayLimitPastTheEnteredCalendar_ProvisionalClock()
    {
        var clock = ClockRules.Start(ClockKind.Arrival, ClockLimit.WorkingDays(1), Local(2026, 10, 9, 10, 0), Calendar2026.Through(new LocalDate(2026, 10, 9)));

        Assert.Equal((Local(2026, 10, 13), true), (clock.Due, clock.Provisional));
    }

    // WorkingTimeBetween: the time on working days (local calendar), used to move working-day clocks by a hold.
    [Theory]
    [InlineData(2026, 10, 9, 20, 2026, 10, 12, 2, 30)] // Fri 4 h + make-up Sat Oct 10 24 h + Sun 0 + Mon 2 h
    [InlineData(2026, 10, 17, 0, 2026, 10, 19, 0, 0)] // ordinary weekend
    [InlineData(2026, 9, 26, 0, 2026, 9, 28, 0, 0)] // Mid-Autumn Sat-Sun off
    [InlineData(2026, 9, 30, 12, 2026, 10, 8, 12, 24)] // Sep 30 12 h + National Day off + Oct 8 12 h
    [InlineData(2026, 10, 12, 9, 2026, 10, 12, 9, 0)] // empty
    [InlineData(2026, 10, 12, 10, 2026, 10, 12, 9, 0)] // reversed
    public void WorkingTimeBetween_Range_OnlyWorkingDaysCount(int y1, int m1, int d1, int h1, int y2, int m2, int d2, int h2, int hours)
    {
        var result = Calendar.WorkingTimeBetween(Local(y1, m1, d1, h1), Local(y2, m2, d2, h2));

        Assert.Equal(Duration.FromHours(hours), result);
    }

    // AddWorkingTime: working time counted forward over working days only.
    [Theory]
    [InlineData(2026, 10, 9, 0, 2, 2026, 10, 9, 2)]
    [InlineData(2026, 10, 8, 0, 24, 2026, 10, 9, 0)] // a whole day ends at its 24:00
    [InlineData(2026, 9, 30, 20, 6, 2026, 10, 8, 2)] // 4 h on Sep 30, National Day skipped, 2 h on Oct 8
    [InlineData(2026, 10, 10, 0, 2, 2026, 10, 10, 2)] // make-up Saturday counts
    [InlineData(2026, 10, 17, 0, 1, 2026, 10, 19, 1)] // ordinary Saturday skipped
    [InlineData(2026, 10, 12, 9, 0, 2026, 10, 12, 9)] // nothing to add
    public void AddWorkingTime_Amount_SkipsDaysOff(int y, int m, int d, int h, int hours, int ey, int em, int ed, int eh)
    {
        var (at, provisional) = Calendar.AddWorkingTime(Local(y, m, d, h), Duration.FromHours(hours));

        Assert.Equal((Local(ey, em, ed, eh), false), (at, provisional));
    }

    [Fact]
    public void AddWorkingTime_PastTheEnteredCalendar_Provisional()
    {
        var calendar = Calendar2026.Through(new LocalDate(2026, 10, 9));

        var (at, provisional) = calendar.AddWorkingTime(Local(2026, 10, 9, 20), Duration.FromHours(6));

        Assert.Equal((Local(2026, 10, 12, 2), true), (at, provisional)); // Sat Oct 10 unknown: weekend rule
    }

    // RULEBOOK section 3 Decision (holds): hour clocks move by the elapsed paused time.
    [Fact]
    public void Pause_HourClock_DueAndWarningMoveByElapsedPausedTime()
    {
        var start = Local(2026, 10, 16, 10, 0);
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.Hours(12), start, Calendar);

        ClockRules.Pause(clock, start + Duration.FromHours(2), start + Duration.FromHours(5), Calendar);

        Assert.Equal(start + Duration.FromHours(15), clock.Due);
        Assert.Equal(start + Duration.FromHours(9), clock.WarnAt);
        Assert.Equal((Duration.FromHours(3), Duration.Zero), (clock.Paused, clock.PausedWorkingTime));
    }

    [Fact]
    public void Pause_HourClockOverAWeekend_MovesByTheWholeElapsedTime()
    {
        var start = Local(2026, 10, 16, 20, 0); // Friday
        var clock = ClockRules.Start(ClockKind.Resolve, ClockLimit.Hours(24), start, Calendar);

        ClockRules.Pause(clock, Local(2026, 10, 17), Local(2026, 10, 19), Calendar);

        Assert.Equal(start + Duration.FromHours(24 + 48), clock.Due);
    }

    [Fact]
    public void Pause_HourClockAlreadyWarned_WarningTimeKept()
    {
        var start = Local(2026, 10, 16, 10, 0);
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.Hours(12), start, Calendar);
        clock.Warned = true;

        ClockRules.Pause(clock, start + Duration.FromHours(7), start + Duration.FromHours(8), Calendar);

        Assert.Equal((start + Duration.FromHours(13), start + Duration.FromHours(6)), (clock.Due, clock.WarnAt));
    }

    [Fact]
    public void Pause_EmptyOrReversedHold_NothingMoves()
    {
        var start = Local(2026, 10, 16, 10, 0);
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.Hours(12), start, Calendar);

        ClockRules.Pause(clock, start + Duration.FromHours(3), start + Duration.FromHours(3), Calendar);
        ClockRules.Pause(clock, start + Duration.FromHours(3), start + Duration.FromHours(2), Calendar);

        Assert.Equal((start + Duration.FromHours(12), Duration.Zero), (clock.Due, clock.Paused));
    }

    // RULEBOOK section 3 Decision (holds): working-day clocks are recomputed from the paused working time only.
    [Theory]
    [InlineData(2026, 10, 17, 0, 2026, 10, 19, 0, 0, 2026, 10, 20, 0)] // hold over a weekend moves it by nothing
    [InlineData(2026, 10, 16, 22, 2026, 10, 19, 1, 3, 2026, 10, 20, 3)] // Fri 2 h + Mon 1 h of working time
    [InlineData(2026, 10, 16, 12, 2026, 10, 16, 14, 2, 2026, 10, 20, 2)]
    public void Pause_WorkingDayClock_MovesByPausedWorkingTime(
        int y1, int m1, int d1, int h1, int y2, int m2, int d2, int h2, int workingHours, int ey, int em, int ed, int eh)
    {
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.WorkingDays(1), Local(2026, 10, 16, 10, 0), Calendar); // Fri -> end of Mon

        ClockRules.Pause(clock, Local(y1, m1, d1, h1), Local(y2, m2, d2, h2), Calendar);

        Assert.Equal(Local(ey, em, ed, eh), clock.Due);
        Assert.Equal(Duration.FromHours(workingHours), clock.PausedWorkingTime);
        Assert.Equal(Local(y2, m2, d2, h2) - Local(y1, m1, d1, h1), clock.Paused);
    }

    [Fact]
    public void Pause_WorkingDayClockOverAWeekend_WarningDoesNotMove()
    {
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.WorkingDays(1), Local(2026, 10, 16, 10, 0), Calendar);
        var warnAt = clock.WarnAt;

        ClockRules.Pause(clock, Local(2026, 10, 17), Local(2026, 10, 19), Calendar);

        Assert.Equal((Local(2026, 10, 20), warnAt), (clock.Due, clock.WarnAt));
    }

    [Fact]
    public void Pause_WorkingDayClockAcrossNationalDay_OnlyWorkingTimeMovesItOntoTheMakeUpSaturday()
    {
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.WorkingDays(1), Local(2026, 9, 30, 10, 0), Calendar); // due end of Thu Oct 8

        ClockRules.Pause(clock, Local(2026, 9, 30, 12, 0), Local(2026, 10, 8, 12, 0), Calendar); // 12 h + 12 h working

        Assert.Equal(Local(2026, 10, 10), clock.Due); // end of Fri Oct 9
        Assert.Equal(Duration.FromHours(24), clock.PausedWorkingTime);
    }

    [Fact]
    public void Pause_WorkingDayClockDueOnFriday_MovesOntoTheMakeUpSaturday()
    {
        var clock = ClockRules.Start(ClockKind.Arrival, ClockLimit.WorkingDays(1), Local(2026, 10, 8, 10, 0), Calendar); // due end of Fri Oct 9

        ClockRules.Pause(clock, Local(2026, 10, 8, 11, 0), Local(2026, 10, 8, 13, 0), Calendar);

        Assert.Equal(Local(2026, 10, 10, 2, 0), clock.Due);
    }

    [Fact]
    public void Pause_WorkingDayClockPastTheEnteredCalendar_BecomesProvisional()
    {
        var calendar = Calendar2026.Through(new LocalDate(2026, 10, 9));
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.WorkingDays(1), Local(2026, 10, 8, 10, 0), calendar); // due end of Oct 9, known
        Assert.False(clock.Provisional);

        ClockRules.Pause(clock, Local(2026, 10, 8, 11, 0), Local(2026, 10, 8, 13, 0), calendar);

        Assert.Equal((Local(2026, 10, 12, 2, 0), true), (clock.Due, clock.Provisional)); // unknown Sat Oct 10 skipped
    }

    // Clock.IsBreachedAt: met after its due time, or still running (or stopped) past it.
    [Theory]
    [InlineData(11, null, 20, false)] // met in time
    [InlineData(12, null, 20, false)] // met exactly at the due time
    [InlineData(13, null, 20, true)] // met late
    [InlineData(null, null, 12, false)] // running, at the due time
    [InlineData(null, null, 13, true)] // running, past it
    [InlineData(null, 10, 20, false)] // stopped before the due time
    [InlineData(null, 14, 20, true)] // stopped after it: the breach stands
    public void IsBreachedAt_MetStoppedOrRunning_BreachedOnlyPastTheDueTime(int? metHour, int? stoppedHour, int nowHour, bool breached)
    {
        var start = Local(2026, 10, 12);
        var clock = ClockRules.Start(ClockKind.Reply, ClockLimit.Hours(12), start, Calendar);
        clock.Met = metHour is { } met ? start + Duration.FromHours(met) : null;
        clock.Stopped = stoppedHour is { } stopped ? start + Duration.FromHours(stopped) : null;

        var result = clock.IsBreachedAt(start + Duration.FromHours(nowHour));

        Assert.Equal(breached, result);
    }
}
