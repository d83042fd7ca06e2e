using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>One complaint behind an assessment, as it stood when the month was assessed: counted or not, and on time.</summary>
public sealed class AssessedComplaint
{
    /// <summary>Gets or sets the SI.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month, <c>YYYY-MM</c>.</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the work order.</summary>
    public long WorkOrderId { get; set; }

    /// <summary>Gets or sets the work order's number.</summary>
    public required string Number { get; set; }

    /// <summary>Gets or sets when the complaint was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets why it did not count; <c>null</c> when it counted.</summary>
    public ComplaintExclusion? Exclusion { get; set; }

    /// <summary>Gets or sets whether it was completed on time.</summary>
    public bool OnTime { get; set; }
}
