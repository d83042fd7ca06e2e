namespace PartnerExchange.Data.Entities;

/// <summary>A settlement month: when it was last assessed and when it was closed (a closed month never changes).</summary>
public sealed class SettlementPeriod : IVersioned
{
    /// <summary>Gets or sets the month, <c>YYYY-MM</c> (Asia/Shanghai).</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets when the month was last assessed.</summary>
    public DateTimeOffset? AssessedAt { get; set; }

    /// <summary>Gets or sets when the month was closed; <c>null</c> while open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <inheritdoc/>
    public int Version { get; set; }
}
