using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;

namespace PartnerExchange.Cli.Tests;

/// <summary>
/// October 2026 played on the sandbox clock through the real server, then settled by pxctl as the reconciliation job
/// would: assess, close, close again, export. Figures as in the server's settlement scenario: qingfeng at exactly 5.00
/// complaints per 10,000 users (suspended until compliant, its 10,000.00 withheld); yunqi with a 30.00 charge in error
/// refunded double (60.00 deducted from 20,000.00).
/// </summary>
public sealed class MonthEndToEndTests : IAsyncLifetime
{
    private static readonly YearMonth October = new() { Year = 2026, Month = 10 };
    private readonly SandboxServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AssessCloseRerunExport_PlayedOctober_ExactFiguresEverywhereAndClosedOnce()
    {
        await PlayOctoberAsync();

        var assess = await _server.PxctlAsync("settlement", "assess", "--period", "2026-10");
        var close = await _server.PxctlAsync("settlement", "close", "--period", "2026-10", "--output", "json");
        var rerun = await _server.PxctlAsync("settlement", "close", "--period", "2026-10");
        var csvPath = Path.Combine(_server.WorkDirectory, "october.csv");
        var xlsxPath = Path.Combine(_server.WorkDirectory, "october.xlsx");
        var csv = await _server.PxctlAsync("statements", "export", "--period", "2026-10", "--format", "csv", "--file", csvPath);
        var xlsx = await _server.PxctlAsync("statements", "export", "--period", "2026-10", "--format", "xlsx", "--file", xlsxPath, "--output", "json");
        var statements = await new SettlementService.SettlementServiceClient(_server.Channel).ListStatementsAsync(
            new ListStatementsRequest { Parent = "partners/-", Period = October }, await _server.AsAsync("demo-partner-manager"));

        // assess: a table row per SI with its verdict and display figures, and the counts.
        Assert.True(assess.ExitCode == 0, assess.ToString());
        Assert.Matches(@"si-qingfeng-games\s+│\s+C\s+│\s+SUSPENDED_UNTIL_COMPLIANT\s+│\s+1\s+│\s+5\.00\s+│\s+100\.00%", assess.Output);
        Assert.Matches(@"si-yunqi-music\s+│\s+C\s+│\s+COMPLIANT\s+│\s+0\s+│\s+0\.00", assess.Output);
        Assert.Contains("2026-10: 5 assessed, 4 compliant, 1 suspended, 0 cancelled (request id pxctl-assess-2026-10).", assess.Output, StringComparison.Ordinal);
        Assert.Empty(assess.Error);

        // close --output json: only the JSON document on stdout, amounts in fen and yuan.
        Assert.True(close.ExitCode == 0, close.ToString());
        using var closed = JsonDocument.Parse(close.Output);
        var root = closed.RootElement;
        Assert.Equal(("pxctl-close-2026-10", false, 5), (root.GetProperty("requestId").GetString(), root.GetProperty("alreadyClosed").GetBoolean(), root.GetProperty("statementCount").GetInt32()));
        var yunqi = Statement(root, "si-yunqi-music");
        Assert.Equal(
            ("COMPLIANT", "PAYABLE", 2_000_000L, 6_000L, 1_994_000L, 0L, 1_994_000L, "19940.00"),
            (yunqi.GetProperty("verdict").GetString(), yunqi.GetProperty("status").GetString(), Fen(yunqi, "gross"), Fen(yunqi, "deductions"), Fen(yunqi, "net"),
                Fen(yunqi, "withheld"), Fen(yunqi, "payable"), yunqi.GetProperty("payable").GetProperty("yuan").GetString()));
        var qingfeng = Statement(root, "si-qingfeng-games");
        Assert.Equal(
            ("SUSPENDED_UNTIL_COMPLIANT", "WITHHELD", 1_000_000L, 1_000_000L, 1_000_000L, 0L),
            (qingfeng.GetProperty("verdict").GetString(), qingfeng.GetProperty("status").GetString(), Fen(qingfeng, "gross"), Fen(qingfeng, "net"),
                Fen(qingfeng, "withheld"), Fen(qingfeng, "payable")));
        Assert.Equal((3_000_000L, 6_000L, 1_000_000L, 1_994_000L), (Fen(root.GetProperty("totals"), "gross"), Fen(root.GetProperty("totals"), "deductions"),
            Fen(root.GetProperty("totals"), "withheld"), Fen(root.GetProperty("totals"), "payable")));

        // close again: the same request id gets the first answer; the month was closed once, with the same statements.
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Matches(@"si-yunqi-music\s+│\s+COMPLIANT\s+│\s+PAYABLE\s+│\s+20,000\.00\s+│\s+60\.00\s+│\s+19,940\.00\s+│\s+0\.00\s+│\s+0\.00\s+│\s+19,940\.00", rerun.Output);
        Assert.Matches(@"total\s+│\s+│\s+│\s+30,000\.00\s+│\s+60\.00\s+│\s+29,940\.00\s+│\s+10,000\.00\s+│\s+0\.00\s+│\s+19,940\.00", rerun.Output);
        Assert.Equal(5, statements.Statements.Count);

        // export csv: one row per statement line, exact fen and yuan.
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var rows = File.ReadAllLines(csvPath);
        Assert.Equal("partner,period,statement_status,verdict,line_number,line_kind,amount_fen,amount_yuan,currency,description,refund,refund_paid_period,source_statement", rows[0]);
        var yunqiRows = rows.Where(r => r.StartsWith("si-yunqi-music,", StringComparison.Ordinal)).Select(r => r.Split(',')).ToList();
        Assert.Equal(
            [("1", "GROSS", "2000000", "20000.00"), ("2", "REFUND_DEDUCTION", "-6000", "-60.00")],
            yunqiRows.Select(r => (r[4], r[5], r[6], r[7])));
        Assert.All(yunqiRows, r => Assert.Equal(("2026-10", "PAYABLE", "COMPLIANT", "CNY"), (r[1], r[2], r[3], r[8])));
        Assert.StartsWith("partners/si-yunqi-music/refunds/", yunqiRows[1][10], StringComparison.Ordinal);
        var qingfengRows = rows.Where(r => r.StartsWith("si-qingfeng-games,", StringComparison.Ordinal)).Select(r => r.Split(',')).ToList();
        Assert.Equal([("GROSS", "1000000"), ("WITHHOLDING", "-1000000")], qingfengRows.Select(r => (r[5], r[6])));
        Assert.Contains($"to {csvPath}.", csv.Output, StringComparison.Ordinal);

        // export xlsx: the same rows, amounts as numbers.
        Assert.True(xlsx.ExitCode == 0, xlsx.ToString());
        using var exported = JsonDocument.Parse(xlsx.Output);
        Assert.Equal((xlsxPath, rows.Length - 1), (exported.RootElement.GetProperty("file").GetString(), exported.RootElement.GetProperty("lineCount").GetInt32()));
        var sheet = MiniExcel.Query(xlsxPath, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(rows.Length - 1, sheet.Count);
        var refundRow = Assert.Single(sheet, r => (string)r["partner"] == "si-yunqi-music" && (string)r["line_kind"] == "REFUND_DEDUCTION");
        Assert.Equal((-6000m, -60m, "CNY"), (Convert.ToDecimal(refundRow["amount_fen"], CultureInfo.InvariantCulture), Convert.ToDecimal(refundRow["amount_yuan"], CultureInfo.InvariantCulture), (string)refundRow["currency"]));
        Assert.Equal(1_994_000m, sheet.Where(r => (string)r["partner"] == "si-yunqi-music").Sum(r => Convert.ToDecimal(r["amount_fen"], CultureInfo.InvariantCulture)));
    }

    private static JsonElement Statement(JsonElement root, string partner) =>
        root.GetProperty("statements").EnumerateArray().Single(s => s.GetProperty("partner").GetString() == partner);

    private static long Fen(JsonElement statement, string amount) => statement.GetProperty(amount).GetProperty("fen").GetInt64();

    private async Task PlayOctoberAsync()
    {
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
            foreach (var (partner, billed, group) in new[]
            {
                ("si-qingfeng-games", 2_000L, 0L), ("si-yunqi-music", 40_000L, 0L), ("si-jinghe-reading", 9_000L, 0L),
                ("si-hengtong-office", 15_000L, 210L), ("si-anxin-fleet", 4_000L, 30L),
            })
            {
                db.SubscriberBases.Add(new Data.Entities.SubscriberBase { PartnerId = partner, Month = "2026-10", BilledUsers = billed, GroupCustomers = group });
            }

            await db.SaveChangesAsync();
        }

        var job = await _server.AsAsync("demo-reconciliation-job");
        var orders = new WorkOrderService.WorkOrderServiceClient(_server.Channel);
        var settlement = new SettlementService.SettlementServiceClient(_server.Channel);
        var sandbox = new SandboxService.SandboxServiceClient(_server.Channel);

        // One complaint against qingfeng (1 in 2,000 users: exactly 5.00 per 10,000), resolved within 3 hours.
        var complaint = await orders.CreateWorkOrderAsync(new CreateWorkOrderRequest
        {
            WorkOrder = new WorkOrder
            {
                Summary = "Complaint",
                Customer = new Customer { DisplayName = "Li Lei" },
                Channel = Channel.Hotline,
                ResponsibleParty = new ResponsibleParty { Kind = ResponsiblePartyKind.ServiceIntegrator, Partner = "partners/si-qingfeng-games" },
                Complaint = new Complaint { Description = "Charged twice", Urgency = ComplaintUrgency.Ordinary },
            },
            RequestId = Guid.NewGuid().ToString(),
        }, await _server.AsAsync("demo-carrier-desk"));
        var si = await _server.AsAsync("demo-si-qingfeng-games");
        await orders.AcknowledgeWorkOrderAsync(new AcknowledgeWorkOrderRequest { Name = complaint.Name, RequestId = Guid.NewGuid().ToString() }, si);
        await sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(SandboxServer.Start.AddHours(3)) }, job);
        await orders.ResolveWorkOrderAsync(new ResolveWorkOrderRequest { Name = complaint.Name, ResolutionText = "Refunded", RequestId = Guid.NewGuid().ToString() }, si);

        foreach (var (partner, gross) in new[] { ("si-qingfeng-games", 1_000_000L), ("si-yunqi-music", 2_000_000L) })
        {
            await settlement.RecordSettlementBasisAsync(new RecordSettlementBasisRequest
            {
                Parent = "partners/" + partner,
                Period = October,
                GrossAmount = new Money { CurrencyCode = "CNY", MinorUnits = gross },
                RequestId = Guid.NewGuid().ToString(),
            }, job);
        }

        await sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(SandboxServer.Start.AddDays(10)) }, job);
        await settlement.RecordRefundAsync(new RecordRefundRequest
        {
            Parent = "partners/si-yunqi-music",
            Refund = new Refund
            {
                Kind = RefundKind.Double,
                ChargedAmount = new Money { CurrencyCode = "CNY", MinorUnits = 3_000 },
                PaidTime = Timestamp.FromDateTimeOffset(SandboxServer.Start.AddDays(3)),
                Customer = new Customer { DisplayName = "Li Lei" },
                Description = "VIP charged twice",
            },
            RequestId = Guid.NewGuid().ToString(),
        }, job);
        await sandbox.AdvanceClockAsync(new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8))) }, job);
    }
}
