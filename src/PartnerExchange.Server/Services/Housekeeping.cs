using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using PartnerExchange.Data;

namespace PartnerExchange.Server.Services;

/// <summary>Settings of the housekeeping (<c>Housekeeping</c> section).</summary>
/// <param name="Enabled">Whether it runs (default true).</param>
/// <param name="Interval">How often (default 1 hour).</param>
/// <param name="RequestIdRetention">How long a request id's first answer is kept (default 30 days; common.proto promises at least 7).</param>
/// <param name="TokenRetention">How long the token server keeps the record of a token or authorization that can no longer be used (default 14 days).</param>
internal sealed record HousekeepingSettings(bool Enabled, TimeSpan Interval, TimeSpan RequestIdRetention, TimeSpan TokenRetention)
{
    /// <summary>What common.proto promises: "Request ids are kept for at least 7 days".</summary>
    public static readonly TimeSpan PromisedRequestIdRetention = TimeSpan.FromDays(7);

    /// <summary>Reads the section; refuses a request-id retention shorter than the contract promises.</summary>
    public static HousekeepingSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Housekeeping");
        var settings = new HousekeepingSettings(
            section.GetValue("Enabled", true),
            section.GetValue("Interval", TimeSpan.FromHours(1)),
            section.GetValue("RequestIdRetention", TimeSpan.FromDays(30)),
            section.GetValue("TokenRetention", TimeSpan.FromDays(14)));
        if (settings.Interval <= TimeSpan.Zero || settings.TokenRetention <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Housekeeping:Interval and Housekeeping:TokenRetention must be positive durations such as 01:00:00.");
        }

        if (settings.RequestIdRetention < PromisedRequestIdRetention)
        {
            throw new InvalidOperationException(
                $"Housekeeping:RequestIdRetention is {settings.RequestIdRetention}: common.proto promises clients that request ids are kept for at least 7 days.");
        }

        return settings;
    }
}

/// <summary>
/// Deletes what no one can use any more, so the database does not grow without end: the first answers of request ids
/// older than the retention (a retry after that acts again, as common.proto allows), and the token server's records of
/// tokens and authorizations that expired, were revoked or redeemed, and are older than theirs. It runs on real time
/// (request ids and tokens are stamped with it, not with the sandbox clock), in chunks so that no delete holds SQLite's
/// write lock for long; with several instances on one database each deletes what it finds, which is harmless. Work
/// orders, their timelines and the audit trail are kept: they are records the rulebook keeps for years.
/// </summary>
internal sealed partial class Housekeeping(
    IServiceScopeFactory scopes, TimeProvider time, HousekeepingSettings settings, ILogger<Housekeeping> logger) : BackgroundService
{
    /// <summary>The most rows one delete statement removes.</summary>
    public const int Chunk = 5_000;

    /// <summary>One pass: returns how many request-id records, and how many token and authorization records, it deleted.</summary>
    public async Task<(long RequestIds, long Tokens)> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        var now = time.GetUtcNow();
        var before = now - settings.RequestIdRetention;
        long requestIds = 0;
        for (var deleted = Chunk; deleted == Chunk;)
        {
            // Oldest first through the CreatedAt index; each statement is its own short transaction.
            var oldest = db.IdempotencyRecords.Where(r => r.CreatedAt < before).OrderBy(r => r.CreatedAt).Take(Chunk).Select(r => r.Id);
            deleted = await db.IdempotencyRecords.Where(r => oldest.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            requestIds += deleted;
        }

        var threshold = now - settings.TokenRetention;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken)
            + await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        if (requestIds + tokens > 0)
        {
            LogDeleted(requestIds, tokens);
        }

        return (requestIds, tokens);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Housekeeping deleted {RequestIds} expired request-id records and {Tokens} unusable token and authorization records.")]
    private partial void LogDeleted(long requestIds, long tokens);

    [LoggerMessage(Level = LogLevel.Error, Message = "Housekeeping failed; it runs again at the next interval.")]
    private partial void LogFailed(Exception exception);
}
