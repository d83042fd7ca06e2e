using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>
/// One deduction from an SI's monthly response-rate score (RULEBOOK section 6). Resource name
/// <c>partners/{PartnerId}/responseDeductions/{Id}</c>. A withdrawn deduction stays, marked, and no longer counts.
/// </summary>
public sealed class ResponseDeduction
{
    /// <summary>Gets or sets the generated identifier.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the SI whose score is reduced.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month whose score is reduced, <c>YYYY-MM</c> (Asia/Shanghai).</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets why the points are deducted.</summary>
    public ResponseDeductionReason Reason { get; set; }

    /// <summary>Gets or sets the points deducted, positive.</summary>
    public int Points { get; set; }

    /// <summary>Gets or sets what happened, in words.</summary>
    public required string Description { get; set; }

    /// <summary>Gets or sets the work order that shows the failing, if any.</summary>
    public long? WorkOrderId { get; set; }

    /// <summary>Gets or sets whether the server recorded it itself (a contact change without the notice).</summary>
    public bool Automatic { get; set; }

    /// <summary>Gets or sets the subject that recorded it.</summary>
    public required string RecordedBy { get; set; }

    /// <summary>Gets or sets the role the recorder acted in.</summary>
    public required string RecordedByRole { get; set; }

    /// <summary>Gets or sets the partner the recorder is bound to, when an SI's own call recorded it (automatic deductions).</summary>
    public string? RecordedByPartnerId { get; set; }

    /// <summary>Gets or sets when it was recorded (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when it was withdrawn (UTC); <c>null</c> while it counts.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    /// <summary>Gets or sets the subject that withdrew it.</summary>
    public string? WithdrawnBy { get; set; }

    /// <summary>Gets or sets the role the withdrawer acted in.</summary>
    public string? WithdrawnByRole { get; set; }

    /// <summary>Gets or sets why it was withdrawn.</summary>
    public string? WithdrawReason { get; set; }
}
