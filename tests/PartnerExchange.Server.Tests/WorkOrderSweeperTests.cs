using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Services;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// The sweeper of issue 8 with several server instances on one database: each warning, breach, notice and automatic
/// close is raised exactly once however many instances sweep at the same time, and a restart raises nothing again.
/// The instances run on the fake clock standing at <see cref="TestServer.Now"/> with the background sweep off; the
/// tests drive <see cref="WorkOrderSweeper.RunDueAsync"/> of every instance at once.
/// </summary>
public sealed class WorkOrderSweeperTests
{
    private static readonly string[] Manual = ["--Sweeper:Enabled=false"];

    /// <summary>How far each round of concurrent sweeps goes, from the orders' creation.</summary>
    private static readonly TimeSpan[] Rounds =
        [TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(7), TimeSpan.FromHours(13), TimeSpan.FromHours(25)];

    private static readonly TimeSpan[] AfterRestart = [TimeSpan.FromHours(73), TimeSpan.FromDays(8)];

    [Fact]
    public async Task RunDueAsync_TwoInstancesOnOneSqliteFileThenRestart_EachAutomaticEventOnce()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-sweeper-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await SweepTogetherAsync(() => TestServer.StartInAsync(directory, null, Manual));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RunDueAsync_TwoInstancesOnOnePostgresDatabaseThenRestart_EachAutomaticEventOnce()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await SweepTogetherAsync(() => TestServer.StartAsync(null, [.. Manual, .. database.ServerArgs]));
    }

    [Fact]
    public async Task AddNote_AfterAnAutomaticCloseNoSweepRaisedYet_CloseCaughtUpAsSystem()
    {
        await using var server = await TestServer.StartAsync(null, Manual);
        var order = await server.CreateAsync(Enquiry());
        await server.AcknowledgeAsync(order.Name);
        await server.Orders().ResolveWorkOrderAsync(new() { Name = order.Name, ResolutionText = "Done", RequestId = Id() }, await server.AsSiAsync(Yunqi));
        server.Clock.Advance(TimeSpan.FromDays(8));
        var (_, token) = await server.RequestTokenAsync("demo-carrier-desk", TestServer.DemoClients["demo-carrier-desk"].Secret);
        var desk = new Grpc.Core.CallOptions(new Grpc.Core.Metadata { { "authorization", "Bearer " + token.GetProperty("access_token").GetString() } });

        var noted = await server.Orders().AddNoteAsync(new() { Name = order.Name, Text = "Customer called after a week", RequestId = Id() }, desk);
        var events = (await server.Orders().ListWorkOrderEventsAsync(new() { Parent = order.Name }, desk)).WorkOrderEvents;

        Assert.Equal(WorkOrderStatus.Closed, noted.Status);
        var closed = Assert.Single(events, e => e.Type == WorkOrderEventType.Closed);
        Assert.Equal((ActorRole.System, TestServer.Now.AddDays(7)), (closed.Actor.Role, closed.EventTime.ToDateTimeOffset()));
        Assert.Equal(ActorRole.CarrierAgent, events[^1].Actor.Role);
    }

    /// <summary>
    /// Orders with every kind of automatic step, swept by two instances at once (each calling twice per round), then by
    /// two fresh instances after a restart, then once more: every automatic event exists once and the last sweep adds none.
    /// </summary>
    private static async Task SweepTogetherAsync(Func<Task<TestServer>> start)
    {
        var created = TestServer.Now;
        List<string> names;
        await using (var first = await start())
        {
            await using var second = await start();
            names = await CreateOrdersAsync(first);
            await SweepAsync([first, second], Rounds.Select(r => created + r));
        }

        await using var third = await start();
        await using var fourth = await start();
        await SweepAsync([third, fourth], AfterRestart.Select(r => created + r));
        var timelines = await TimelinesAsync(third, names);
        await SweepAsync([fourth, third], [created + TimeSpan.FromDays(9)]);
        var after = await TimelinesAsync(fourth, names);

        foreach (var (name, events) in timelines)
        {
            var automatic = events.Where(e => e.Actor.Role == ActorRole.System).Select(e => (e.Type, e.Clock)).ToList();
            Assert.Equal(automatic.Distinct(), automatic);
            Assert.Equal(events.Select(e => e.Cursor), after[name].Select(e => e.Cursor));
        }

        // The ordinary complaint created Sun 2026-11-29 12:00 local: reply 12 h, resolve 24 h (rulebook section 3).
        var complaint = timelines[names[0]].Where(e => e.Actor.Role == ActorRole.System).Select(e => (e.Type, e.Clock, e.EventTime.ToDateTimeOffset()));
        Assert.Equal(
            [
                (WorkOrderEventType.DeadlineWarning, DeadlineClock.Reply, created.AddHours(6)),
                (WorkOrderEventType.DeadlineWarning, DeadlineClock.Resolve, created.AddHours(12)),
                (WorkOrderEventType.DeadlineBreached, DeadlineClock.Reply, created.AddHours(12)),
                (WorkOrderEventType.NoticeNotClosedSameDay, DeadlineClock.Unspecified, created.AddHours(12)),
                (WorkOrderEventType.DeadlineBreached, DeadlineClock.Resolve, created.AddHours(24)),
                (WorkOrderEventType.NoticeOpenAfter3Days, DeadlineClock.Unspecified, created.AddHours(72)),
            ],
            complaint.OrderBy(e => e.Item3));

        // The severe fault resolves within 2 h of its discovery (rulebook section 3).
        Assert.Single(timelines[names[1]], e => e.Type == WorkOrderEventType.DeadlineBreached && e.Clock == DeadlineClock.Resolve);

        // The resolved enquiry closes automatically 7 x 24 h after its resolution (rulebook section 4), once.
        var closed = Assert.Single(timelines[names[2]], e => e.Type == WorkOrderEventType.Closed);
        Assert.Equal(created.AddDays(7), closed.EventTime.ToDateTimeOffset());
        Assert.Equal(WorkOrderStatus.Closed, closed.Snapshot.Status);
    }

    /// <summary>An ordinary complaint, a severe fault and an enquiry resolved at once, all created by <paramref name="server"/>.</summary>
    private static async Task<List<string>> CreateOrdersAsync(TestServer server)
    {
        var complaint = await server.CreateAsync(Complaint());
        var fault = await server.CreateAsync(new WorkOrder
        {
            Summary = "Streaming stopped",
            Customer = new Customer { DisplayName = "Zhao Min", PhoneNumber = "13800003333" },
            Channel = Channel.Hotline,
            ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = Yunqi },
            FaultReport = new FaultReport
            {
                ReporterName = "Zhao Min", ReporterContact = "13800003333", AffectedService = "Music streaming", Location = "Hangzhou",
                Symptom = "No song plays", StartTime = Timestamp.FromDateTimeOffset(TestServer.Now.AddMinutes(-10)), Severity = FaultSeverity.Severe,
            },
        });
        var enquiry = await server.CreateAsync(Enquiry());
        await server.AcknowledgeAsync(enquiry.Name);
        await server.Orders().ResolveWorkOrderAsync(
            new ResolveWorkOrderRequest { Name = enquiry.Name, ResolutionText = "Explained how to cancel", RequestId = Id() }, await server.AsSiAsync(Yunqi));
        return [complaint.Name, fault.Name, enquiry.Name];
    }

    /// <summary>For each instant, every instance's sweeper runs twice at once up to it.</summary>
    private static async Task SweepAsync(TestServer[] servers, IEnumerable<DateTimeOffset> upTo)
    {
        var sweepers = servers.Select(s => s.Services.GetRequiredService<WorkOrderSweeper>()).ToList();
        foreach (var at in upTo)
        {
            var instant = Instant.FromDateTimeOffset(at);
            await Task.WhenAll(sweepers.Concat(sweepers).Select(s => Task.Run(() => s.RunDueAsync(instant, CancellationToken.None)))).DefaultTimeout();
        }
    }

    private static async Task<Dictionary<string, List<WorkOrderEvent>>> TimelinesAsync(TestServer server, List<string> names)
    {
        var timelines = new Dictionary<string, List<WorkOrderEvent>>();
        foreach (var name in names)
        {
            timelines[name] = await server.TimelineAsync(name);
        }

        return timelines;
    }
}
