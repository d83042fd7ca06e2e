using NodaTime;
using PartnerExchange.Domain;
using ProtoDate = PartnerExchange.Contracts.V1.Date;

namespace PartnerExchange.Server.Services;

/// <summary>Reads and writes the contract's <c>Date</c> message (a calendar date in Asia/Shanghai).</summary>
internal static class ProtoDates
{
    /// <summary>
    /// The date in <paramref name="value"/>, or <c>null</c> after adding a violation on <paramref name="field"/> when it
    /// is missing, outside the years 2000 to 9999, or not a real date (month 13, February 30).
    /// </summary>
    public static LocalDate? Read(ProtoDate? value, string field, List<FieldViolation> violations)
    {
        if (value is null)
        {
            violations.Add(new FieldViolation(field, "is required."));
            return null;
        }

        if (value.Year is < 2000 or > 9999)
        {
            violations.Add(new FieldViolation($"{field}.year", "must be from 2000 to 9999."));
            return null;
        }

        if (value.Month is < 1 or > 12)
        {
            violations.Add(new FieldViolation($"{field}.month", "must be from 1 to 12."));
            return null;
        }

        var daysInMonth = CalendarSystem.Iso.GetDaysInMonth(value.Year, value.Month);
        if (value.Day < 1 || value.Day > daysInMonth)
        {
            violations.Add(new FieldViolation($"{field}.day", $"must be from 1 to {daysInMonth} in {value.Year:D4}-{value.Month:D2}."));
            return null;
        }

        return new LocalDate(value.Year, value.Month, value.Day);
    }

    public static ProtoDate Write(LocalDate date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static LocalDate FromDateOnly(DateOnly date) => new(date.Year, date.Month, date.Day);

    public static DateOnly ToDateOnly(LocalDate date) => new(date.Year, date.Month, date.Day);
}
