using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.WorkOrderBench;

/// <summary>
/// A closed-loop gRPC load: <c>--concurrency</c> callers spread over <c>--connections</c> HTTP/2 connections, each
/// sending its next call when the last one answered. Warm-up first (not counted), then <c>--seconds</c> of measured
/// calls; prints one JSON line with the rate and the latency percentiles. Every call must answer OK.
/// </summary>
internal static class LoadClient
{
    /// <summary>Prints an access token of <c>--client</c>/<c>--secret</c> from <c>--token-url</c>.</summary>
    public static async Task<int> TokenAsync(Options options)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = options.String("client"),
            ["client_secret"] = options.String("secret"),
        });
        using var response = await http.PostAsync(new Uri(options.String("token-url")), form);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Console.WriteLine(body.GetProperty("access_token").GetString());
        return 0;
    }

    public static async Task<int> RunAsync(Options options)
    {
        var target = new Uri(options.String("target"));
        var method = options.String("method");
        var token = options.String("token");
        var connections = options.Int("connections", 4);
        var concurrency = options.Int("concurrency", 64);
        var warmup = TimeSpan.FromSeconds(options.Double("warmup", 5));
        var measured = TimeSpan.FromSeconds(options.Double("seconds", 10));
        var maxId = options.Int("max-id", 1);
        var partner = options.String("partner", "si-yunqi-music");

        var metadata = new Metadata { { "authorization", "Bearer " + token } };
        var channels = Enumerable.Range(0, connections).Select(_ => GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
        })).ToList();
        var clients = channels.Select(c => new WorkOrderService.WorkOrderServiceClient(c)).ToList();
        Func<WorkOrderService.WorkOrderServiceClient, Random, Task> call = method switch
        {
            "get" => async (client, random) => await client.GetWorkOrderAsync(
                new GetWorkOrderRequest { Name = "workOrders/" + random.NextInt64(1, maxId + 1).ToString(CultureInfo.InvariantCulture) }, metadata),
            "create" => async (client, _) => await client.CreateWorkOrderAsync(NewOrder(partner), metadata),
            _ => throw new ArgumentException($"--method is get or create, not {method}"),
        };

        if (options.Int("once", 0) == 1)
        {
            // One call and its answer: the template order of the seeding.
            await call(clients[0], new Random(0));
            return 0;
        }

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[concurrency];
        var workers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var client = clients[i % clients.Count];
            var random = new Random(i);
            var mine = latencies[i] = new List<double>(1 << 16);
            while (true)
            {
                var begin = Stopwatch.GetTimestamp();
                if (begin >= measureTo)
                {
                    return;
                }

                await call(client, random);
                if (begin >= measureFrom)
                {
                    mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        var all = latencies.SelectMany(l => l).ToList();
        all.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            method,
            requests = all.Count,
            seconds = elapsed,
            rps = all.Count / elapsed,
            p50_ms = Percentiles.Of(all, 0.50),
            p99_ms = Percentiles.Of(all, 0.99),
            max_ms = all.Count > 0 ? all[^1] : double.NaN,
            connections,
            concurrency,
        }));
        return 0;
    }

    /// <summary>A complaint taken at the hotline for an SI, as a carrier desk creates thousands a day; a fresh request id each.</summary>
    public static CreateWorkOrderRequest NewOrder(string partner) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        WorkOrder = new WorkOrder
        {
            Summary = "Charged twice for the VIP monthly package",
            Customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800001111" },
            Channel = Channel.Hotline,
            ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/" + partner },
            Complaint = new Complaint { Description = "The customer was charged twice this month for one subscription.", Urgency = ComplaintUrgency.Ordinary },
        },
    };
}
