using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Services;
using PartnerExchange.Server.Time;

namespace PartnerExchange.WorkOrderBench;

/// <summary>
/// Times the sweeper's pass on a database where nothing is due: <see cref="WorkOrderSweeper.RunDueAsync"/> (a scope, one
/// <see cref="WorkOrderStore.SweepOneAsync"/> that finds nothing, and the next-due query) and
/// <see cref="WorkOrderStore.SweepOneAsync"/> alone, with the server's own classes on its own EF Core configuration.
/// </summary>
internal static class SweepBench
{
    public static async Task<int> RunAsync(Options options)
    {
        var runs = options.Int("runs", 1000);
        await using var services = Build(options.String("db"));
        var sweeper = services.GetRequiredService<WorkOrderSweeper>();
        var now = SystemClock.Instance.GetCurrentInstant();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
            var orders = await db.WorkOrders.CountAsync();
            var limit = DateTimeOffset.UtcNow;
            var due = await db.WorkOrders.CountAsync(o => o.NextDueAt != null && o.NextDueAt <= limit);
            var pending = await db.WorkOrders.CountAsync(o => o.NextDueAt != null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"orders={orders} with_next_step={pending} due_now={due}"));
            await using var connection = new SqliteConnection(db.Database.GetConnectionString());
            await connection.OpenAsync();
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM WorkOrders WHERE NextDueAt IS NOT NULL AND NextDueAt <= $limit ORDER BY NextDueAt, Id LIMIT 1";
            explain.Parameters.AddWithValue("$limit", DateTimeOffset.UtcNow.UtcTicks);
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Console.WriteLine("plan: " + reader.GetString(3));
            }
        }

        var pass = await TimeAsync(runs, async () => await sweeper.RunDueAsync(now, CancellationToken.None));
        var one = await TimeAsync(runs, async () =>
        {
            await using var scope = services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<WorkOrderStore>().SweepOneAsync(now, CancellationToken.None))
            {
                throw new InvalidOperationException("a step was due: the database is not an empty-sweep database");
            }
        });
        Console.WriteLine(Line("sweep_pass", pass));
        Console.WriteLine(Line("sweep_one", one));
        return 0;
    }

    /// <summary>The synchronous and journal modes of a connection the server's way (its EF Core configuration).</summary>
    public static async Task<int> PragmasAsync(Options options)
    {
        await using var services = Build(options.String("db"));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        await db.Database.OpenConnectionAsync();
        foreach (var pragma in new[] { "synchronous", "journal_mode", "wal_autocheckpoint", "cache_size", "busy_timeout" })
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            Console.WriteLine($"{pragma}={await command.ExecuteScalarAsync()}");
        }

        return 0;
    }

    private static ServiceProvider Build(string path)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:PartnerExchange"] = "Data Source=" + path,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPartnerExchangeData(configuration);
        services.AddSingleton(new BusinessClock(TimeProvider.System));
        services.AddSingleton<CalendarCache>();
        services.AddSingleton(new LifecycleSettings(Duration.FromDays(7)));
        services.AddSingleton(new SweeperSettings(false, TimeSpan.FromSeconds(5)));
        services.AddSingleton<EventSignal>();
        services.AddSingleton<WriterQueue>();
        services.AddScoped<WorkOrderStore>();
        services.AddSingleton<WorkOrderSweeper>();
        return services.BuildServiceProvider();
    }

    private static async Task<List<double>> TimeAsync(int runs, Func<Task> action)
    {
        for (var i = 0; i < Math.Min(100, runs); i++)
        {
            await action();
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var begin = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    private static string Line(string name, List<double> times) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: runs={times.Count} median_ms={Percentiles.Of(times, 0.5):F3} p90_ms={Percentiles.Of(times, 0.9):F3} p99_ms={Percentiles.Of(times, 0.99):F3} max_ms={times[^1]:F3}");
}
