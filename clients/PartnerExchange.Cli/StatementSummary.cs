using PartnerExchange.Contracts.V1;
using Spectre.Console;

namespace PartnerExchange.Cli;

/// <summary>An amount in JSON output: the exact integer fen and the same in yuan as text with two decimals.</summary>
internal sealed record Amount(long Fen, string Yuan)
{
    public static Amount Of(Money? money) => Of(money?.MinorUnits ?? 0);

    public static Amount Of(long fen) => new(fen, Amounts.Plain(fen));
}

/// <summary>One SI's statement for a month as pxctl prints it.</summary>
internal sealed record StatementSummary(
    string Partner,
    string Verdict,
    string Status,
    string Currency,
    Amount Gross,
    Amount Deductions,
    Amount OpeningBalance,
    Amount Net,
    Amount Withheld,
    Amount Released,
    Amount Payable,
    Amount CarriedForward,
    int LineCount)
{
    public static StatementSummary Of(Statement s) => new(
        RunContext.PartnerOf(s.Name),
        RunContext.Name(s.SanctionOutcome),
        RunContext.Name(s.Status),
        s.GrossAmount?.CurrencyCode ?? "",
        Amount.Of(s.GrossAmount),
        Amount.Of(s.Deductions),
        Amount.Of(s.OpeningBalance),
        Amount.Of(s.NetAmount),
        Amount.Of(s.WithheldAmount),
        Amount.Of(s.ReleasedAmount),
        Amount.Of(s.NetPayable),
        Amount.Of(s.CarriedForward),
        s.LineCount);

    /// <summary>The sums of every amount over <paramref name="statements"/> (checked: an overflow fails the run).</summary>
    public static StatementSummary Total(IReadOnlyCollection<StatementSummary> statements)
    {
        static Amount Sum(IEnumerable<StatementSummary> all, Func<StatementSummary, Amount> pick) => Amount.Of(all.Aggregate(0L, (sum, s) => checked(sum + pick(s).Fen)));
        var currencies = statements.Select(s => s.Currency).Distinct(StringComparer.Ordinal).ToList();
        return new StatementSummary(
            "total", "", "", currencies.Count == 1 ? currencies[0] : "",
            Sum(statements, s => s.Gross), Sum(statements, s => s.Deductions), Sum(statements, s => s.OpeningBalance), Sum(statements, s => s.Net),
            Sum(statements, s => s.Withheld), Sum(statements, s => s.Released), Sum(statements, s => s.Payable), Sum(statements, s => s.CarriedForward),
            statements.Sum(s => s.LineCount));
    }

    /// <summary>The summary table: one row per SI (verdict, gross, deductions, net, withheld, released, payable) and the totals.</summary>
    public static Table Table(IReadOnlyCollection<StatementSummary> statements, string title)
    {
        var total = Total(statements);
        var currency = total.Currency.Length > 0 ? $" ({total.Currency})" : "";
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumn("Partner").AddColumn("Verdict").AddColumn("Status");
        foreach (var column in new[] { "Gross", "Deductions", "Net", "Withheld", "Released", "Payable" })
        {
            table.AddColumn(new TableColumn(Markup.Escape(column + currency)).RightAligned());
        }

        foreach (var s in statements.Append(total))
        {
            table.AddRow(
                Markup.Escape(s.Partner), Markup.Escape(s.Verdict), Markup.Escape(s.Status),
                Amounts.Grouped(s.Gross.Fen), Amounts.Grouped(s.Deductions.Fen), Amounts.Grouped(s.Net.Fen),
                Amounts.Grouped(s.Withheld.Fen), Amounts.Grouped(s.Released.Fen), Amounts.Grouped(s.Payable.Fen));
        }

        return table;
    }
}
