namespace PartnerExchange.Data.Entities;

/// <summary>One day of the carrier's business calendar (Asia/Shanghai), as announced in the holiday schedule.</summary>
public sealed class CalendarDay
{
    /// <summary>Gets or sets the local date.</summary>
    public DateOnly Date { get; set; }

    /// <summary>Gets or sets whether the day is a working day.</summary>
    public bool IsWorkingDay { get; set; }

    /// <summary>Gets or sets the public holiday this day off, or this make-up working day, belongs to; <c>null</c> for an ordinary day.</summary>
    public string? HolidayName { get; set; }

    /// <summary>Gets or sets whether this is a weekend day made a working day by the holiday schedule.</summary>
    public bool IsMakeUpDay { get; set; }
}
