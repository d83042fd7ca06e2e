using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Npgsql;
using PartnerExchange.Contracts.V1;
using ClientRoles = PartnerExchange.Domain.ClientRoles;
using WorkOrderService = PartnerExchange.Contracts.V1.WorkOrderService;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// What the work-order suites share: requests that pass validation, callers by client id, the error details they
/// assert, paging through lists and timelines, and reading the event feed with a bound on every wait.
/// </summary>
internal static class WorkOrderKit
{
    /// <summary>The SI most orders go to (its demo client is <c>demo-si-yunqi-music</c>).</summary>
    public const string Yunqi = "partners/si-yunqi-music";

    /// <summary>Another SI (demo client <c>demo-si-jinghe-reading</c>).</summary>
    public const string Jinghe = "partners/si-jinghe-reading";

    /// <summary>Fri 2026-10-09 10:00 in Asia/Shanghai, where the sandbox clock of these suites starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 10, 9, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The sandbox clock setting at <paramref name="at"/>.</summary>
    public static string SandboxAt(DateTimeOffset at) => $"--Sandbox:Clock={at:O}";

    public static string Id() => Guid.NewGuid().ToString();

    public static WorkOrderService.WorkOrderServiceClient Orders(this TestServer server) => new(server.Channel);

    /// <summary>Call options carrying a token of the demo client <paramref name="clientId"/>.</summary>
    public static async Task<CallOptions> AsClientAsync(this TestServer server, string clientId) =>
        new(new Metadata { { "authorization", "Bearer " + await server.TokenAsync(clientId) } });

    /// <summary>The demo SI client of <paramref name="partner"/> ("partners/si-x" is served by "demo-si-x").</summary>
    public static Task<CallOptions> AsSiAsync(this TestServer server, string partner) =>
        server.AsClientAsync("demo-" + partner["partners/".Length..]);

    /// <summary>A carrier-dispatched complaint for <paramref name="partner"/> that passes every check.</summary>
    public static WorkOrder Complaint(string partner = Yunqi, ComplaintUrgency urgency = ComplaintUrgency.Ordinary) => new()
    {
        Summary = "Charged twice for VIP",
        Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800001111" },
        Channel = Channel.Hotline,
        ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = partner },
        Complaint = new Complaint { Description = "Charged twice this month", Urgency = urgency },
    };

    /// <summary>A hotline enquiry for <paramref name="partner"/> (no catalogue service named, so any SI takes it).</summary>
    public static WorkOrder Enquiry(string partner = Yunqi) => new()
    {
        Summary = "How to cancel",
        Customer = new Customer { DisplayName = "Wang Fang", PhoneNumber = "13800002222" },
        Channel = Channel.Hotline,
        ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = partner },
        Enquiry = new Enquiry { ServiceName = "Customer portal", Question = "How do I cancel?" },
    };

    /// <summary>Creates <paramref name="order"/> (default: an ordinary complaint for Yunqi) as the carrier desk.</summary>
    public static async Task<WorkOrder> CreateAsync(this TestServer server, WorkOrder? order = null, string? requestId = null) =>
        await server.Orders().CreateWorkOrderAsync(
            new CreateWorkOrderRequest { WorkOrder = order ?? Complaint(), RequestId = requestId ?? Id() },
            await server.AsAsync(ClientRoles.CarrierDesk)).ResponseAsync.DefaultTimeout();

    /// <summary>Acknowledges <paramref name="name"/> as the SI of <paramref name="partner"/>.</summary>
    public static async Task<WorkOrder> AcknowledgeAsync(this TestServer server, string name, string partner = Yunqi) =>
        await server.Orders().AcknowledgeWorkOrderAsync(
            new AcknowledgeWorkOrderRequest { Name = name, RequestId = Id() }, await server.AsSiAsync(partner)).ResponseAsync.DefaultTimeout();

    /// <summary>Adds a note to <paramref name="name"/> as the carrier desk.</summary>
    public static async Task<WorkOrder> NoteAsync(this TestServer server, string name, string text = "Called the customer") =>
        await server.Orders().AddNoteAsync(
            new AddNoteRequest { Name = name, Text = text, RequestId = Id() }, await server.AsAsync(ClientRoles.CarrierDesk)).ResponseAsync.DefaultTimeout();

    /// <summary>Runs <paramref name="call"/>, which must fail, and returns its error.</summary>
    public static async Task<RpcException> FailsAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(() => call().DefaultTimeout());

    /// <summary>The fields of the <c>BadRequest</c> detail of <paramref name="error"/>, sorted.</summary>
    public static string[] Fields(this RpcException error) =>
        [.. (error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field) ?? []).Order(StringComparer.Ordinal)];

    /// <summary>The reason of the <c>ErrorInfo</c> detail of <paramref name="error"/>, or <c>null</c>.</summary>
    public static string? Reason(this RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    /// <summary>One order's whole timeline, every page, as a partner manager reads it.</summary>
    public static async Task<List<WorkOrderEvent>> TimelineAsync(this TestServer server, string name, int pageSize = 0)
    {
        var options = await server.AsAsync(ClientRoles.PartnerManager);
        var request = new ListWorkOrderEventsRequest { Parent = name, PageSize = pageSize };
        var all = new List<WorkOrderEvent>();
        do
        {
            var page = await server.Orders().ListWorkOrderEventsAsync(request, options).ResponseAsync.DefaultTimeout();
            all.AddRange(page.WorkOrderEvents);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }

    /// <summary>Every order <paramref name="request"/> lists, all pages, as <paramref name="options"/>' caller.</summary>
    public static async Task<List<WorkOrder>> ListAllAsync(this TestServer server, ListWorkOrdersRequest request, CallOptions options)
    {
        request = request.Clone();
        var all = new List<WorkOrder>();
        do
        {
            var page = await server.Orders().ListWorkOrdersAsync(request, options).ResponseAsync.DefaultTimeout();
            all.AddRange(page.WorkOrders);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }

    /// <summary>
    /// What a write leaves behind, to prove a refused call wrote nothing: how many orders there are, the newest audit
    /// entry, and the highest event cursor.
    /// </summary>
    public static async Task<(int Orders, string NewestAudit, long LastCursor)> WrittenAsync(this TestServer server)
    {
        var orders = await server.ListAllAsync(new ListWorkOrdersRequest { PageSize = 500 }, await server.AsAsync(ClientRoles.PartnerManager));
        var audit = await new AuditService.AuditServiceClient(server.Channel).ListAuditEntriesAsync(
            new ListAuditEntriesRequest { PageSize = 1 }, await server.AsAsync(ClientRoles.Auditor)).ResponseAsync.DefaultTimeout();
        var events = await Task.WhenAll(orders.Select(o => server.TimelineAsync(o.Name)));
        return (orders.Count, audit.AuditEntries.FirstOrDefault()?.Name ?? string.Empty, events.SelectMany(e => e).Select(e => e.Cursor).DefaultIfEmpty().Max());
    }

    /// <summary>Moves the sandbox clock forward by <paramref name="by"/>.</summary>
    public static async Task AdvanceAsync(this TestServer server, TimeSpan by)
    {
        var sandbox = new SandboxService.SandboxServiceClient(server.Channel);
        var options = await server.AsAsync(ClientRoles.CarrierDesk);
        var now = (await sandbox.GetClockAsync(new GetClockRequest(), options).ResponseAsync.DefaultTimeout()).Now.ToDateTimeOffset();
        await sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(now + by) }, options).ResponseAsync.DefaultTimeout();
    }

    /// <summary>
    /// Reads the feed until <paramref name="done"/> says the events read so far are enough, failing after 20 s; the
    /// call stays open for more.
    /// </summary>
    public static async Task<List<WorkOrderEvent>> ReadUntilAsync(this IAsyncStreamReader<WorkOrderEvent> stream, Func<List<WorkOrderEvent>, bool> done)
    {
        var read = new List<WorkOrderEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!done(read))
        {
            Assert.True(await stream.MoveNext(timeout.Token), "the feed ended");
            read.Add(stream.Current);
        }

        return read;
    }

    /// <summary>
    /// How long a feed must stay silent before a test takes it to have sent everything: long enough that a loaded CI
    /// machine delivering the first stored event late is not read as "nothing sent" (400 ms once was too short).
    /// </summary>
    public static readonly TimeSpan FeedQuiet = TimeSpan.FromSeconds(2);

    /// <summary>Reads the feed until it stays quiet for <paramref name="quiet"/>; the call is over afterwards.</summary>
    public static async Task<List<WorkOrderEvent>> ReadUntilQuietAsync(this IAsyncStreamReader<WorkOrderEvent> stream, TimeSpan quiet)
    {
        var read = new List<WorkOrderEvent>();
        while (true)
        {
            using var wait = new CancellationTokenSource(quiet);
            try
            {
                if (!await stream.MoveNext(wait.Token))
                {
                    return read;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
                return read;
            }
            catch (OperationCanceledException)
            {
                return read;
            }

            read.Add(stream.Current);
        }
    }
}

/// <summary>One server per test class on the sandbox clock standing at <see cref="WorkOrderKit.Start"/>.</summary>
public sealed class SandboxServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(null, WorkOrderKit.SandboxAt(WorkOrderKit.Start));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A fresh PostgreSQL database on the server of <c>PX_TEST_POSTGRES</c>, dropped on disposal.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "PX_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The server arguments that put a TestServer on this database.</summary>
    public string[] ServerArgs => ["--Database:Provider=Postgres", $"--ConnectionStrings:PartnerExchange={ConnectionString}"];

    public static async Task<PostgresDatabase> CreateAsync()
    {
        // Like the Data tests: the PostgreSQL tests always run, and tests/run.sh starts a server and sets the variable.
        var server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, so the PostgreSQL tests cannot run; run them through tests/run.sh.");
        var database = new PostgresDatabase(server, "px_server_test_" + Guid.NewGuid().ToString("N"));
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database._name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().DefaultTimeout();
    }
}
