using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>An SI's settlement statement for a closed month (rulebook section 7), amounts in minor units.</summary>
public sealed class Statement : IVersioned
{
    /// <summary>Gets or sets the SI.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month, <c>YYYY-MM</c>.</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the ISO 4217 currency code.</summary>
    public required string Currency { get; set; }

    /// <summary>Gets or sets the gross amount.</summary>
    public long Gross { get; set; }

    /// <summary>Gets or sets the refunds deducted (positive).</summary>
    public long Deductions { get; set; }

    /// <summary>Gets or sets the opening balance (zero or negative).</summary>
    public long OpeningBalance { get; set; }

    /// <summary>Gets or sets the net amount.</summary>
    public long Net { get; set; }

    /// <summary>Gets or sets the amount withheld this month.</summary>
    public long Withheld { get; set; }

    /// <summary>Gets or sets how the withheld amount is released; <c>null</c> when nothing is withheld.</summary>
    public WithholdingRule? WithheldRule { get; set; }

    /// <summary>Gets or sets what happened to the withheld amount; <c>null</c> when nothing is withheld.</summary>
    public WithheldDisposition? Disposition { get; set; }

    /// <summary>Gets or sets the reason of a manager's release or forfeit.</summary>
    public string? DispositionReason { get; set; }

    /// <summary>Gets or sets whether a partner manager released the withheld amount and it waits for the next close to be paid.</summary>
    public bool ReleaseAwaitingPayment { get; set; }

    /// <summary>Gets or sets the earlier withheld amounts released into this month.</summary>
    public long Released { get; set; }

    /// <summary>Gets or sets the amount payable for this month.</summary>
    public long Payable { get; set; }

    /// <summary>Gets or sets the negative net carried into the next month.</summary>
    public long CarriedForward { get; set; }

    /// <summary>Gets or sets where the money goes.</summary>
    public StatementStatus Status { get; set; }

    /// <summary>Gets or sets the month's outcome.</summary>
    public SanctionOutcome Outcome { get; set; }

    /// <summary>Gets or sets the number of lines.</summary>
    public int LineCount { get; set; }

    /// <summary>Gets or sets when the month was closed.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <inheritdoc/>
    public int Version { get; set; }
}
