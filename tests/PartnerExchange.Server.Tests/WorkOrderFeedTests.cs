using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PartnerExchange.Contracts.V1;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Reading work orders (issue 8, "Reading"): the resumable event feed across disconnects and restarts, its filters, the
/// list filters with stable pages, and one order's timeline in pages. Each test has a server of its own on the sandbox
/// clock, so what it reads is exactly what it wrote.
/// </summary>
public sealed class WorkOrderFeedTests : IAsyncLifetime
{

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(null, SandboxAt(Start), "--EventFeed:PollInterval=00:00:00.050");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WatchWorkOrderEvents_DisconnectMidStreamWhileWritersWrite_ResumesWithEveryLaterEventOnceInOrder()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            names.Add((await _server.CreateAsync()).Name);
        }

        List<WorkOrderEvent> firstRead;
        using (var watch = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), desk))
        {
            firstRead = await watch.ResponseStream.ReadUntilAsync(read => read.Count == 2);
        }

        var writers = Enumerable.Range(0, 3).Select(async w =>
        {
            for (var i = 0; i < 4; i++)
            {
                var order = await _server.CreateAsync(Enquiry());
                await _server.NoteAsync(order.Name, $"writer {w} note {i}");
                lock (names)
                {
                    names.Add(order.Name);
                }
            }
        });
        await Task.WhenAll(writers).DefaultTimeout();
        await _server.AcknowledgeAsync(names[0]);
        var expected = (await Task.WhenAll(names.Select(n => _server.TimelineAsync(n)))).SelectMany(t => t)
            .Where(e => e.Cursor > firstRead[^1].Cursor).Select(e => e.Cursor).Order().ToList();

        using var resumed = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest { AfterCursor = firstRead[^1].Cursor }, desk);
        var rest = await resumed.ResponseStream.ReadUntilAsync(read => read.Count == expected.Count);
        var extra = await resumed.ResponseStream.ReadUntilQuietAsync(FeedQuiet);

        Assert.Equal(4 + (3 * 4 * 2) + 1, firstRead.Count + expected.Count);
        Assert.Equal(expected, rest.Select(e => e.Cursor));
        Assert.Empty(extra);
        Assert.Equal(WorkOrderEventType.Acknowledged, rest[^1].Type);
    }

    [Fact]
    public async Task WatchWorkOrderEvents_ResumeAfterServerRestartOnSameDatabase_NoGapNoDuplicate()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-feed-restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            long lastCursor;
            List<long> before;
            await using (var first = await TestServer.StartInAsync(directory, null, SandboxAt(Start)))
            {
                var created = await first.CreateAsync();
                await first.AcknowledgeAsync(created.Name);
                await first.NoteAsync(created.Name);
                using var watch = first.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), await first.AsAsync(ClientRoles.CarrierDesk));
                var read = await watch.ResponseStream.ReadUntilAsync(r => r.Count == 2);
                lastCursor = read[^1].Cursor;
                before = [.. (await first.TimelineAsync(created.Name)).Select(e => e.Cursor)];
            }

            await using var second = await TestServer.StartInAsync(directory, null, SandboxAt(Start.AddHours(1)));
            var more = await second.CreateAsync(Enquiry(Jinghe));
            await second.NoteAsync(more.Name);
            var expected = before.Where(c => c > lastCursor).Concat((await second.TimelineAsync(more.Name)).Select(e => e.Cursor)).ToList();

            using var resumed = second.Orders().WatchWorkOrderEvents(
                new WatchWorkOrderEventsRequest { AfterCursor = lastCursor }, await second.AsAsync(ClientRoles.PartnerManager));
            var rest = await resumed.ResponseStream.ReadUntilAsync(r => r.Count == expected.Count);
            var extra = await resumed.ResponseStream.ReadUntilQuietAsync(FeedQuiet);

            Assert.Equal(3, expected.Count);
            Assert.Equal(expected, rest.Select(e => e.Cursor));
            Assert.Empty(extra);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WatchWorkOrderEvents_Si_OnlyItsOwnPartnersEventsWhateverItAsks()
    {
        var own = await _server.CreateAsync(Complaint(Yunqi));
        var other = await _server.CreateAsync(Complaint(Jinghe));
        await _server.AcknowledgeAsync(other.Name, Jinghe);
        await _server.NoteAsync(own.Name);

        using var all = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), await _server.AsSiAsync(Yunqi));
        using var asksForOther = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest { Partner = Jinghe }, await _server.AsSiAsync(Yunqi));
        var seen = await all.ResponseStream.ReadUntilQuietAsync(FeedQuiet);
        var seenAsking = await asksForOther.ResponseStream.ReadUntilQuietAsync(FeedQuiet);

        Assert.Equal([own.Name, own.Name], seen.Select(e => e.WorkOrder));
        Assert.Equal(seen.Select(e => e.Cursor), seenAsking.Select(e => e.Cursor));
        Assert.All(seen, e => Assert.Equal(Yunqi, e.Snapshot.ResponsibleParty.Partner));
    }

    [Fact]
    public async Task WatchWorkOrderEvents_ManagerWithPartnerAndEventTypes_OnlyThose()
    {
        var yunqi = await _server.CreateAsync(Complaint(Yunqi));
        var jinghe = await _server.CreateAsync(Complaint(Jinghe));
        await _server.AcknowledgeAsync(yunqi.Name, Yunqi);
        await _server.AcknowledgeAsync(jinghe.Name, Jinghe);
        await _server.NoteAsync(jinghe.Name);
        var manager = await _server.AsAsync(ClientRoles.PartnerManager);

        using var byType = _server.Orders().WatchWorkOrderEvents(
            new WatchWorkOrderEventsRequest { EventTypes = { WorkOrderEventType.Acknowledged, WorkOrderEventType.NoteAdded } }, manager);
        using var byPartner = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest { Partner = Jinghe }, manager);
        var types = await byType.ResponseStream.ReadUntilQuietAsync(FeedQuiet);
        var partner = await byPartner.ResponseStream.ReadUntilQuietAsync(FeedQuiet);

        Assert.Equal(
            [(yunqi.Name, WorkOrderEventType.Acknowledged), (jinghe.Name, WorkOrderEventType.Acknowledged), (jinghe.Name, WorkOrderEventType.NoteAdded)],
            types.Select(e => (e.WorkOrder, e.Type)));
        Assert.Equal(
            [WorkOrderEventType.Created, WorkOrderEventType.Acknowledged, WorkOrderEventType.NoteAdded],
            partner.Select(e => e.Type));
        Assert.All(partner, e => Assert.Equal(jinghe.Name, e.WorkOrder));
    }

    [Fact]
    public async Task WatchWorkOrderEvents_NegativeCursor_InvalidArgumentOnAfterCursor()
    {
        using var watch = _server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest { AfterCursor = -1 }, await _server.AsAsync(ClientRoles.CarrierDesk));

        var error = await FailsAsync(() => watch.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["after_cursor"], error.Fields());
    }

    [Fact]
    public async Task WatchWorkOrderEvents_FromZeroWithEventsOlderThanRetention_StartsAtTheOldestRetainedAndEveryCursorSentResumes()
    {
        await using var server = await TestServer.StartAsync(null, SandboxAt(Start), "--EventFeed:Retention=01:00:00", "--EventFeed:PollInterval=00:00:00.050");
        var desk = await server.AsAsync(ClientRoles.CarrierDesk);
        var expired = await server.CreateAsync();
        await server.AdvanceAsync(TimeSpan.FromHours(2));
        var retained = await server.CreateAsync();

        using var fromZero = server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest(), desk);
        var sent = await fromZero.ResponseStream.ReadUntilQuietAsync(FeedQuiet);
        var resumed = new List<WorkOrderEvent>();
        foreach (var cursor in sent.Select(e => e.Cursor))
        {
            using var again = server.Orders().WatchWorkOrderEvents(new WatchWorkOrderEventsRequest { AfterCursor = cursor }, desk);
            resumed.AddRange(await again.ResponseStream.ReadUntilQuietAsync(FeedQuiet));
        }

        Assert.NotEmpty(sent);
        Assert.DoesNotContain(sent, e => e.WorkOrder == expired.Name);
        Assert.Contains(sent, e => e.WorkOrder == retained.Name);
        Assert.All(resumed, e => Assert.Contains(e.Cursor, sent.Select(s => s.Cursor)));
    }

    [Fact]
    public async Task ListWorkOrders_EachFilter_OnlyMatchingOrders()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var complaint = await _server.CreateAsync(Complaint(Yunqi));
        var enquiry = await _server.CreateAsync(Enquiry(Yunqi));
        await _server.AdvanceAsync(TimeSpan.FromHours(2));
        var later = await _server.CreateAsync(Complaint(Jinghe));
        await _server.AcknowledgeAsync(complaint.Name);
        await _server.AdvanceAsync(TimeSpan.FromHours(11));
        await _server.NoteAsync(enquiry.Name);

        async Task<IEnumerable<string>> Names(ListWorkOrdersRequest request) => (await _server.ListAllAsync(request, desk)).Select(o => o.Name);

        Assert.Equal([later.Name, enquiry.Name, complaint.Name], await Names(new()));
        Assert.Equal([complaint.Name], await Names(new() { Statuses = { WorkOrderStatus.Acknowledged } }));
        Assert.Equal([later.Name, enquiry.Name], await Names(new() { Statuses = { WorkOrderStatus.Dispatched } }));
        Assert.Equal([enquiry.Name], await Names(new() { Kinds = { WorkOrderKind.Enquiry } }));
        Assert.Equal([later.Name], await Names(new() { Partner = Jinghe }));
        Assert.Equal([later.Name], await Names(new() { CreateStartTime = Timestamp.FromDateTimeOffset(Start.AddHours(1)) }));
        Assert.Equal(
            [enquiry.Name, complaint.Name],
            await Names(new() { CreateStartTime = Timestamp.FromDateTimeOffset(Start), CreateEndTime = Timestamp.FromDateTimeOffset(Start.AddHours(2)) }));
        // Sweeps change orders too: by Start + 13 h the complaint last changed at + 12 h (reply breach), the enquiry at
        // + 13 h (the note) and Jinghe's complaint at + 8 h (its reply warning).
        Assert.Equal([later.Name, complaint.Name, enquiry.Name], await Names(new() { OrderBy = "update_time" }));
        Assert.Equal([complaint.Name, enquiry.Name], await Names(new() { UpdateStartTime = Timestamp.FromDateTimeOffset(Start.AddHours(9)), OrderBy = "update_time" }));
        Assert.Equal([enquiry.Name], await Names(new() { UpdateStartTime = Timestamp.FromDateTimeOffset(Start.AddHours(12.5)) }));

        // At Start + 13 h the ordinary complaints' reply clocks (12 h) have breached; the enquiry was dispatched at Start
        // with a 12 h reply clock too, so all three are overdue; the complaint of Jinghe (dispatched at + 2 h) is not yet.
        Assert.Equal([enquiry.Name, complaint.Name], await Names(new() { Overdue = true }));
    }

    [Fact]
    public async Task ListWorkOrders_NewOrdersArriveBetweenPages_EachEarlierOrderExactlyOnce()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        var first = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            first.Add((await _server.CreateAsync()).Name);
        }

        var newestFirst = await ReadPagesWhileCreatingAsync(new ListWorkOrdersRequest { PageSize = 2 }, desk);
        var existing = (await _server.ListAllAsync(new ListWorkOrdersRequest(), desk)).Select(o => o.Name).Reverse().ToList();
        var byUpdate = await ReadPagesWhileCreatingAsync(new ListWorkOrdersRequest { PageSize = 2, OrderBy = "update_time" }, desk);

        Assert.Equal(Enumerable.Reverse(first), newestFirst);

        // By update time (all at the standing sandbox clock, so by id), orders created meanwhile come after every earlier one.
        Assert.Equal(existing, byUpdate.Take(existing.Count));
        Assert.Equal(byUpdate.Distinct(), byUpdate);
        Assert.True(byUpdate.Count > existing.Count);
    }

    private async Task<List<string>> ReadPagesWhileCreatingAsync(ListWorkOrdersRequest request, CallOptions options)
    {
        var seen = new List<string>();
        do
        {
            var page = await _server.Orders().ListWorkOrdersAsync(request, options);
            seen.AddRange(page.WorkOrders.Select(o => o.Name));
            await _server.CreateAsync(Complaint(Jinghe));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return seen;
    }

    [Fact]
    public async Task ListWorkOrders_PageTokenReusedWithOtherFilters_InvalidArgumentOnPageToken()
    {
        var desk = await _server.AsAsync(ClientRoles.CarrierDesk);
        for (var i = 0; i < 3; i++)
        {
            await _server.CreateAsync();
        }

        var page = await _server.Orders().ListWorkOrdersAsync(new ListWorkOrdersRequest { PageSize = 1 }, desk);

        foreach (var other in new ListWorkOrdersRequest[]
        {
            new() { Partner = Yunqi },
            new() { Statuses = { WorkOrderStatus.Dispatched } },
            new() { Kinds = { WorkOrderKind.Complaint } },
            new() { OrderBy = "update_time" },
            new() { Overdue = true },
            new() { CreateStartTime = Timestamp.FromDateTimeOffset(Start) },
        })
        {
            other.PageSize = 1;
            other.PageToken = page.NextPageToken;
            var error = await FailsAsync(async () => await _server.Orders().ListWorkOrdersAsync(other, desk));
            Assert.Equal((StatusCode.InvalidArgument, "page_token"), (error.StatusCode, Assert.Single(error.Fields())));
        }

        Assert.NotEmpty(page.NextPageToken);
    }

    [Fact]
    public async Task ListWorkOrderEvents_PagesOfTwo_WholeTimelineOnceOldestFirst()
    {
        var order = await _server.CreateAsync();
        var other = await _server.CreateAsync();
        await _server.AcknowledgeAsync(order.Name);
        for (var i = 0; i < 4; i++)
        {
            await _server.NoteAsync(order.Name, $"note {i}");
            await _server.NoteAsync(other.Name, $"note {i}");
        }

        var paged = await _server.TimelineAsync(order.Name, pageSize: 2);
        var whole = await _server.TimelineAsync(order.Name, pageSize: 500);
        var first = await _server.Orders().ListWorkOrderEventsAsync(new ListWorkOrderEventsRequest { Parent = order.Name, PageSize = 2 }, await _server.AsAsync(ClientRoles.CarrierDesk));
        var error = await FailsAsync(async () => await _server.Orders().ListWorkOrderEventsAsync(
            new ListWorkOrderEventsRequest { Parent = other.Name, PageSize = 2, PageToken = first.NextPageToken }, await _server.AsAsync(ClientRoles.CarrierDesk)));

        Assert.Equal(6, whole.Count);
        Assert.Equal(whole, paged);
        Assert.Equal(whole.Select(e => e.Cursor).Order(), whole.Select(e => e.Cursor));
        Assert.All(whole, e => Assert.Equal(order.Name, e.WorkOrder));
        Assert.Equal((StatusCode.InvalidArgument, "page_token"), (error.StatusCode, Assert.Single(error.Fields())));
    }
}
