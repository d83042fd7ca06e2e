using Microsoft.Extensions.Logging;

namespace PartnerExchange.Data;

/// <summary>Log messages of the data layer.</summary>
internal static partial class DataLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Database ({Provider}) migrated; {Count} migration(s) applied: {Migrations}")]
    public static partial void Migrated(ILogger logger, string provider, int count, string migrations);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Database is not empty; seeds in {SeedsDirectory} not loaded")]
    public static partial void SeedsSkipped(ILogger logger, string seedsDirectory);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Seeds loaded from {SeedsDirectory}: {Partners} partners, {Contacts} contacts, {SubscriberBases} subscriber bases, {SettlementBases} settlement bases, {Services} services, {CalendarDays} calendar days, {Clients} clients")]
    public static partial void SeedsLoaded(
        ILogger logger, string seedsDirectory, int partners, int contacts, int subscriberBases, int settlementBases, int services, int calendarDays, int clients);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "SQLite database file {Path} in journal mode {JournalMode}")]
    public static partial void SqliteJournalMode(ILogger logger, string path, string journalMode);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Demo people's accounts added from {SeedsDirectory}: {Count}")]
    public static partial void PeopleSeeded(ILogger logger, string seedsDirectory, int count);
}
