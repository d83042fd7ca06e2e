using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>One service contact of a partner (RULEBOOK section 9), valid from a local date on.</summary>
public sealed class PartnerContact
{
    /// <summary>Gets or sets the generated identifier.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the partner this contact belongs to.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the kind of contact.</summary>
    public ContactKind Kind { get; set; }

    /// <summary>Gets or sets the number or address.</summary>
    public required string Value { get; set; }

    /// <summary>Gets or sets the contact person's name, where the kind has one (the named technical contact).</summary>
    public string? ContactName { get; set; }

    /// <summary>Gets or sets the local date (Asia/Shanghai) from which the contact is in effect.</summary>
    public DateOnly EffectiveFrom { get; set; }

    /// <summary>Gets or sets when the carrier was notified of this contact (UTC); the 15-working-day notice counts from here.</summary>
    public DateTimeOffset NotifiedAt { get; set; }
}
