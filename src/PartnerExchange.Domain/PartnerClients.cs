namespace PartnerExchange.Domain;

/// <summary>
/// The rules of a partner's OAuth clients (the systems an SI integrates with): who may get one, what it is called, and
/// how its id and secret are made.
/// </summary>
public static class PartnerClients
{
    /// <summary>The longest display name.</summary>
    public const int MaxDisplayNameLength = 200;

    /// <summary>Checks a display name: 1 to 200 characters, not only white space.</summary>
    public static void CheckDisplayName(string displayName, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > MaxDisplayNameLength)
        {
            violations.Add(new FieldViolation("display_name", $"is required, at most {MaxDisplayNameLength} characters."));
        }
    }

    /// <summary>A cancelled partner gets no new client (its cooperation has ended, rulebook section 5).</summary>
    public static void CheckCanCreate(string partnerName, PartnerStatus status)
    {
        if (status == PartnerStatus.Cancelled)
        {
            throw new PreconditionFailedException(
                ErrorReason.PartnerCancelled,
                $"{partnerName} is cancelled and gets no new client.",
                new PreconditionViolation("STATE", partnerName, "The partner's cooperation is cancelled."));
        }
    }

    /// <summary>A new client id for the partner: its id and 12 random hex digits from <paramref name="random"/>.</summary>
    public static string NewClientId(string partnerId, ReadOnlySpan<byte> random) =>
        $"{partnerId}-{Convert.ToHexStringLower(random[..6])}";

    /// <summary>A new client secret: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewSecret(ReadOnlySpan<byte> random) =>
        System.Buffers.Text.Base64Url.EncodeToString(random[..32]);
}
