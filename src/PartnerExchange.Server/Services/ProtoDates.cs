using NodaTime;
using PartnerExchange.Domain;
using ProtoDate = PartnerExchange.Contracts.V1.Date;

namespace PartnerExchange.Server.Services;

/// <summary>Reads and writes the contract's <c>Date</c> message (a calendar date in Asia/Shanghai) and reads timestamps.</summary>
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

    /// <summary>The month in <paramref name="value"/> (years 2000 to 9999), or <c>null</c> with a violation when missing or out of range.</summary>
    public static YearMonth? ReadMonth(Contracts.V1.YearMonth? value, string field, List<FieldViolation> violations)
    {
        if (value is null)
        {
            violations.Add(new FieldViolation(field, "is required."));
            return null;
        }

        if (value.Year is < 2000 or > 9999)
        {
            violations.Add(new FieldViolation(field + ".year", "must be 2000 to 9999."));
            return null;
        }

        if (value.Month is < 1 or > 12)
        {
            violations.Add(new FieldViolation(field + ".month", "must be 1 to 12."));
            return null;
        }

        return new YearMonth(value.Year, value.Month);
    }

    /// <summary>The contract's month of <paramref name="month"/>.</summary>
    public static Contracts.V1.YearMonth WriteMonth(YearMonth month) => new() { Year = month.Year, Month = month.Month };

    /// <summary>
    /// The instant in <paramref name="value"/>, <c>null</c> when it is not set, or <c>null</c> after adding a
    /// violation on <paramref name="field"/> when it lies outside the years 1 to 9999 or has invalid nanoseconds.
    /// </summary>
    public static DateTimeOffset? ReadInstant(Google.Protobuf.WellKnownTypes.Timestamp? value, string field, List<FieldViolation> violations)
    {
        if (value is null)
        {
            return null;
        }

        // Timestamp's own range (google/protobuf/timestamp.proto): 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
        if (value.Seconds is < -62_135_596_800 or > 253_402_300_799 || value.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(new FieldViolation(field, "must be a valid timestamp between the years 1 and 9999."));
            return null;
        }

        return value.ToDateTimeOffset();
    }

    public static ProtoDate Write(LocalDate date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };
}
