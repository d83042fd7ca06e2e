using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using PartnerExchange.Data.Entities;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Seeding;

/// <summary>
/// Loads the demo data in <c>seeds/</c>: reads and checks every file first, then inserts, in one transaction, the rows
/// whose keys are absent. Existing rows are never changed, so loading twice changes nothing. A partner's contacts are
/// inserted only together with the partner.
/// </summary>
internal static partial class SeedLoader
{
    public const string PartnersFileName = "partners.json";
    public const string CatalogueFileName = "service-catalogue.json";
    public const string ClientsFileName = "clients.json";
    public const string PeopleFileName = "people.json";
    public const string CalendarFilePattern = "calendar-*.json";
    public const string BusinessTimeZone = "Asia/Shanghai";

    // Serializes concurrent seeding by several server instances on one PostgreSQL database.
    private const long SeedLockKey = 0x5058_5345_4544; // "PXSEED"

    public static async Task<SeedLoadResult> LoadAsync(
        PartnerExchangeDbContext db, IOpenIddictApplicationManager applications, string seedsDirectory, string environmentName, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(seedsDirectory);
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(time);

        var seeds = ReadAll(seedsDirectory, environmentName);
        var now = time.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
        }

        var result = await InsertAbsentAsync(db, seeds, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // OpenIddict writes applications through its own store, so clients follow the transaction; each is created
        // only when absent, so loading twice creates nothing twice.
        return result with { Clients = await RegisterAbsentClientsAsync(applications, seeds.Clients, now, cancellationToken) };
    }

    /// <summary>
    /// On a database seeded before, creates the demo clients of the seeds that are absent (the database initializer
    /// calls it when the identity migration left no client at all); nothing in Production, where demo clients are refused.
    /// Returns how many were created.
    /// </summary>
    public static async Task<int> RegisterAbsentClientsAsync(
        IOpenIddictApplicationManager applications, string seedsDirectory, string environmentName, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var seeds = ReadAll(seedsDirectory, environmentName);
        return await RegisterAbsentClientsAsync(applications, seeds.Clients, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Reads and validates every seed file; throws before anything is written.</summary>
    internal static Seeds ReadAll(string seedsDirectory, string environmentName)
    {
        var directory = Path.GetFullPath(seedsDirectory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Seeds directory '{directory}' does not exist.");
        }

        var clientsPath = Path.Combine(directory, ClientsFileName);
        if (File.Exists(clientsPath) && string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Seed file '{clientsPath}' holds demo client credentials, which are refused in the Production environment; "
                + "remove it from the seeds directory and provision real clients.");
        }

        var peoplePath = Path.Combine(directory, PeopleFileName);
        if (File.Exists(peoplePath) && string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Seed file '{peoplePath}' holds demo people's passwords, which are refused in the Production environment; "
                + "remove it from the seeds directory and add accounts with the accounts command.");
        }

        var partnersPath = Path.Combine(directory, PartnersFileName);
        var partners = SeedReader.Read<PartnersFile>(partnersPath);
        ValidatePartners(partnersPath, partners);
        var partnerIds = partners.Partners.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

        var cataloguePath = Path.Combine(directory, CatalogueFileName);
        var catalogue = SeedReader.Read<ServiceCatalogueFile>(cataloguePath);
        ValidateCatalogue(cataloguePath, catalogue, partnerIds);

        var calendarPaths = Directory.GetFiles(directory, CalendarFilePattern).Order(StringComparer.Ordinal).ToArray();
        if (calendarPaths.Length == 0)
        {
            throw new FileNotFoundException(
                $"Seed file '{Path.Combine(directory, CalendarFilePattern)}' is missing: at least one calendar year is required.");
        }

        var calendarDays = new List<CalendarDay>();
        foreach (var path in calendarPaths)
        {
            var calendar = SeedReader.Read<CalendarFile>(path);
            calendarDays.AddRange(ExpandCalendar(path, calendar));
        }

        var duplicateDay = calendarDays.GroupBy(d => d.Date).FirstOrDefault(g => g.Count() > 1);
        if (duplicateDay is not null)
        {
            throw SeedReader.Invalid(calendarPaths[0], $"the day {duplicateDay.Key:yyyy-MM-dd} is in more than one calendar file.");
        }

        var clients = File.Exists(clientsPath) ? SeedReader.Read<ClientsFile>(clientsPath) : new ClientsFile([]);
        ValidateClients(clientsPath, clients, partnerIds);
        return new Seeds(partners, catalogue, calendarDays, clients);
    }

    /// <summary>Expands one year's holiday schedule into a row for every day of the year.</summary>
    internal static IEnumerable<CalendarDay> ExpandCalendar(string path, CalendarFile calendar)
    {
        if (calendar.TimeZone != BusinessTimeZone)
        {
            throw SeedReader.Invalid(path, $"timeZone is '{calendar.TimeZone}', but the business calendar is kept in {BusinessTimeZone}.");
        }

        if (calendar.Year is < 2000 or > 2999)
        {
            throw SeedReader.Invalid(path, $"year {calendar.Year} is out of range.");
        }

        var holidayOf = new Dictionary<DateOnly, string>();
        var makeUpOf = new Dictionary<DateOnly, string>();
        foreach (var holiday in calendar.Holidays)
        {
            if (string.IsNullOrWhiteSpace(holiday.Name) || holiday.FirstDayOff > holiday.LastDayOff
                || holiday.FirstDayOff.Year != calendar.Year || holiday.LastDayOff.Year != calendar.Year)
            {
                throw SeedReader.Invalid(path, $"holiday '{holiday.Name}' needs a name and days off within {calendar.Year}, first day not after the last.");
            }

            for (var day = holiday.FirstDayOff; day <= holiday.LastDayOff; day = day.AddDays(1))
            {
                if (!holidayOf.TryAdd(day, holiday.Name))
                {
                    throw SeedReader.Invalid(path, $"{day:yyyy-MM-dd} is off for both '{holidayOf[day]}' and '{holiday.Name}'.");
                }
            }

            foreach (var day in holiday.MakeUpWorkingDays)
            {
                if (day.Year != calendar.Year || !IsWeekend(day) || !makeUpOf.TryAdd(day, holiday.Name))
                {
                    throw SeedReader.Invalid(path, $"make-up working day {day:yyyy-MM-dd} of '{holiday.Name}' must be a Saturday or Sunday of {calendar.Year}, listed once.");
                }
            }
        }

        var clash = makeUpOf.Keys.FirstOrDefault(holidayOf.ContainsKey);
        if (makeUpOf.ContainsKey(clash))
        {
            throw SeedReader.Invalid(path, $"{clash:yyyy-MM-dd} is both a day off and a make-up working day.");
        }

        for (var day = new DateOnly(calendar.Year, 1, 1); day.Year == calendar.Year; day = day.AddDays(1))
        {
            // A make-up working day carries the name of the holiday it makes up for (contract: CalendarDay.holiday_name).
            var dayOffFor = holidayOf.GetValueOrDefault(day);
            var makeUpFor = makeUpOf.GetValueOrDefault(day);
            yield return new CalendarDay
            {
                Date = day,
                HolidayName = dayOffFor ?? makeUpFor,
                IsMakeUpDay = makeUpFor is not null,
                IsWorkingDay = makeUpFor is not null || (dayOffFor is null && !IsWeekend(day)),
            };
        }
    }

    private static async Task<SeedLoadResult> InsertAbsentAsync(
        PartnerExchangeDbContext db, Seeds seeds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existingPartners = await db.Partners.Select(p => p.Id).ToHashSetAsync(cancellationToken);
        var existingSubscriberBases = (await db.SubscriberBases.Select(b => new { b.PartnerId, b.Month }).ToListAsync(cancellationToken))
            .Select(b => (b.PartnerId, b.Month)).ToHashSet();
        var existingSettlementBases = (await db.SettlementBases.Select(b => new { b.PartnerId, b.Month }).ToListAsync(cancellationToken))
            .Select(b => (b.PartnerId, b.Month)).ToHashSet();
        var existingServices = await db.ServiceCatalogue.Select(s => s.ServiceCode).ToHashSetAsync(cancellationToken);
        var existingDays = await db.CalendarDays.Select(d => d.Date).ToHashSetAsync(cancellationToken);

        int partners = 0, contacts = 0, subscriberBases = 0, settlementBases = 0;
        foreach (var seed in seeds.Partners.Partners)
        {
            if (existingPartners.Add(seed.Id))
            {
                partners++;
                var partner = new Partner
                {
                    Id = seed.Id,
                    DisplayName = seed.DisplayName,
                    Kind = seed.Kind,
                    Mode = seed.Mode,
                    Status = PartnerStatus.Active,
                    SettlementState = SettlementState.Normal,
                    SettlementCurrency = seed.Kind == PartnerKind.ServiceIntegrator ? seed.SettlementBases.FirstOrDefault()?.Currency ?? "CNY" : null,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                foreach (var contact in seed.Contacts)
                {
                    contacts++;
                    partner.Contacts.Add(new PartnerContact
                    {
                        PartnerId = seed.Id,
                        Kind = contact.Kind,
                        Value = contact.Value,
                        ContactName = contact.ContactName,
                        EffectiveFrom = contact.EffectiveFrom,
                        NotifiedAt = now,
                    });
                }

                db.Partners.Add(partner);
            }

            foreach (var basis in seed.SubscriberBases.Where(b => existingSubscriberBases.Add((seed.Id, b.Month))))
            {
                subscriberBases++;
                db.SubscriberBases.Add(new SubscriberBase
                {
                    PartnerId = seed.Id, Month = basis.Month, BilledUsers = basis.BilledUsers, GroupCustomers = basis.GroupCustomers,
                });
            }

            foreach (var basis in seed.SettlementBases.Where(b => existingSettlementBases.Add((seed.Id, b.Month))))
            {
                settlementBases++;
                db.SettlementBases.Add(new SettlementBasis
                {
                    PartnerId = seed.Id, Month = basis.Month, GrossAmountMinor = basis.GrossAmountMinor, Currency = basis.Currency,
                });
            }
        }

        var services = seeds.Catalogue.Services.Where(s => existingServices.Add(s.ServiceCode))
            .Select(s => new ServiceCatalogueEntry { ServiceCode = s.ServiceCode, ServiceName = s.ServiceName, PartnerId = s.PartnerId })
            .ToList();
        db.ServiceCatalogue.AddRange(services);

        var days = seeds.CalendarDays.Where(d => existingDays.Add(d.Date)).ToList();
        db.CalendarDays.AddRange(days);

        return new SeedLoadResult(partners, contacts, subscriberBases, settlementBases, services.Count, days.Count, Clients: 0);
    }

    /// <summary>
    /// When the database holds no person's account at all, adds the demo people of <c>people.json</c> (if the seeds
    /// have one) through Identity, which hashes their passwords; nothing in Production, where demo people are refused.
    /// Returns how many were added.
    /// </summary>
    public static async Task<int> RegisterAbsentPeopleAsync(
        PartnerExchangeDbContext db, PersonAccountManager people, string seedsDirectory, string environmentName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(people);
        var path = Path.Combine(Path.GetFullPath(seedsDirectory), PeopleFileName);
        if (string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)
            || await db.PersonAccounts.AnyAsync(cancellationToken))
        {
            return 0;
        }

        var file = SeedReader.Read<PeopleFile>(path);
        ValidatePeople(path, file);
        var created = 0;
        foreach (var person in file.People)
        {
            if (await people.FindByNameAsync(person.UserName) is not null)
            {
                continue;
            }

            try
            {
                await people.AddAsync(person.UserName, person.Role, person.PartnerId, person.Password);
                created++;
            }
            catch (Exception ex) when (ex is DbUpdateException or PersonAccountException)
            {
                // Another instance starting on the same database may have added it first; anything else is a failure.
                if (await people.FindByNameAsync(person.UserName) is null)
                {
                    throw new InvalidDataException($"Seed file '{path}': {ex.Message}", ex);
                }
            }
        }

        return created;
    }

    private static async Task<int> RegisterAbsentClientsAsync(
        IOpenIddictApplicationManager applications, ClientsFile clients, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var client in clients.Clients)
        {
            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
            {
                continue;
            }

            try
            {
                await applications.CreateAsync(
                    ClientApplications.Describe(client.ClientId, client.Secret, client.Role, client.PartnerId, client.DisplayName, now), cancellationToken);
                created++;
            }
            catch (DbUpdateException)
            {
                // Another instance starting on the same database may have created it first; anything else is a failure.
                if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is null)
                {
                    throw;
                }
            }
        }

        return created;
    }

    private static void ValidatePartners(string path, PartnersFile file)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var partner in file.Partners)
        {
            if (!PartnerIdPattern().IsMatch(partner.Id) || !ids.Add(partner.Id))
            {
                throw SeedReader.Invalid(path, $"partner id '{partner.Id}' must be a unique slug of lower-case letters, digits and '-' (2 to 63 characters).");
            }

            if (string.IsNullOrWhiteSpace(partner.DisplayName))
            {
                throw SeedReader.Invalid(path, $"partner '{partner.Id}' has no displayName.");
            }

            if ((partner.Kind == PartnerKind.ServiceIntegrator) != partner.Mode.HasValue)
            {
                throw SeedReader.Invalid(path, $"partner '{partner.Id}': an SI needs an assessment mode (C or Emp); the platform operator has none.");
            }

            if (partner.Contacts.Any(c => string.IsNullOrWhiteSpace(c.Value)))
            {
                throw SeedReader.Invalid(path, $"partner '{partner.Id}' has a contact without a value.");
            }

            foreach (var month in partner.SubscriberBases.Select(b => b.Month).Concat(partner.SettlementBases.Select(b => b.Month)))
            {
                if (!MonthPattern().IsMatch(month))
                {
                    throw SeedReader.Invalid(path, $"partner '{partner.Id}': month '{month}' is not YYYY-MM.");
                }
            }

            if (partner.SubscriberBases.GroupBy(b => b.Month).Any(g => g.Count() > 1)
                || partner.SettlementBases.GroupBy(b => b.Month).Any(g => g.Count() > 1))
            {
                throw SeedReader.Invalid(path, $"partner '{partner.Id}' lists a month twice.");
            }

            if (partner.SubscriberBases.Any(b => b.BilledUsers < 0 || b.GroupCustomers < 0)
                || partner.SettlementBases.Any(b => b.GrossAmountMinor < 0 || !Money.IsCurrencyCode(b.Currency)))
            {
                throw SeedReader.Invalid(path, $"partner '{partner.Id}': counts and amounts must not be negative and currencies must be ISO 4217 codes.");
            }
        }
    }

    private static void ValidateCatalogue(string path, ServiceCatalogueFile file, HashSet<string> partnerIds)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in file.Services)
        {
            if (string.IsNullOrWhiteSpace(service.ServiceCode) || service.ServiceCode.Length > 32 || !codes.Add(service.ServiceCode))
            {
                throw SeedReader.Invalid(path, $"service code '{service.ServiceCode}' must be unique, non-empty and at most 32 characters.");
            }

            if (!partnerIds.Contains(service.PartnerId))
            {
                throw SeedReader.Invalid(path, $"service '{service.ServiceCode}' names the unknown partner '{service.PartnerId}'.");
            }
        }
    }

    private static void ValidateClients(string path, ClientsFile file, HashSet<string> partnerIds)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var client in file.Clients)
        {
            if (string.IsNullOrWhiteSpace(client.ClientId) || client.ClientId.Length > 64 || !ids.Add(client.ClientId))
            {
                throw SeedReader.Invalid(path, $"client id '{client.ClientId}' must be unique, non-empty and at most 64 characters.");
            }

            if (string.IsNullOrEmpty(client.Secret))
            {
                throw SeedReader.Invalid(path, $"client '{client.ClientId}' has no secret.");
            }

            if (!ClientRoles.All.Contains(client.Role))
            {
                throw SeedReader.Invalid(path, $"client '{client.ClientId}' has the unknown role '{client.Role}'; known: {string.Join(", ", ClientRoles.All)}.");
            }

            if (ClientRoles.RequiresPartner(client.Role) ? client.PartnerId is null || !partnerIds.Contains(client.PartnerId) : client.PartnerId is not null)
            {
                throw SeedReader.Invalid(path, string.Create(CultureInfo.InvariantCulture,
                    $"client '{client.ClientId}': role '{client.Role}' {(ClientRoles.RequiresPartner(client.Role) ? "needs a known partnerId" : "takes no partnerId")}."));
            }
        }
    }

    private static void ValidatePeople(string path, PeopleFile file)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var person in file.People)
        {
            if (string.IsNullOrWhiteSpace(person.UserName) || person.UserName.Length > 64 || !names.Add(person.UserName))
            {
                throw SeedReader.Invalid(path, $"user name '{person.UserName}' must be unique, non-empty and at most 64 characters.");
            }

            if (string.IsNullOrEmpty(person.Password))
            {
                throw SeedReader.Invalid(path, $"person '{person.UserName}' has no password.");
            }

            if (!ClientRoles.People.Contains(person.Role))
            {
                throw SeedReader.Invalid(path, $"person '{person.UserName}' has the role '{person.Role}'; a person's role is one of {string.Join(", ", ClientRoles.People)}.");
            }

            if (ClientRoles.RequiresPartner(person.Role) != person.PartnerId is not null)
            {
                throw SeedReader.Invalid(path, $"person '{person.UserName}': role '{person.Role}' {(ClientRoles.RequiresPartner(person.Role) ? "needs a partnerId" : "takes no partnerId")}.");
            }
        }
    }

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PartnerIdPattern();

    [GeneratedRegex("^[0-9]{4}-(0[1-9]|1[0-2])$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthPattern();

    /// <summary>Everything read from one seeds directory, checked.</summary>
    internal sealed record Seeds(PartnersFile Partners, ServiceCatalogueFile Catalogue, IReadOnlyList<CalendarDay> CalendarDays, ClientsFile Clients);
}
