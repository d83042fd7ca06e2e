using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>A refund paid (or reported by the SI) on an SI's behalf (rulebook section 7); <see cref="Document"/> is the API's view.</summary>
public sealed class Refund : IVersioned
{
    /// <summary>Gets or sets the generated identifier; resource name <c>partners/{PartnerId}/refunds/{Id}</c>.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the SI.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the refund rule.</summary>
    public RefundKind Kind { get; set; }

    /// <summary>Gets or sets whether it is a deduction yet.</summary>
    public RefundState State { get; set; }

    /// <summary>Gets or sets the amount charged in error, minor units.</summary>
    public long ChargedMinor { get; set; }

    /// <summary>Gets or sets the amount refunded and deducted, minor units.</summary>
    public long RefundMinor { get; set; }

    /// <summary>Gets or sets the ISO 4217 currency code.</summary>
    public required string Currency { get; set; }

    /// <summary>Gets or sets when the carrier paid it; <c>null</c> while reported.</summary>
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>Gets or sets the month of <see cref="PaidAt"/>, <c>YYYY-MM</c>.</summary>
    public string? PaidMonth { get; set; }

    /// <summary>Gets or sets the month whose statement bears the deduction, <c>YYYY-MM</c>.</summary>
    public string? DeductionMonth { get; set; }

    /// <summary>Gets or sets the work order that led to it.</summary>
    public long? WorkOrderId { get; set; }

    /// <summary>Gets or sets when it was recorded.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets the refund as the API shows it, protobuf bytes; name and etag are added when read.</summary>
    public byte[] Document { get; set; } = [];

    /// <inheritdoc/>
    public int Version { get; set; }
}
