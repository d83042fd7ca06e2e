using System.Globalization;

namespace PartnerExchange.Cli;

/// <summary>Money for people: integer fen shown as yuan with two decimals, exactly (decimal, never floating point).</summary>
internal static class Amounts
{
    /// <summary>The amount in yuan, with scale 2: 123456 fen is 1234.56 and 100 fen is 1.00.</summary>
    public static decimal Yuan(long fen) => fen * 0.01m;

    /// <summary>The amount as plain text for files and JSON, e.g. <c>-1234.56</c>.</summary>
    public static string Plain(long fen) => Yuan(fen).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The amount for a table, with thousands separators, e.g. <c>19,940.00</c>.</summary>
    public static string Grouped(long fen) => Yuan(fen).ToString("#,0.00", CultureInfo.InvariantCulture);
}
