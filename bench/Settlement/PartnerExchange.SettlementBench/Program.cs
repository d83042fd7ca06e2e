using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using PartnerExchange.Contracts.V1;

// Monthly settlement at scale (issue 9, "Scale"); bench/settlement.sh drives the three modes:
//   sample   --grpc URL --web URL              one order of each kind and one refund through the API (templates to clone)
//   generate --db FILE [--orders N] [--sis N]  1,000 SIs and one month (2026-10) of orders, revisits and refunds
//   run      --grpc URL --web URL              AssessPeriod then ClosePeriod of 2026-10, timed, one JSON line
var options = ParseOptions(args);
var mode = args.Length > 0 ? args[0] : "";
return mode switch
{
    "sample" => await SampleAsync(options),
    "generate" => Generate(options),
    "run" => await RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: PartnerExchange.SettlementBench sample|generate|run [--grpc URL] [--web URL] [--db FILE] [--orders N] [--sis N] [--seed N]");
    return 2;
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }

    return options;
}

static async Task<Metadata> TokenAsync(string web, string role)
{
    using var http = new HttpClient();
    using var form = new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = "demo-" + role,
        ["client_secret"] = "demo-secret-" + role,
    });
    using var reply = await http.PostAsync(new Uri(new Uri(web), "/connect/token"), form);
    reply.EnsureSuccessStatusCode();
    var json = await reply.Content.ReadFromJsonAsync<JsonElement>();
    return new Metadata { { "authorization", "Bearer " + json.GetProperty("access_token").GetString() } };
}

static string RequestId() => Guid.NewGuid().ToString("N");

// Templates: one order of each kind and one paid refund, created by the server itself, so the generator clones
// DetailJson and Document as the product writes them.
static async Task<int> SampleAsync(Dictionary<string, string> options)
{
    using var channel = GrpcChannel.ForAddress(options["grpc"]);
    var orders = new WorkOrderService.WorkOrderServiceClient(channel);
    var settlement = new SettlementService.SettlementServiceClient(channel);
    var desk = await TokenAsync(options["web"], "carrier-desk");
    var job = await TokenAsync(options["web"], "reconciliation-job");
    var si = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/si-jinghe-reading" };
    var customer = new Customer { DisplayName = "Li Lei", PhoneNumber = "13800000000" };
    var details = new List<WorkOrder>
    {
        new() { Complaint = new Complaint { Description = "Charged twice for the reading plan", Urgency = ComplaintUrgency.Ordinary } },
        new() { Enquiry = new Enquiry { ServiceName = "Reading plan", Question = "How do I add a second device?" } },
        new()
        {
            FaultReport = new FaultReport
            {
                ReporterName = "Li Lei", ReporterContact = "13800000000", AffectedService = "Reading app", Location = "Hangzhou",
                Symptom = "Books do not open", Severity = FaultSeverity.General,
                StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.Parse("2026-10-15T00:00:00Z", CultureInfo.InvariantCulture)),
            },
        },
        new() { TechnicalSupport = new TechnicalSupport { SupportType = TechnicalSupportType.Training, AffectedService = "Reading app", Description = "Train the library staff" } },
    };
    WorkOrder? complaint = null;
    foreach (var order in details)
    {
        order.Summary = "Sample order for the settlement benchmark";
        order.Customer = customer;
        order.Channel = Channel.Hotline;
        order.ResponsibleParty = si;
        var created = await orders.CreateWorkOrderAsync(new CreateWorkOrderRequest { WorkOrder = order, RequestId = RequestId() }, desk);
        complaint ??= created;
        Console.WriteLine($"created {created.Name} {created.Kind} {created.OrderNumber}");
    }

    var refund = await settlement.RecordRefundAsync(new RecordRefundRequest
    {
        Parent = "partners/si-jinghe-reading",
        Refund = new Refund
        {
            Kind = RefundKind.Double,
            ChargedAmount = new Money { CurrencyCode = "CNY", MinorUnits = 1500 },
            PaidTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.Parse("2026-10-15T00:00:00Z", CultureInfo.InvariantCulture)),
            Customer = customer,
            WorkOrder = complaint!.Name,
            Description = "Charged twice for the reading plan",
        },
        RequestId = RequestId(),
    }, job);
    Console.WriteLine($"created {refund.Name}");
    return 0;
}

static async Task<int> RunAsync(Dictionary<string, string> options)
{
    using var channel = GrpcChannel.ForAddress(options["grpc"]);
    var settlement = new SettlementService.SettlementServiceClient(channel);
    var job = await TokenAsync(options["web"], "reconciliation-job");
    var period = new YearMonth { Year = 2026, Month = 10 };
    var callOptions = new CallOptions(job, DateTime.UtcNow.AddMinutes(10));

    var watch = Stopwatch.StartNew();
    var assessed = await settlement.AssessPeriodAsync(new AssessPeriodRequest { Period = period, RequestId = RequestId() }, callOptions);
    var assessSeconds = watch.Elapsed.TotalSeconds;
    watch.Restart();
    var closed = await settlement.ClosePeriodAsync(new ClosePeriodRequest { Period = period, RequestId = RequestId() }, callOptions);
    var closeSeconds = watch.Elapsed.TotalSeconds;

    Console.WriteLine(JsonSerializer.Serialize(new
    {
        assess_s = Math.Round(assessSeconds, 3),
        close_s = Math.Round(closeSeconds, 3),
        total_s = Math.Round(assessSeconds + closeSeconds, 3),
        assessed = assessed.AssessedCount,
        compliant = assessed.CompliantCount,
        suspended = assessed.SuspendedCount,
        cancelled = assessed.CancelledCount,
        statements = closed.StatementCount,
    }));
    return 0;
}

static int Generate(Dictionary<string, string> options)
{
    var path = options["db"];
    var orderCount = int.Parse(options.GetValueOrDefault("orders", "1000000"), CultureInfo.InvariantCulture);
    var siCount = int.Parse(options.GetValueOrDefault("sis", "1000"), CultureInfo.InvariantCulture);
    var random = new Random(int.Parse(options.GetValueOrDefault("seed", "20261031"), CultureInfo.InvariantCulture));
    var watch = Stopwatch.StartNew();
    MonthGenerator.Write(path, orderCount, siCount, random);
    Console.WriteLine($"generated {orderCount} orders over {siCount} SIs into {path} in {watch.Elapsed.TotalSeconds:F1} s");
    return 0;
}
