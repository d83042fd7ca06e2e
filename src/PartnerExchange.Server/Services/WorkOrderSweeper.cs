using NodaTime;
using PartnerExchange.Server.Time;

namespace PartnerExchange.Server.Services;

/// <summary>Settings of the sweeper (<c>Sweeper</c> section).</summary>
/// <param name="Enabled">Whether the background sweep runs (the sandbox clock drives sweeps itself).</param>
/// <param name="Interval">How often it looks for due steps (default 5 s).</param>
internal sealed record SweeperSettings(bool Enabled, TimeSpan Interval);

/// <summary>
/// Raises what the clocks make due without a call: warnings and breaches, escalation notices, hold ends and automatic
/// closes. Each step is found through the <c>NextDueAt</c> index (never a scan of open orders) and written as a
/// conditional update of its order, so after a restart, and with several instances on one database, each is raised
/// exactly once. On real time it runs in the background; with the sandbox clock, <c>AdvanceClock</c> drives it.
/// </summary>
internal sealed partial class WorkOrderSweeper(
    IServiceScopeFactory scopes, BusinessClock clock, SweeperSettings settings, EventSignal signal, ILogger<WorkOrderSweeper> logger) : BackgroundService
{
    /// <summary>Runs every step due at or before <paramref name="upTo"/>, earliest first; returns when the next one is due.</summary>
    public async Task<Instant?> RunDueAsync(Instant upTo, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<WorkOrderStore>();
        var ran = 0;
        while (await store.SweepOneAsync(upTo, cancellationToken))
        {
            ran++;
        }

        if (ran > 0)
        {
            signal.Pulse();
        }

        return await store.NextDueAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (clock.Sandbox is not null || !settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(clock.Now, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }

            await Task.Delay(settings.Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A sweep of due work-order steps failed; it runs again at the next interval.")]
    private partial void LogSweepFailed(Exception exception);
}
