using PartnerExchange.Domain;

namespace PartnerExchange.Data.Seeding;

// The JSON shapes of the files in seeds/. Every property is required unless nullable; unknown properties are errors.

/// <summary><c>partners.json</c>: the partners with their contacts and monthly bases.</summary>
internal sealed record PartnersFile(IReadOnlyList<PartnerSeed> Partners);

internal sealed record PartnerSeed(
    string Id,
    string DisplayName,
    PartnerKind Kind,
    AssessmentMode? Mode,
    IReadOnlyList<ContactSeed> Contacts,
    IReadOnlyList<SubscriberBaseSeed> SubscriberBases,
    IReadOnlyList<SettlementBasisSeed> SettlementBases);

internal sealed record ContactSeed(ContactKind Kind, string Value, string? ContactName, DateOnly EffectiveFrom);

internal sealed record SubscriberBaseSeed(string Month, long BilledUsers, long GroupCustomers);

internal sealed record SettlementBasisSeed(string Month, long GrossAmountMinor, string Currency);

/// <summary><c>service-catalogue.json</c>: service codes and the partner responsible for each.</summary>
internal sealed record ServiceCatalogueFile(IReadOnlyList<ServiceSeed> Services);

internal sealed record ServiceSeed(string ServiceCode, string ServiceName, string PartnerId);

/// <summary><c>calendar-YYYY.json</c>: one year's holiday schedule; every other weekday is a working day.</summary>
internal sealed record CalendarFile(int Year, string TimeZone, string Source, IReadOnlyList<HolidaySeed> Holidays);

internal sealed record HolidaySeed(string Name, DateOnly FirstDayOff, DateOnly LastDayOff, IReadOnlyList<DateOnly> MakeUpWorkingDays);

/// <summary><c>clients.json</c>: demo client credentials, one or more per role; refused in Production.</summary>
internal sealed record ClientsFile(IReadOnlyList<ClientSeed> Clients);

internal sealed record ClientSeed(string ClientId, string Secret, string Role, string? PartnerId, string? DisplayName);

/// <summary><c>people.json</c>: demo people's accounts with their passwords, one or more per role; refused in Production.</summary>
internal sealed record PeopleFile(IReadOnlyList<PersonSeed> People);

internal sealed record PersonSeed(string UserName, string Password, string Role, string? PartnerId);

/// <summary>How many rows one seed load inserted; all zero when everything was already there.</summary>
internal sealed record SeedLoadResult(
    int Partners,
    int Contacts,
    int SubscriberBases,
    int SettlementBases,
    int CatalogueEntries,
    int CalendarDays,
    int Clients)
{
    public int Total => Partners + Contacts + SubscriberBases + SettlementBases + CatalogueEntries + CalendarDays + Clients;
}
