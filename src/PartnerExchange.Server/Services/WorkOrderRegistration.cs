using NodaTime;
using PartnerExchange.Domain;
using PartnerExchange.Server.Time;

namespace PartnerExchange.Server.Services;

/// <summary>The services of the work-order lifecycle: business time, the store, the sweeper, the event feed.</summary>
internal static class WorkOrderRegistration
{
    /// <summary>
    /// Registers the lifecycle with its settings: <c>Sandbox:Clock</c> (refused in Production), <c>WorkOrders:AutoCloseAfter</c>
    /// (default 7 days), <c>EventFeed:Retention</c> (30 days) and <c>EventFeed:PollInterval</c> (1 s), <c>Sweeper:Enabled</c>
    /// (true) and <c>Sweeper:Interval</c> (5 s), <c>Sqlite:CheckpointPages</c> (4000, see <see cref="WalCheckpointer"/>).
    /// </summary>
    public static void AddWorkOrders(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var sandbox = SandboxTime.FromSetting(configuration["Sandbox:Clock"]);
        if (sandbox is not null && builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Sandbox:Clock is set in the Production environment: the sandbox clock would move real orders' deadlines; remove the setting.");
        }

        var services = builder.Services;
        services.AddSingleton(provider => new BusinessClock(provider.GetRequiredService<TimeProvider>(), sandbox));
        services.AddSingleton<CalendarCache>();
        services.AddSingleton(new LifecycleSettings(Duration.FromTimeSpan(Positive(configuration, "WorkOrders:AutoCloseAfter", TimeSpan.FromDays(7)))));
        services.AddSingleton(new EventFeedSettings(
            Positive(configuration, "EventFeed:Retention", TimeSpan.FromDays(30)), Positive(configuration, "EventFeed:PollInterval", TimeSpan.FromSeconds(1))));
        services.AddSingleton(new SweeperSettings(configuration.GetValue("Sweeper:Enabled", true), Positive(configuration, "Sweeper:Interval", TimeSpan.FromSeconds(5))));
        services.AddSingleton<EventSignal>();
        services.AddSingleton<WriterQueue>();
        services.AddScoped<WorkOrderStore>();
        services.AddScoped<IProvisionalDeadlines, ProvisionalDeadlines>();
        services.AddSingleton<WorkOrderSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<WorkOrderSweeper>());
        var checkpointPages = configuration.GetValue("Sqlite:CheckpointPages", 4000);
        services.AddSingleton(new WalCheckpointSettings(checkpointPages > 0
            ? checkpointPages
            : throw new InvalidOperationException($"Sqlite:CheckpointPages is {checkpointPages}: it must be a positive number of pages such as 4000.")));
        services.AddSingleton<WalCheckpointer>();
        services.AddHostedService(provider => provider.GetRequiredService<WalCheckpointer>());
    }

    private static TimeSpan Positive(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var value = configuration.GetValue(key, fallback);
        return value > TimeSpan.Zero ? value : throw new InvalidOperationException($"{key} is {value}: it must be a positive duration such as {fallback:c}.");
    }
}
