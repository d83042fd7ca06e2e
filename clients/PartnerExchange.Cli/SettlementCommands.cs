using System.Globalization;
using PartnerExchange.Contracts.V1;
using Spectre.Console;

namespace PartnerExchange.Cli;

/// <summary>
/// <c>settlement assess</c> and <c>settlement close</c>: one write with the month's request id (a rerun gets the first
/// run's answer from the server and writes nothing), then the month's assessments or statements read back and printed.
/// </summary>
internal static class SettlementCommands
{
    public static async Task AssessAsync(RunContext run, Period period, string requestId, CancellationToken cancellationToken)
    {
        var request = new AssessPeriodRequest { Period = period.ToProto(), RequestId = requestId };
        var response = await run.Progress.StepAsync($"Assessing {period} (request id {requestId})", () =>
            run.Session.CallAsync("AssessPeriod", o => run.Session.Api.Settlements.AssessPeriodAsync(request, o).ResponseAsync, cancellationToken));
        var assessments = await run.Progress.StepAsync($"Reading the assessments of {period}", () => Reading.AssessmentsAsync(run, period, cancellationToken));
        var rows = assessments.Select(AssessmentRow.Of).ToList();

        if (run.Format == OutputFormat.Json)
        {
            await run.WriteJsonAsync(new
            {
                Command = "settlement assess",
                Period = period.ToString(),
                RequestId = requestId,
                response.AssessedCount,
                response.CompliantCount,
                response.SuspendedCount,
                response.CancelledCount,
                Assessments = rows,
            });
            return;
        }

        var table = new Table { Title = new TableTitle($"Assessments of {period}") };
        table.AddColumn("Partner").AddColumn("Mode").AddColumn("Verdict")
            .AddColumn(new TableColumn("Complaints").RightAligned())
            .AddColumn(new TableColumn("Per 10,000 users").RightAligned())
            .AddColumn(new TableColumn("On time").RightAligned())
            .AddColumn(new TableColumn("Response score").RightAligned());
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Partner), row.Mode, row.Verdict, row.ComplaintCount.ToString(CultureInfo.InvariantCulture),
                row.ComplaintsPerTenThousandUsers ?? "-", row.OnTimeRate ?? "-", row.ResponseScore.ToString(CultureInfo.InvariantCulture));
        }

        run.Console.Write(table);
        run.Console.WriteLine(
            $"{period}: {response.AssessedCount} assessed, {response.CompliantCount} compliant, {response.SuspendedCount} suspended, "
            + $"{response.CancelledCount} cancelled (request id {requestId}).");
    }

    public static async Task CloseAsync(RunContext run, Period period, string requestId, CancellationToken cancellationToken)
    {
        var request = new ClosePeriodRequest { Period = period.ToProto(), RequestId = requestId };
        var response = await run.Progress.StepAsync($"Closing {period} (request id {requestId})", () =>
            run.Session.CallAsync("ClosePeriod", o => run.Session.Api.Settlements.ClosePeriodAsync(request, o).ResponseAsync, cancellationToken));
        var statements = await run.Progress.StepAsync($"Reading the statements of {period}", () => Reading.StatementsAsync(run, period, cancellationToken));
        if (statements.Count != response.StatementCount)
        {
            throw new PxctlException($"ClosePeriod reported {response.StatementCount} statements for {period} but ListStatements returned {statements.Count}.");
        }

        var summaries = statements.Select(StatementSummary.Of).ToList();
        var closeTime = response.CloseTime?.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture) ?? "";
        if (run.Format == OutputFormat.Json)
        {
            await run.WriteJsonAsync(new
            {
                Command = "settlement close",
                Period = period.ToString(),
                RequestId = requestId,
                response.AlreadyClosed,
                CloseTime = closeTime,
                response.StatementCount,
                Statements = summaries,
                Totals = StatementSummary.Total(summaries),
            });
            return;
        }

        run.Console.Write(StatementSummary.Table(summaries, $"Statements of {period}"));
        run.Console.WriteLine(
            $"{period}: {(response.AlreadyClosed ? "was already closed" : "closed")} at {closeTime}, {response.StatementCount} statements (request id {requestId}).");
    }

    /// <summary>One SI's assessment as pxctl prints it; rates are the contract's rounded-down display figures.</summary>
    internal sealed record AssessmentRow(
        string Partner, string Mode, string Verdict, long ComplaintCount, string? ComplaintsPerTenThousandUsers, string? OnTimeRate, int ResponseScore, bool Final)
    {
        public static AssessmentRow Of(Assessment a) => a.IndicatorsCase switch
        {
            Assessment.IndicatorsOneofCase.CIndicators => new(
                RunContext.PartnerOf(a.Name), RunContext.Name(a.Mode), RunContext.Name(a.Outcome), a.CIndicators.ComplaintCount,
                Hundredths(a.CIndicators.ComplaintsPerTenThousandUsersHundredths), Hundredths(a.CIndicators.OnTimeRateBasisPoints) + "%", a.ResponseScore, a.Final),
            Assessment.IndicatorsOneofCase.EmpIndicators => new(
                RunContext.PartnerOf(a.Name), RunContext.Name(a.Mode), RunContext.Name(a.Outcome), a.EmpIndicators.ComplaintCount, null, null, a.ResponseScore, a.Final),
            _ => new(RunContext.PartnerOf(a.Name), RunContext.Name(a.Mode), RunContext.Name(a.Outcome), 0, null, null, a.ResponseScore, a.Final),
        };

        /// <summary>A figure in hundredths with two decimals by integer division: 499 is 4.99, 7500 is 75.00.</summary>
        internal static string Hundredths(int value) =>
            string.Create(CultureInfo.InvariantCulture, $"{(value < 0 ? "-" : "")}{Math.Abs(value / 100)}.{Math.Abs(value % 100):D2}");
    }
}
