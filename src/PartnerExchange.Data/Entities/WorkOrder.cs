using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>
/// A customer work order exchanged between carrier and partner (RULEBOOK section 2). The columns are what queries filter
/// and sort by; <see cref="DetailJson"/> holds the lifecycle state the domain decides on (clocks, hold, notices) and
/// <see cref="Document"/> the order as the API shows it (protobuf bytes of <c>partnerexchange.v1.WorkOrder</c>).
/// </summary>
public sealed class WorkOrder : IVersioned
{
    /// <summary>Gets or sets the generated identifier; resource name <c>workOrders/{Id}</c>.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the unique order number shown to people, assigned by the application.</summary>
    public required string Number { get; set; }

    /// <summary>Gets or sets the kind of order.</summary>
    public WorkOrderKind Kind { get; set; }

    /// <summary>Gets or sets the responsible partner; <c>null</c> while the responsibility stays with the carrier.</summary>
    public string? PartnerId { get; set; }

    /// <summary>Gets or sets the kind of responsible party; <c>null</c> for a dissatisfaction record.</summary>
    public ResponsiblePartyKind? ResponsibleKind { get; set; }

    /// <summary>Gets or sets when the order's next automatic step (warning, breach, notice, hold end, close) is due; <c>null</c> when none.</summary>
    public DateTimeOffset? NextDueAt { get; set; }

    /// <summary>Gets or sets whether a clock is past due and unmet.</summary>
    public bool IsOverdue { get; set; }

    /// <summary>Gets or sets whether the order was finally completed within 24 h of creation plus approved hold time (C-mode on time).</summary>
    public bool CompletedOnTime { get; set; }

    /// <summary>Gets or sets whether the customer is a group (business) customer (EMP assessment).</summary>
    public bool IsGroupCustomer { get; set; }

    /// <summary>Gets or sets whether the order counts in the responsible SI's monthly assessment (a carrier-accepted complaint, not voided).</summary>
    public bool CountsInAssessment { get; set; }

    /// <summary>Gets or sets the state of the order.</summary>
    public WorkOrderStatus Status { get; set; }

    /// <summary>Gets or sets where the order came from.</summary>
    public WorkOrderChannel Channel { get; set; }

    /// <summary>Gets or sets the fault severity or complaint urgency as the domain names it; <c>null</c> when the kind has none.</summary>
    public string? Severity { get; set; }

    /// <summary>Gets or sets the earlier order this repeat complaint links to.</summary>
    public long? RepeatOfId { get; set; }

    /// <summary>Gets or sets whether the carrier marked the complaint as major.</summary>
    public bool IsMajor { get; set; }

    /// <summary>Gets or sets when the carrier accepted the order, or the customer contacted the SI directly (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the order was (last) dispatched to the partner (UTC).</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>Gets or sets when the reply is due (UTC); <c>null</c> when no reply clock runs.</summary>
    public DateTimeOffset? ReplyDueAt { get; set; }

    /// <summary>Gets or sets when the resolution is due (UTC); <c>null</c> when no resolve clock runs.</summary>
    public DateTimeOffset? ResolveDueAt { get; set; }

    /// <summary>Gets or sets when the partner first replied (UTC).</summary>
    public DateTimeOffset? RepliedAt { get; set; }

    /// <summary>Gets or sets when the partner last resolved the order (UTC).</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Gets or sets when the order was closed or voided (UTC).</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Gets or sets when the order last changed (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Gets or sets the lifecycle state (<c>WorkOrderState</c>) as JSON: clocks, hold, visits, notices.</summary>
    public required string DetailJson { get; set; }

    /// <summary>Gets or sets the order as the API shows it, protobuf bytes; name and etag are added when read.</summary>
    public byte[] Document { get; set; } = [];

    /// <summary>
    /// Gets or sets when the request was received (UTC): the carrier's creation, or the SI's receipt of a direct request;
    /// the period reports count it in. Projected from the document on every save (reports).
    /// </summary>
    public DateTimeOffset? ReceivedAt { get; set; }

    /// <summary>Gets or sets how a direct request reached the SI; <c>null</c> for orders the carrier created.</summary>
    public DirectChannel? DirectChannel { get; set; }

    /// <summary>Gets or sets whether the SI solved the direct request on first contact.</summary>
    public bool SolvedOnFirstContact { get; set; }

    /// <summary>Gets or sets the technical-support type; <c>null</c> for other kinds.</summary>
    public TechnicalSupportType? SupportType { get; set; }

    /// <summary>Gets or sets the satisfaction of the latest revisit; <c>null</c> before any.</summary>
    public Satisfaction? Satisfaction { get; set; }

    /// <summary>Gets or sets how many times the order was returned to the partner.</summary>
    public int ReturnCount { get; set; }

    /// <summary>Gets or sets whether a run of its reply clock was breached (met late, or its breach raised).</summary>
    public bool ReplyBreached { get; set; }

    /// <inheritdoc/>
    public int Version { get; set; }
}
