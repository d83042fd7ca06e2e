using System.Globalization;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Cli;

/// <summary>A calendar month as pxctl's <c>--period</c> names it, <c>YYYY-MM</c>.</summary>
internal readonly record struct Period(int Year, int Month)
{
    public static Period Parse(string? text)
    {
        if (text is { Length: 7 } && text[4] == '-'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && year is >= 2000 and <= 9999 && month is >= 1 and <= 12)
        {
            return new Period(year, month);
        }

        throw new PxctlException($"--period '{text}' is not a month: give YYYY-MM, e.g. 2026-10.", exitCode: 2);
    }

    public YearMonth ToProto() => new() { Year = Year, Month = Month };

    /// <summary>The request id of <paramref name="command"/> for this month, e.g. <c>pxctl-close-2026-10</c>: a rerun repeats it, so the server acts once.</summary>
    public string RequestId(string command) => $"pxctl-{command}-{this}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public static string Format(YearMonth? month) =>
        month is null || month.Year == 0 ? "" : new Period(month.Year, month.Month).ToString();
}
