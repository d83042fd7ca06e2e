using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace PartnerExchange.Domain;

/// <summary>The request conventions every service shares (common.proto): request ids, resource names and paging.</summary>
public static partial class Requests
{
    /// <summary>The page size when the request gives 0 (common.proto).</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page; larger sizes are read as this (common.proto).</summary>
    public const int MaxPageSize = 500;

    /// <summary>Checks a request id: 1 to 64 printable ASCII characters (common.proto).</summary>
    public static void CheckRequestId(string requestId, List<FieldViolation> violations, string field = "request_id")
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrEmpty(requestId) || requestId.Length > 64 || requestId.Any(c => c is < (char)0x21 or > (char)0x7E))
        {
            violations.Add(new FieldViolation(field, "must be 1 to 64 printable ASCII characters without spaces; a UUID is recommended."));
        }
    }

    /// <summary>The page size to use for <paramref name="pageSize"/>, adding a violation when it is negative.</summary>
    public static int PageSize(int pageSize, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (pageSize < 0)
        {
            violations.Add(new FieldViolation("page_size", "must not be negative."));
        }

        return pageSize <= 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);
    }

    /// <summary>The partner id of <c>partners/{partner}</c>, or <c>null</c> after adding a violation on <paramref name="field"/>.</summary>
    public static string? PartnerName(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = PartnerNamePattern().Match(name ?? string.Empty);
        if (match.Success)
        {
            return match.Groups[1].Value;
        }

        violations.Add(new FieldViolation(field, "must be a partner's resource name, \"partners/{partner}\"."));
        return null;
    }

    /// <summary>The id of a work order's resource name <c>workOrders/{work_order}</c>, or <c>null</c> with a violation.</summary>
    public static long? WorkOrderName(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = WorkOrderNamePattern().Match(name ?? string.Empty);
        if (match.Success && long.TryParse(match.Groups[1].ValueSpan, out var id) && id > 0)
        {
            return id;
        }

        violations.Add(new FieldViolation(field, "must be a work order's resource name, \"workOrders/{work_order}\"."));
        return null;
    }

    /// <summary>
    /// The partner and month of a monthly resource name <c>partners/{partner}/{collection}/{YYYY-MM}</c> (e.g.
    /// <c>statements</c>), or <c>null</c> with a violation.
    /// </summary>
    public static (string PartnerId, NodaTime.YearMonth Month)? PartnerMonthName(string name, string collection, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = PartnerMonthPattern().Match(name ?? string.Empty);
        if (match.Success && match.Groups[2].Value == collection
            && int.TryParse(match.Groups[3].ValueSpan, out var year) && int.TryParse(match.Groups[4].ValueSpan, out var month)
            && year is >= 2000 and <= 9999 && month is >= 1 and <= 12)
        {
            return (match.Groups[1].Value, new NodaTime.YearMonth(year, month));
        }

        violations.Add(new FieldViolation(field, $"must be \"partners/{{partner}}/{collection}/{{YYYY-MM}}\"."));
        return null;
    }

    /// <summary>The partner and id of a refund's name <c>partners/{partner}/refunds/{refund}</c>, or <c>null</c> with a violation.</summary>
    public static (string PartnerId, long RefundId)? RefundName(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = RefundNamePattern().Match(name ?? string.Empty);
        if (match.Success && long.TryParse(match.Groups[2].ValueSpan, out var id) && id > 0)
        {
            return (match.Groups[1].Value, id);
        }

        violations.Add(new FieldViolation(field, "must be \"partners/{partner}/refunds/{refund}\"."));
        return null;
    }

    /// <summary>
    /// The partner of a list parent <c>partners/{partner}</c>; <paramref name="all"/> is true for <c>partners/-</c> (every
    /// partner). Returns <c>null</c> with a violation when malformed.
    /// </summary>
    public static string? PartnerParent(string parent, string field, List<FieldViolation> violations, out bool all)
    {
        all = parent == "partners/-";
        return all ? "-" : PartnerName(parent, field, violations);
    }

    /// <summary>
    /// Checks a free-text field: required ones must hold a non-blank value; none may be longer than
    /// <paramref name="maxLength"/> characters or hold control characters other than line breaks and tabs.
    /// </summary>
    public static void CheckText(string? value, string field, int maxLength, bool required, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                violations.Add(new FieldViolation(field, "is required."));
            }

            return;
        }

        if (value.Length > maxLength)
        {
            violations.Add(new FieldViolation(field, $"must be at most {maxLength} characters."));
        }
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            violations.Add(new FieldViolation(field, "must not contain control characters."));
        }
    }

    /// <summary>
    /// The partner and client ids of <c>partners/{partner}/clients/{client_id}</c>, or <c>null</c> after adding a
    /// violation on <paramref name="field"/>.
    /// </summary>
    public static (string PartnerId, string ClientId)? PartnerClientName(string name, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var match = PartnerClientNamePattern().Match(name ?? string.Empty);
        if (match.Success)
        {
            return (match.Groups[1].Value, match.Groups[2].Value);
        }

        violations.Add(new FieldViolation(field, "must be a partner client's resource name, \"partners/{partner}/clients/{client_id}\"."));
        return null;
    }

    /// <summary>A page token that continues <paramref name="query"/> after the item <paramref name="after"/>.</summary>
    public static string PageToken(string query, string after) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{query}\n{after}"));

    /// <summary>
    /// The item a page token continues after, <c>null</c> for an empty token (the first page), or <c>null</c> after
    /// adding a violation when the token is malformed or was made for another query (common.proto).
    /// </summary>
    public static string? ReadPageToken(string token, string query, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var separator = text.LastIndexOf('\n');
            if (separator > 0 && text[..separator] == query)
            {
                return text[(separator + 1)..];
            }
        }
        catch (FormatException)
        {
            // Reported below like any token that is not ours.
        }

        violations.Add(new FieldViolation("page_token", "is not a page token of this query; start again with an empty page_token."));
        return null;
    }

    /// <summary>Throws <see cref="InvalidRequestException"/> when there is any violation.</summary>
    public static void ThrowIfAny(List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count > 0)
        {
            throw new InvalidRequestException(violations);
        }
    }

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex PartnerNamePattern();

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/clients/([A-Za-z0-9][A-Za-z0-9._-]{0,99})$", RegexOptions.CultureInvariant)]
    private static partial Regex PartnerClientNamePattern();

    [GeneratedRegex(@"^workOrders/([0-9]{1,18})$")]
    private static partial Regex WorkOrderNamePattern();

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/([A-Za-z]+)/([0-9]{4})-([0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex PartnerMonthPattern();

    [GeneratedRegex("^partners/([a-z0-9][a-z0-9-]{0,61}[a-z0-9])/refunds/([0-9]{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex RefundNamePattern();
}
