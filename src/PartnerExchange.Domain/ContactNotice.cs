using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>
/// How much notice a customer-service change gave (rulebook section 3): the working days after the calendar day of the
/// notice up to and including the effective date, and whether they reach the required 15.
/// </summary>
/// <param name="NoticeDate">The day the carrier was notified (Asia/Shanghai).</param>
/// <param name="EffectiveDate">The first day the new contacts apply.</param>
/// <param name="WorkingDays">Working days after <paramref name="NoticeDate"/> up to and including <paramref name="EffectiveDate"/>.</param>
/// <param name="EarliestCompliantDate">The 15th working day after the notice day: the earliest effective date that meets the rule.</param>
/// <param name="Provisional">Whether a day counted lies outside the entered calendar (weekend-only rule).</param>
public sealed record ContactNotice(LocalDate NoticeDate, LocalDate EffectiveDate, int WorkingDays, LocalDate EarliestCompliantDate, bool Provisional)
{
    /// <summary>The working days of notice the rulebook asks for (section 3).</summary>
    public const int RequiredWorkingDays = 15;

    /// <summary>Gets whether the notice met the rule: the effective date is on or after the 15th working day after the notice day.</summary>
    public bool Met => EffectiveDate >= EarliestCompliantDate;

    /// <summary>
    /// The notice of a change announced on <paramref name="noticeDate"/> that takes effect on <paramref name="effectiveDate"/>
    /// (section 3 Decision: the earliest allowed effective date is the 15th working day after the calendar day of the
    /// announcement; days off are skipped, make-up working days count).
    /// </summary>
    public static ContactNotice Of(BusinessCalendar calendar, LocalDate noticeDate, LocalDate effectiveDate)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var workingDays = 0;
        var provisional = false;
        for (var date = noticeDate.PlusDays(1); date <= effectiveDate; date = date.PlusDays(1))
        {
            var day = calendar.Day(date);
            if (day.IsWorkingDay)
            {
                workingDays++;
                provisional |= day.IsProvisional;
            }
        }

        var earliest = noticeDate;
        for (var counted = 0; counted < RequiredWorkingDays;)
        {
            earliest = earliest.PlusDays(1);
            if (calendar.Day(earliest).IsWorkingDay)
            {
                counted++;
            }
        }

        return new ContactNotice(noticeDate, effectiveDate, workingDays, earliest, provisional);
    }
}
