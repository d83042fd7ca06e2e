using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>
/// Resource names under a partner (partner_service.proto): subscriber bases <c>partners/{partner}/subscriberBases/{YYYY-MM}</c>
/// and response deductions <c>partners/{partner}/responseDeductions/{id}</c>, and months written <c>YYYY-MM</c>.
/// </summary>
public static partial class PartnerNames
{
    /// <summary>The month as resource names and the database write it, <c>YYYY-MM</c>.</summary>
    public static string MonthText(YearMonth month) => month.ToString("yyyy'-'MM", CultureInfo.InvariantCulture);

    /// <summary>The month of a <c>YYYY-MM</c> text, or <c>null</c> when it is not one (years 2000 to 9999).</summary>
    public static YearMonth? ParseMonth(string? text)
    {
        var match = MonthPattern().Match(text ?? string.Empty);
        var year = match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 0;
        return year >= 2000 ? new YearMonth(year, int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>The resource name of a partner's subscriber base for a month.</summary>
    public static string SubscriberBase(string partnerId, string month) => $"partners/{partnerId}/subscriberBases/{month}";

    /// <summary>The resource name of a response deduction.</summary>
    public static string ResponseDeduction(string partnerId, long id) =>
        $"partners/{partnerId}/responseDeductions/{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The partner and month of a subscriber base's name, or <c>null</c> after adding a violation on <paramref name="field"/>.</summary>
    public static (string PartnerId, YearMonth Month)? ReadSubscriberBase(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = SubscriberBasePattern().Match(name ?? string.Empty);
        if (match.Success && ParseMonth(match.Groups[2].Value) is { } month)
        {
            return (match.Groups[1].Value, month);
        }

        violations.Add(new FieldViolation(field, "must be a subscriber base's resource name, \"partners/{partner}/subscriberBases/{YYYY-MM}\"."));
        return null;
    }

    /// <summary>The partner and id of a response deduction's name, or <c>null</c> after adding a violation on <paramref name="field"/>.</summary>
    public static (string PartnerId, long Id)? ReadResponseDeduction(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = ResponseDeductionPattern().Match(name ?? string.Empty);
        if (match.Success && long.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return (match.Groups[1].Value, id);
        }

        violations.Add(new FieldViolation(field, "must be a response deduction's resource name, \"partners/{partner}/responseDeductions/{response_deduction}\"."));
        return null;
    }

    [GeneratedRegex("^([0-9]{4})-(0[1-9]|1[0-2])$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthPattern();

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/subscriberBases/([0-9]{4}-[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex SubscriberBasePattern();

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/responseDeductions/([0-9]{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex ResponseDeductionPattern();
}
