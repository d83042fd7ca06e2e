namespace PartnerExchange.Data.Entities;

/// <summary>One audited action: who did what to which resource, when and why.</summary>
public sealed class AuditEntry
{
    /// <summary>Gets or sets the generated identifier.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets who acted: a client id or a person's account.</summary>
    public required string Actor { get; set; }

    /// <summary>Gets or sets the action, e.g. the RPC method or a named manual action.</summary>
    public required string Action { get; set; }

    /// <summary>Gets or sets the resource name acted on, e.g. <c>partners/si-zhiyun</c>.</summary>
    public required string ResourceName { get; set; }

    /// <summary>Gets or sets when it happened (UTC).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Gets or sets the reason given; required for manual actions by the rulebook.</summary>
    public string? Reason { get; set; }

    /// <summary>Gets or sets the caller's request id, when the call had one.</summary>
    public string? RequestId { get; set; }
}
