using PartnerExchange.Contracts.V1;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Work orders on PostgreSQL, where transactions run concurrently (SQLite's are serialised whole): the event feed,
/// where commit order can differ from id order (issue 8, "Reading"), and request_id retries racing their first call.
/// The store serialises work-order writers with a transaction-scoped advisory lock for this.
/// </summary>
public sealed class WorkOrderPostgresTests
{
    [Fact]
    public async Task WatchWorkOrderEvents_ManyWritersOnTwoInstancesRace_WatcherSkipsNoCursor()
    {
        const int Writers = 8;
        const int PerWriter = 5;
        await using var database = await PostgresDatabase.CreateAsync();
        string[] args = [SandboxAt(Start), "--EventFeed:PollInterval=00:00:00.020", .. database.ServerArgs];
        await using var first = await TestServer.StartAsync(null, args);
        await using var second = await TestServer.StartAsync(null, args);
        using var watch = first.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), await first.AsAsync(ClientRoles.CarrierDesk));
        // Reading stops at the last note or 20 s after the writers finish, so a skipped cursor shows as a difference below.
        using var stop = new CancellationTokenSource();
        var read = new List<WorkOrderEvent>();
        var reading = Task.Run(async () =>
        {
            try
            {
                var notes = 0;
                while (notes < Writers * PerWriter && await watch.ResponseStream.MoveNext(stop.Token))
                {
                    read.Add(watch.ResponseStream.Current);
                    notes += watch.ResponseStream.Current.Type == WorkOrderEventType.NoteAdded ? 1 : 0;
                }
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Cancelled)
            {
            }
        });

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
        }))).WaitAsync(TimeSpan.FromMinutes(2));
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        await reading.WaitAsync(TimeSpan.FromSeconds(40));
        var written = (await Task.WhenAll(names.SelectMany(n => n).Select(n => first.TimelineAsync(n)))).SelectMany(t => t).Select(e => e.Cursor).Order().ToList();

        Assert.Equal(2 * Writers * PerWriter, written.Count);
        Assert.Equal(written, read.Select(e => e.Cursor));
    }

    [Fact]
    public async Task AcknowledgeWorkOrder_RetriesOfOneRequestIdRaceTheFirstCall_AllGetTheFirstResult()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await TestServer.StartAsync(null, [SandboxAt(Start), .. database.ServerArgs]);
        var si = await server.AsSiAsync(Yunqi);
        var order = await server.CreateAsync();
        var request = new AcknowledgeWorkOrderRequest { Name = order.Name, RequestId = Id() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (Grpc.Core.StatusCode.OK, (await server.Orders().AcknowledgeWorkOrderAsync(request, si)).Etag);
            }
            catch (Grpc.Core.RpcException e)
            {
                return (e.StatusCode, e.Status.Detail);
            }
        }))).DefaultTimeout();

        Assert.All(outcomes, o => Assert.Equal(Grpc.Core.StatusCode.OK, o.Item1));
        Assert.Single(outcomes.Select(o => o.Item2).Distinct());
        Assert.Single(await server.TimelineAsync(order.Name), e => e.Type == WorkOrderEventType.Acknowledged);
        // The read path (a prepared statement on a kept connection) sees the committed move.
        var read = await server.Orders().GetWorkOrderAsync(new GetWorkOrderRequest { Name = order.Name }, si);
        Assert.Equal(outcomes[0].Item2, read.Etag);
        Assert.Equal(WorkOrderStatus.Acknowledged, read.Status);
    }
}
