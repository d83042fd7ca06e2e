using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Calendars;

namespace PartnerExchange.Domain;

/// <summary>A reporting period: a calendar month or an ISO week (Monday to Sunday), both in Asia/Shanghai.</summary>
/// <param name="Key">How resource names write it: <c>YYYY-MM</c> or <c>YYYY-Www</c>.</param>
/// <param name="First">Its first day.</param>
/// <param name="Next">The first day after it.</param>
public sealed record ReportPeriod(string Key, LocalDate First, LocalDate Next)
{
    /// <summary>Gets the first instant of the period.</summary>
    public Instant Start => BusinessCalendar.StartOf(First);

    /// <summary>Gets the first instant after the period.</summary>
    public Instant End => BusinessCalendar.StartOf(Next);

    /// <summary>The calendar month <paramref name="year"/>-<paramref name="month"/>.</summary>
    public static ReportPeriod Month(int year, int month)
    {
        var first = new LocalDate(year, month, 1);
        return new ReportPeriod(string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}"), first, first.PlusMonths(1));
    }

    /// <summary>The ISO week <paramref name="week"/> of week-year <paramref name="weekYear"/>.</summary>
    public static ReportPeriod Week(int weekYear, int week)
    {
        var monday = LocalDate.FromWeekYearWeekAndDay(weekYear, week, IsoDayOfWeek.Monday);
        return new ReportPeriod(string.Create(CultureInfo.InvariantCulture, $"{weekYear:D4}-W{week:D2}"), monday, monday.PlusWeeks(1));
    }
}

/// <summary>The resource names of the report service.</summary>
public static partial class ReportNames
{
    /// <summary>The (partner, month) of <c>partners/{partner}/serviceAnalysisReports/{YYYY-MM}</c>, or <c>null</c> with a violation.</summary>
    public static (string PartnerId, ReportPeriod Month)? ServiceAnalysisReport(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = ReportNamePattern().Match(name ?? string.Empty);
        if (match.Success && ReadMonth(match.Groups[2].Value) is { } month)
        {
            return (match.Groups[1].Value, month);
        }

        violations.Add(new FieldViolation(field, "must be a report's resource name, \"partners/{partner}/serviceAnalysisReports/{YYYY-MM}\"."));
        return null;
    }

    /// <summary>The resource name of a partner's report of a month.</summary>
    public static string ServiceAnalysisReportName(string partnerId, ReportPeriod month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return $"partners/{partnerId}/serviceAnalysisReports/{month.Key}";
    }

    /// <summary>
    /// The (partner, period) of <c>partners/{partner}/serviceAnalyses/{period}</c>, the period <c>YYYY-MM</c> or an ISO
    /// week <c>YYYY-Www</c>, or <c>null</c> with a violation.
    /// </summary>
    public static (string PartnerId, ReportPeriod Period)? ServiceAnalysis(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = AnalysisNamePattern().Match(name ?? string.Empty);
        if (match.Success && (ReadMonth(match.Groups[2].Value) ?? ReadWeek(match.Groups[2].Value)) is { } period)
        {
            return (match.Groups[1].Value, period);
        }

        violations.Add(new FieldViolation(
            field, "must be an analysis's resource name, \"partners/{partner}/serviceAnalyses/{period}\", the period \"YYYY-MM\" or an ISO week \"YYYY-Www\"."));
        return null;
    }

    /// <summary>The date of <c>dailyOpenOrdersNotices/{YYYY-MM-DD}</c>, or <c>null</c> with a violation.</summary>
    public static LocalDate? DailyOpenOrdersNotice(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = NoticeNamePattern().Match(name ?? string.Empty);
        if (match.Success && DateOnly.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year >= 2000)
        {
            return LocalDate.FromDateOnly(date);
        }

        violations.Add(new FieldViolation(field, "must be a notice's resource name, \"dailyOpenOrdersNotices/{YYYY-MM-DD}\", with a valid date."));
        return null;
    }

    /// <summary>The month <paramref name="year"/>-<paramref name="month"/> when both are in range (2000 to 9999, 1 to 12).</summary>
    public static ReportPeriod? ReadMonth(int year, int month) => year is >= 2000 and <= 9999 && month is >= 1 and <= 12 ? ReportPeriod.Month(year, month) : null;

    private static ReportPeriod? ReadMonth(string text)
    {
        var match = MonthPattern().Match(text);
        return match.Success ? ReadMonth(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)) : null;
    }

    private static ReportPeriod? ReadWeek(string text)
    {
        var match = WeekPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var week = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return year is >= 2000 and <= 9998 && week >= 1 && week <= WeekYearRules.Iso.GetWeeksInWeekYear(year) ? ReportPeriod.Week(year, week) : null;
    }

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/serviceAnalysisReports/([0-9]{4}-[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ReportNamePattern();

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/serviceAnalyses/([0-9]{4}-W?[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex AnalysisNamePattern();

    [GeneratedRegex("^dailyOpenOrdersNotices/([0-9]{4}-[0-9]{2}-[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex NoticeNamePattern();

    [GeneratedRegex("^([0-9]{4})-([0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthPattern();

    [GeneratedRegex("^([0-9]{4})-W([0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex WeekPattern();
}
