namespace PartnerExchange.Data.Entities;

/// <summary>A partner's user counts for one calendar month, from the carrier's billing (RULEBOOK section 5).</summary>
public sealed class SubscriberBase : IVersioned
{
    /// <summary>Gets or sets the partner.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month as <c>YYYY-MM</c> (Asia/Shanghai calendar month).</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the billed paying users of the partner that month (C mode divisor).</summary>
    public long BilledUsers { get; set; }

    /// <summary>Gets or sets the group customers of the partner that month (EMP mode; shown, not divided by).</summary>
    public long GroupCustomers { get; set; }

    /// <summary>Gets or sets when the counts were last recorded through the API (UTC); <c>null</c> for seeded ones.</summary>
    public DateTimeOffset? RecordedAt { get; set; }

    /// <summary>Gets or sets the subject that last recorded the counts; <c>null</c> for seeded ones.</summary>
    public string? RecordedBy { get; set; }

    /// <summary>Gets or sets the role the recorder acted in; <c>null</c> for seeded ones.</summary>
    public string? RecordedByRole { get; set; }

    /// <inheritdoc/>
    public int Version { get; set; }
}
