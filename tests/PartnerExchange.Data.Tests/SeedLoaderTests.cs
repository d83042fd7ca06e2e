using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Entities;
using PartnerExchange.Data.Seeding;
using PartnerExchange.Data.Tests.Infrastructure;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Tests;

public sealed class SeedLoaderTests
{
    private static readonly TimeProvider Clock = new FixedTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LoadAsync_EmptyDatabase_LoadsSisInBothModesAndPlatformOperator(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await MigratedAsync(provider);
        await using var db = database.CreateContext();

        // Act
        var result = await SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Development", Clock, CancellationToken.None).DefaultTimeout();

        // Assert
        var partners = await db.Partners.Include(p => p.Contacts).ToListAsync().DefaultTimeout();
        Assert.Equal(partners.Count, result.Partners);
        var sis = partners.Where(p => p.Kind == PartnerKind.ServiceIntegrator).ToList();
        Assert.True(sis.Count >= 4, "at least four SIs");
        Assert.Contains(sis, p => p.Mode == AssessmentMode.C);
        Assert.Contains(sis, p => p.Mode == AssessmentMode.Emp);
        var platform = Assert.Single(partners, p => p.Kind == PartnerKind.PlatformOperator);
        Assert.Null(platform.Mode);
        Assert.All(partners, p => Assert.Equal((PartnerStatus.Active, SettlementState.Normal, 0), (p.Status, p.SettlementState, p.Version)));
        Assert.All(sis, p => Assert.Equal(
            Enum.GetValues<ContactKind>().Order(), p.Contacts.Select(c => c.Kind).Distinct().Order()));
        foreach (var si in sis)
        {
            Assert.NotEmpty(await db.SubscriberBases.Where(b => b.PartnerId == si.Id && b.Month.StartsWith("2026-")).ToListAsync().DefaultTimeout());
            Assert.NotEmpty(await db.SettlementBases.Where(b => b.PartnerId == si.Id && b.Currency == "CNY" && b.GrossAmountMinor > 0).ToListAsync().DefaultTimeout());
        }

        var catalogue = await db.ServiceCatalogue.ToListAsync().DefaultTimeout();
        Assert.Contains(catalogue, s => s.PartnerId == platform.Id);
        Assert.All(sis, si => Assert.Contains(catalogue, s => s.PartnerId == si.Id));
        var roles = await ClientBindingsAsync(database);
        Assert.Equal(ClientRoles.All.Order(), roles.Values.Select(b => b.Role).Distinct().Order());
        Assert.Equal(365, await db.CalendarDays.CountAsync().DefaultTimeout());
    }

    // Facts from the RULEBOOK appendix (2026 holiday schedule, State Council notice of 2025-11-04).
    [Theory]
    [InlineData("2026-01-01", false, "New Year", false)]
    [InlineData("2026-01-03", false, "New Year", false)]
    [InlineData("2026-01-04", true, "New Year", true)] // working Sunday
    [InlineData("2026-02-14", true, "Spring Festival", true)] // working Saturday
    [InlineData("2026-02-15", false, "Spring Festival", false)]
    [InlineData("2026-02-18", false, "Spring Festival", false)] // a Wednesday off
    [InlineData("2026-02-23", false, "Spring Festival", false)]
    [InlineData("2026-02-24", true, null, false)]
    [InlineData("2026-02-28", true, "Spring Festival", true)]
    [InlineData("2026-04-06", false, "Qingming", false)]
    [InlineData("2026-05-05", false, "Labour Day", false)]
    [InlineData("2026-05-06", true, null, false)] // an ordinary working Wednesday
    [InlineData("2026-05-09", true, "Labour Day", true)]
    [InlineData("2026-06-19", false, "Dragon Boat", false)]
    [InlineData("2026-09-20", true, "National Day", true)] // working Sunday
    [InlineData("2026-09-25", false, "Mid-Autumn", false)]
    [InlineData("2026-10-07", false, "National Day", false)]
    [InlineData("2026-10-10", true, "National Day", true)] // working Saturday
    [InlineData("2026-10-11", false, null, false)] // an ordinary Sunday
    [InlineData("2026-12-31", true, null, false)]
    public async Task LoadAsync_Calendar2026_DayMatchesRulebookAppendix(string date, bool working, string? holiday, bool makeUp)
    {
        // Arrange
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        await SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Development", Clock, CancellationToken.None).DefaultTimeout();

        // Assert
        var day = await db.CalendarDays.SingleAsync(d => d.Date == DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)).DefaultTimeout();
        Assert.Equal((working, holiday, makeUp), (day.IsWorkingDay, day.HolidayName, day.IsMakeUpDay));
    }

    [Fact]
    public async Task LoadAsync_Calendar2026_ExactlyTheAppendixDaysOffAndMakeUpDays()
    {
        // Arrange: RULEBOOK appendix.
        var expectedOff = new[] { ("2026-01-01", 3), ("2026-02-15", 9), ("2026-04-04", 3), ("2026-05-01", 5), ("2026-06-19", 3), ("2026-09-25", 3), ("2026-10-01", 7) }
            .SelectMany(r => Enumerable.Range(0, r.Item2).Select(i => DateOnly.Parse(r.Item1, System.Globalization.CultureInfo.InvariantCulture).AddDays(i)))
            .ToHashSet();
        var expectedMakeUp = new[] { "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10" }
            .Select(d => DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        await SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Development", Clock, CancellationToken.None).DefaultTimeout();

        // Assert
        var days = await db.CalendarDays.ToListAsync().DefaultTimeout();
        Assert.Equal(expectedOff.Order(), days.Where(d => d.HolidayName is not null && !d.IsWorkingDay).Select(d => d.Date).Order());
        Assert.Equal(expectedMakeUp.Order(), days.Where(d => d.IsMakeUpDay).Select(d => d.Date).Order());
        Assert.All(days.Where(d => d.IsMakeUpDay), d => Assert.NotNull(d.HolidayName));
        Assert.All(days, d => Assert.Equal(
            expectedMakeUp.Contains(d.Date) || (!expectedOff.Contains(d.Date) && d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)),
            d.IsWorkingDay));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LoadAsync_Twice_SecondLoadChangesNothing(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await MigratedAsync(provider);
        await using var db = database.CreateContext();
        var first = await SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Development", Clock, CancellationToken.None).DefaultTimeout();
        var before = await SnapshotAsync(db);

        // Act
        var later = new FixedTimeProvider(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var second = await SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Development", later, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.True(first.Total > 0);
        Assert.Equal(0, second.Total);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Fact]
    public async Task LoadAsync_ProductionWithDemoClients_ThrowsNamingFileAndWritesNothing()
    {
        // Arrange
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Production", Clock, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.Contains("clients.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Production", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(0, await db.Partners.CountAsync().DefaultTimeout());
        Assert.Equal(0, await database.Applications().CountAsync().DefaultTimeout());
    }

    [Fact]
    public async Task LoadAsync_ProductionWithDemoPeople_ThrowsNamingFile()
    {
        // Arrange
        using var seeds = Seeds.CopyToScratch();
        File.Delete(seeds.File(SeedLoader.ClientsFileName));
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SeedLoader.LoadAsync(db, database.Applications(), seeds.Path, "Production", Clock, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.Contains(SeedLoader.PeopleFileName, ex.Message, StringComparison.Ordinal);
        Assert.False(await db.Partners.AnyAsync().DefaultTimeout());
    }

    [Fact]
    public async Task LoadAsync_ProductionWithoutDemoFiles_LoadsTheRest()
    {
        // Arrange
        using var seeds = Seeds.CopyToScratch();
        File.Delete(seeds.File(SeedLoader.ClientsFileName));
        File.Delete(seeds.File(SeedLoader.PeopleFileName));
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var result = await SeedLoader.LoadAsync(db, database.Applications(), seeds.Path, "production", Clock, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.True(result.Partners > 0);
        Assert.Equal(0, await database.Applications().CountAsync().DefaultTimeout());
    }

    [Fact]
    public async Task LoadAsync_DemoClients_OpenIddictApplicationsWithRoleAndVerifiableSecret()
    {
        // Arrange
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        await SeedLoader.LoadAsync(db, database.Applications(), Seeds.Directory, "Development", Clock, CancellationToken.None).DefaultTimeout();

        // Assert
        var applications = database.Applications();
        var client = await applications.FindByClientIdAsync("demo-si-yunqi-music").DefaultTimeout();
        Assert.NotNull(client);
        Assert.Equal((ClientRoles.Partner, "si-yunqi-music"), await ClientApplications.ReadBindingAsync(applications, client, CancellationToken.None).DefaultTimeout());
        var stored = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId == "demo-si-yunqi-music").Select(a => a.ClientSecret).SingleAsync().DefaultTimeout();
        Assert.DoesNotContain("demo-secret", stored, StringComparison.Ordinal);
        Assert.True(await applications.ValidateClientSecretAsync(client, "demo-secret-yunqi-music").DefaultTimeout());
        Assert.False(await applications.ValidateClientSecretAsync(client, "demo-secret-jinghe-reading").DefaultTimeout());
        Assert.All((await ClientBindingsAsync(database)).Values.Where(b => b.Role != ClientRoles.Partner), b => Assert.Null(b.PartnerId));
    }

    [Theory]
    [InlineData("partners.json")]
    [InlineData("service-catalogue.json")]
    [InlineData("calendar-2026.json")]
    [InlineData("clients.json")]
    public async Task LoadAsync_MalformedFile_ThrowsOneLineNamingFileAndWritesNothing(string fileName)
    {
        // Arrange
        using var seeds = Seeds.CopyToScratch();
        var text = await File.ReadAllTextAsync(seeds.File(fileName)).DefaultTimeout();
        await File.WriteAllTextAsync(seeds.File(fileName), text[..(text.Length / 2)]).DefaultTimeout();
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var ex = await Assert.ThrowsAsync<InvalidDataException>(
            () => SeedLoader.LoadAsync(db, database.Applications(), seeds.Path, "Development", Clock, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.Contains(seeds.File(fileName), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(0, await db.Partners.CountAsync().DefaultTimeout());
    }

    [Theory]
    [InlineData("partners.json", "\"kind\": \"ServiceIntegrator\"", "\"kind\": \"Reseller\"")]
    [InlineData("partners.json", "\"mode\": \"C\"", "\"mode\": null")]
    [InlineData("partners.json", "\"month\": \"2026-01\"", "\"month\": \"2026-13\"")]
    [InlineData("partners.json", "\"currency\": \"CNY\"", "\"currency\": \"yuan\"")]
    [InlineData("partners.json", "\"displayName\": \"Jinghe Digital Reading Ltd.\",", "")]
    [InlineData("service-catalogue.json", "\"partnerId\": \"si-anxin-fleet\"", "\"partnerId\": \"si-nobody\"")]
    [InlineData("calendar-2026.json", "\"2026-01-04\"", "\"2026-01-05\"")]
    [InlineData("calendar-2026.json", "\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": \"UTC\"")]
    [InlineData("clients.json", "\"role\": \"auditor\"", "\"role\": \"root\"")]
    [InlineData("clients.json", "\"role\": \"auditor\", \"partnerId\": null", "\"role\": \"auditor\", \"partnerId\": \"si-anxin-fleet\"")]
    [InlineData("clients.json", "\"partnerId\": \"si-anxin-fleet\"", "\"partnerId\": null")]
    public async Task LoadAsync_InvalidContent_ThrowsNamingFile(string fileName, string find, string replace)
    {
        // Arrange
        using var seeds = Seeds.CopyToScratch();
        var text = await File.ReadAllTextAsync(seeds.File(fileName)).DefaultTimeout();
        Assert.Contains(find, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(seeds.File(fileName), text.Replace(find, replace, StringComparison.Ordinal)).DefaultTimeout();
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var ex = await Assert.ThrowsAsync<InvalidDataException>(
            () => SeedLoader.LoadAsync(db, database.Applications(), seeds.Path, "Development", Clock, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.Contains(seeds.File(fileName), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task LoadAsync_MissingDirectory_ThrowsNamingDirectory()
    {
        // Arrange
        var missing = Path.Combine(Path.GetTempPath(), "px-data-tests", "no-such-seeds-" + Guid.NewGuid().ToString("N"));
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => SeedLoader.LoadAsync(db, database.Applications(), missing, "Development", Clock, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partners.json")]
    [InlineData("service-catalogue.json")]
    [InlineData("calendar-2026.json")]
    public async Task LoadAsync_MissingRequiredFile_ThrowsNamingFile(string fileName)
    {
        // Arrange
        using var seeds = Seeds.CopyToScratch();
        File.Delete(seeds.File(fileName));
        await using var database = await MigratedAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        // Act
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(
            () => SeedLoader.LoadAsync(db, database.Applications(), seeds.Path, "Development", Clock, CancellationToken.None).DefaultTimeout());

        // Assert
        var named = fileName.StartsWith("calendar", StringComparison.Ordinal) ? seeds.File(SeedLoader.CalendarFilePattern) : seeds.File(fileName);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string> SnapshotAsync(PartnerExchangeDbContext db)
    {
        db.ChangeTracker.Clear();
        var partners = await db.Partners.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Id, p.Version, p.UpdatedAt, p.DisplayName }).ToListAsync().DefaultTimeout();
        var clients = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().AsNoTracking()
            .OrderBy(c => c.ClientId).Select(c => new { c.ClientId, c.ClientSecret }).ToListAsync().DefaultTimeout();
        var counts = new[]
        {
            await db.PartnerContacts.CountAsync().DefaultTimeout(),
            await db.SubscriberBases.CountAsync().DefaultTimeout(),
            await db.SettlementBases.CountAsync().DefaultTimeout(),
            await db.ServiceCatalogue.CountAsync().DefaultTimeout(),
            await db.CalendarDays.CountAsync().DefaultTimeout(),
        };
        return string.Join(";", partners) + "|" + string.Join(";", clients) + "|" + string.Join(",", counts);
    }

    private static async Task<Dictionary<string, (string Role, string? PartnerId)>> ClientBindingsAsync(TestDatabase database)
    {
        var applications = database.Applications();
        var bindings = new Dictionary<string, (string Role, string? PartnerId)>();
        await foreach (var application in applications.ListAsync())
        {
            var clientId = await applications.GetClientIdAsync(application).DefaultTimeout();
            var binding = await ClientApplications.ReadBindingAsync(applications, application, CancellationToken.None).DefaultTimeout();
            bindings.Add(clientId!, binding!.Value);
        }

        return bindings;
    }

    private static async Task<TestDatabase> MigratedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync().DefaultTimeout();
        return database;
    }
}
