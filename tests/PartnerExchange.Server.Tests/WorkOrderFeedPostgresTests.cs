using PartnerExchange.Contracts.V1;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// The event feed on PostgreSQL, where commit order can differ from id order (issue 8, "Reading"): many writers on two
/// server instances race while a watcher on one of them reads, and the watcher must see every cursor written, in order.
/// The store serialises work-order writers with a transaction-scoped advisory lock for exactly this.
/// </summary>
public sealed class WorkOrderFeedPostgresTests
{
    [PostgresFact]
    public async Task WatchWorkOrderEvents_ManyWritersOnTwoInstancesRace_WatcherSkipsNoCursor()
    {
        const int Writers = 8;
        const int PerWriter = 5;
        await using var database = await PostgresDatabase.CreateAsync();
        string[] args = [SandboxAt(Start), "--EventFeed:PollInterval=00:00:00.020", .. database.ServerArgs];
        await using var first = await TestServer.StartAsync(null, args);
        await using var second = await TestServer.StartAsync(null, args);
        using var watch = first.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), await first.AsAsync(ClientRoles.CarrierDesk));
        var reading = watch.ResponseStream.ReadUntilAsync(read => read.Count(e => e.Type == WorkOrderEventType.NoteAdded) == Writers * PerWriter);

        var names = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var server = w % 2 == 0 ? first : second;
            var written = new List<string>();
            for (var i = 0; i < PerWriter; i++)
            {
                var order = await server.CreateAsync(w % 3 == 0 ? Enquiry(Jinghe) : Complaint());
                await server.NoteAsync(order.Name, $"writer {w} order {i}");
                written.Add(order.Name);
            }

            return written;
        }))).DefaultTimeout();
        var read = await reading.DefaultTimeout();
        var written = (await Task.WhenAll(names.SelectMany(n => n).Select(n => first.TimelineAsync(n)))).SelectMany(t => t).Select(e => e.Cursor).Order().ToList();

        Assert.Equal(2 * Writers * PerWriter, written.Count);
        Assert.Equal(written, read.Select(e => e.Cursor));
    }
}
