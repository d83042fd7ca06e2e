using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>One line of a statement.</summary>
public sealed class StatementLine
{
    /// <summary>Gets or sets the SI.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the statement's month, <c>YYYY-MM</c>.</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the 1-based line number.</summary>
    public int LineNumber { get; set; }

    /// <summary>Gets or sets what the line is.</summary>
    public StatementLineKind Kind { get; set; }

    /// <summary>Gets or sets the signed amount, minor units.</summary>
    public long Amount { get; set; }

    /// <summary>Gets or sets a description for people.</summary>
    public required string Description { get; set; }

    /// <summary>Gets or sets the refund deducted (refund lines).</summary>
    public long? RefundId { get; set; }

    /// <summary>Gets or sets the month whose withheld amount is released (release lines).</summary>
    public string? SourceMonth { get; set; }

    /// <summary>Gets or sets the month a late refund was paid in (refund lines).</summary>
    public string? RefundPaidMonth { get; set; }
}
