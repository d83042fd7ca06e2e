namespace PartnerExchange.Data.Entities;

/// <summary>A partner's gross settlement amount for one month, before deductions (RULEBOOK section 7).</summary>
public sealed class SettlementBasis
{
    /// <summary>Gets or sets the partner.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month as <c>YYYY-MM</c>.</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the gross amount in minor units (fen).</summary>
    public long GrossAmountMinor { get; set; }

    /// <summary>Gets or sets the ISO 4217 currency code, e.g. <c>CNY</c>.</summary>
    public required string Currency { get; set; }

    /// <summary>Gets or sets who recorded it through the API; <c>null</c> for seeded bases.</summary>
    public string? RecordedBy { get; set; }

    /// <summary>Gets or sets when it was last recorded through the API; <c>null</c> for seeded bases.</summary>
    public DateTimeOffset? RecordedAt { get; set; }
}
