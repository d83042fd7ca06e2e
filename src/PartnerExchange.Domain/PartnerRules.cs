using System.Text.RegularExpressions;

namespace PartnerExchange.Domain;

/// <summary>A named person reachable by phone (a service or technical contact).</summary>
/// <param name="Name">The person's name.</param>
/// <param name="PhoneNumber">The phone number, digits with an optional leading "+".</param>
public sealed record ContactPerson(string Name, string PhoneNumber);

/// <summary>
/// The customer-service facts a partner must keep and announce under the notice rule (rulebook sections 3 and 9): company
/// name, business type, the 7x24 hotline on a fixed line, a mobile number, a customer-service contact on the carrier's
/// mobile network, a named technical contact and an online service channel.
/// </summary>
public sealed record ContactSet(
    string CompanyName, string BusinessType, string HotlineNumber, string MobileNumber, ContactPerson? ServiceContact, ContactPerson? TechnicalContact,
    string OnlineServiceUrl);

/// <summary>The rules of the partner registry: ids, names, kinds and modes, and the section 9 contacts.</summary>
public static partial class PartnerRules
{
    /// <summary>The longest display name.</summary>
    public const int MaxDisplayNameLength = 100;

    /// <summary>The longest free-text reason of a suspension, reinstatement, cancellation or withdrawal.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>Checks a new partner's id: 3 to 40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen.</summary>
    public static void CheckPartnerId(string partnerId, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (!PartnerIdPattern().IsMatch(partnerId ?? string.Empty))
        {
            violations.Add(new FieldViolation("partner_id", "must be 3 to 40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."));
        }
    }

    /// <summary>
    /// Checks the kind, assessment mode and settlement currency: an SI needs a mode and a currency; the platform operator,
    /// neither assessed nor settled, has neither.
    /// </summary>
    public static void CheckKind(PartnerKind? kind, AssessmentMode? mode, string currency, string prefix, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        switch (kind)
        {
            case null:
                violations.Add(new FieldViolation($"{prefix}kind", "is required: SERVICE_INTEGRATOR or PLATFORM_OPERATOR."));
                break;
            case PartnerKind.ServiceIntegrator:
                if (mode is null)
                {
                    violations.Add(new FieldViolation($"{prefix}assessment_mode", "is required for a service integrator: C or EMP."));
                }

                if (!Money.IsCurrencyCode(currency))
                {
                    violations.Add(new FieldViolation($"{prefix}settlement_currency_code", "is required for a service integrator: an ISO 4217 code such as \"CNY\"."));
                }

                break;
            case PartnerKind.PlatformOperator:
                if (mode is not null)
                {
                    violations.Add(new FieldViolation($"{prefix}assessment_mode", "must be unset for the platform operator, which is not assessed."));
                }

                if (!string.IsNullOrEmpty(currency))
                {
                    violations.Add(new FieldViolation($"{prefix}settlement_currency_code", "must be empty for the platform operator, which is not settled."));
                }

                break;
        }
    }

    /// <summary>
    /// Checks a complete contact set (section 9), one violation per bad field under <paramref name="prefix"/> (e.g.
    /// <c>contacts.</c>): every field is required; phone numbers are digits with an optional leading "+", at most 20; the
    /// hotline is a fixed line (not a mobile number; digits only, so no extension); the mobile number and the
    /// customer-service contact's phone are mobile numbers; the online channel is an absolute https URL.
    /// </summary>
    public static void CheckContacts(ContactSet? contacts, string prefix, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (contacts is null)
        {
            violations.Add(new FieldViolation(prefix.TrimEnd('.'), "is required: the section 9 contacts."));
            return;
        }

        Requests.CheckText(contacts.CompanyName, $"{prefix}company_name", 200, required: true, violations);
        Requests.CheckText(contacts.BusinessType, $"{prefix}business_type", 100, required: true, violations);
        if (CheckPhone(contacts.HotlineNumber, $"{prefix}hotline_number", violations) && IsMobile(contacts.HotlineNumber))
        {
            violations.Add(new FieldViolation($"{prefix}hotline_number", "must be a fixed line, not a mobile number."));
        }

        if (CheckPhone(contacts.MobileNumber, $"{prefix}mobile_number", violations) && !IsMobile(contacts.MobileNumber))
        {
            violations.Add(new FieldViolation($"{prefix}mobile_number", "must be a mobile number (11 digits starting with 1, optionally after +86)."));
        }

        CheckPerson(contacts.ServiceContact, $"{prefix}service_contact", mobile: true, violations);
        CheckPerson(contacts.TechnicalContact, $"{prefix}technical_contact", mobile: false, violations);
        if (string.IsNullOrWhiteSpace(contacts.OnlineServiceUrl))
        {
            violations.Add(new FieldViolation($"{prefix}online_service_url", "is required."));
        }
        else if (contacts.OnlineServiceUrl.Length > 200 || !Uri.TryCreate(contacts.OnlineServiceUrl, UriKind.Absolute, out var url)
            || url.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(url.Host))
        {
            violations.Add(new FieldViolation($"{prefix}online_service_url", "must be an absolute https URL of at most 200 characters."));
        }
    }

    private static void CheckPerson(ContactPerson? person, string field, bool mobile, List<FieldViolation> violations)
    {
        if (person is null)
        {
            violations.Add(new FieldViolation(field, "is required."));
            return;
        }

        Requests.CheckText(person.Name, $"{field}.name", 100, required: true, violations);
        if (CheckPhone(person.PhoneNumber, $"{field}.phone_number", violations) && mobile && !IsMobile(person.PhoneNumber))
        {
            violations.Add(new FieldViolation($"{field}.phone_number", "must be a mobile number on the carrier's network (11 digits starting with 1)."));
        }
    }

    private static bool CheckPhone(string? number, string field, List<FieldViolation> violations)
    {
        if (string.IsNullOrEmpty(number))
        {
            violations.Add(new FieldViolation(field, "is required."));
            return false;
        }

        if (!PhonePattern().IsMatch(number))
        {
            violations.Add(new FieldViolation(field, "must be 5 to 20 digits with an optional leading \"+\"."));
            return false;
        }

        return true;
    }

    private static bool IsMobile(string number) => MobilePattern().IsMatch(number);

    [GeneratedRegex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PartnerIdPattern();

    [GeneratedRegex(@"^\+?[0-9]{5,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^(\+?86)?1[3-9][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex MobilePattern();
}
