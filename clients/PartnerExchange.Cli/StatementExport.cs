using Spectre.Console;
using System.Globalization;
using CsvHelper;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Cli;

/// <summary>The file formats of <c>statements export</c>.</summary>
internal enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// <c>statements export</c>: every statement of a closed month with its lines, written as one row per statement line
/// (CSV with CsvHelper, XLSX with MiniExcel). The lines of each statement are checked to add up to its net payable
/// before anything is written; the file appears whole or not at all (written beside it, then moved into place).
/// </summary>
internal static class StatementExport
{
    public static async Task ExportAsync(RunContext run, Period period, ExportFormat format, string? file, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file ?? $"statements-{period}.{format.ToString().ToLowerInvariant()}");
        var statements = await run.Progress.StepAsync($"Reading the statements of {period}", () => Reading.StatementsAsync(run, period, cancellationToken));
        if (statements.Count == 0)
        {
            throw new PxctlException($"statements export failed: {period} has no statements (close the month first: pxctl settlement close --period {period}).");
        }

        var rows = await run.Progress.StepAsync($"Reading the lines of {statements.Count} statements", async () =>
        {
            var all = new List<StatementLineRow>();
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                run.Progress.Report($"Reading {statement.Name} ({i + 1}/{statements.Count})");
                var lines = await Reading.LinesAsync(run, statement, cancellationToken);
                var sum = lines.Aggregate(0L, (total, line) => checked(total + line.Amount.MinorUnits));
                if (sum != statement.NetPayable.MinorUnits)
                {
                    throw new PxctlException(
                        $"statements export failed: the lines of {statement.Name} add up to {Amounts.Plain(sum)} but its net payable is {Amounts.Plain(statement.NetPayable.MinorUnits)}.");
                }

                all.AddRange(lines.Select(line => StatementLineRow.Of(statement, line)));
            }

            return all;
        });

        await run.Progress.StepAsync($"Writing {path}", async () =>
        {
            await WriteAsync(path, format, rows, cancellationToken);
            return path;
        });

        var summaries = statements.Select(StatementSummary.Of).ToList();
        if (run.Format == OutputFormat.Json)
        {
            await run.WriteJsonAsync(new
            {
                Command = "statements export",
                Period = period.ToString(),
                Format = format.ToString().ToLowerInvariant(),
                File = path,
                StatementCount = statements.Count,
                LineCount = rows.Count,
                Statements = summaries,
                Totals = StatementSummary.Total(summaries),
            });
            return;
        }

        run.Console.Write(StatementSummary.Table(summaries, $"Statements of {period}"));
        run.Console.WriteLine($"Wrote {rows.Count} lines of {statements.Count} statements to {path}.");
    }

    /// <summary>Writes <paramref name="rows"/> to a file beside <paramref name="path"/>, then moves it into place.</summary>
    internal static async Task WriteAsync(string path, ExportFormat format, IReadOnlyList<StatementLineRow> rows, CancellationToken cancellationToken)
    {
        var partial = path + ".partial";
        try
        {
            await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (format == ExportFormat.Csv)
                {
                    await using var csv = CsvWriter.Create(stream, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
                    await csv.WriteRecordsAsync(rows, cancellationToken);
                }
                else
                {
                    await stream.SaveAsAsync(rows, sheetName: "lines", cancellationToken: cancellationToken);
                }
            }

            File.Move(partial, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw new PxctlException($"statements export failed: cannot write {path}: {PxctlSettings.OneLine(ex.Message)}", ex);
        }
    }
}

/// <summary>One row of an export: one line of one SI's statement, with the statement's status and verdict beside it.</summary>
[CsvRecord]
internal sealed partial record StatementLineRow
{
    [CsvColumn("partner")]
    [ExcelColumnName("partner")]
    public required string Partner { get; init; }

    [CsvColumn("period")]
    [ExcelColumnName("period")]
    public required string Period { get; init; }

    [CsvColumn("statement_status")]
    [ExcelColumnName("statement_status")]
    public required string StatementStatus { get; init; }

    [CsvColumn("verdict")]
    [ExcelColumnName("verdict")]
    public required string Verdict { get; init; }

    [CsvColumn("line_number")]
    [ExcelColumnName("line_number")]
    public required int LineNumber { get; init; }

    [CsvColumn("line_kind")]
    [ExcelColumnName("line_kind")]
    public required string LineKind { get; init; }

    [CsvColumn("amount_fen")]
    [ExcelColumnName("amount_fen")]
    public required long AmountFen { get; init; }

    [CsvColumn("amount_yuan")]
    [ExcelColumnName("amount_yuan")]
    public required decimal AmountYuan { get; init; }

    [CsvColumn("currency")]
    [ExcelColumnName("currency")]
    public required string Currency { get; init; }

    [CsvColumn("description")]
    [ExcelColumnName("description")]
    public required string Description { get; init; }

    [CsvColumn("refund")]
    [ExcelColumnName("refund")]
    public required string Refund { get; init; }

    [CsvColumn("refund_paid_period")]
    [ExcelColumnName("refund_paid_period")]
    public required string RefundPaidPeriod { get; init; }

    [CsvColumn("source_statement")]
    [ExcelColumnName("source_statement")]
    public required string SourceStatement { get; init; }

    public static StatementLineRow Of(Statement statement, StatementLine line) => new()
    {
        Partner = RunContext.PartnerOf(statement.Name),
        Period = Cli.Period.Format(statement.Period),
        StatementStatus = RunContext.Name(statement.Status),
        Verdict = RunContext.Name(statement.SanctionOutcome),
        LineNumber = line.LineNumber,
        LineKind = RunContext.Name(line.Kind),
        AmountFen = line.Amount.MinorUnits,
        AmountYuan = Amounts.Yuan(line.Amount.MinorUnits),
        Currency = line.Amount.CurrencyCode,
        Description = line.Description,
        Refund = line.Refund,
        RefundPaidPeriod = Cli.Period.Format(line.RefundPaidPeriod),
        SourceStatement = line.SourceStatement,
    };
}
