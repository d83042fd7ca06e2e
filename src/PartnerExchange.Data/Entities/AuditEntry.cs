namespace PartnerExchange.Data.Entities;

/// <summary>One audited action: who did what to which resource, when and why.</summary>
public sealed class AuditEntry
{
    /// <summary>Gets or sets the generated identifier.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets who acted: a client id or a person's account.</summary>
    public required string Actor { get; set; }

    /// <summary>Gets or sets the role the actor acted in, one of <c>ClientRoles</c>; <c>null</c> for entries written before roles were recorded.</summary>
    public string? ActorRole { get; set; }

    /// <summary>Gets or sets the partner an SI actor's token is bound to; <c>null</c> for the carrier's roles.</summary>
    public string? ActorPartnerId { get; set; }

    /// <summary>Gets or sets the partner the resource belongs to; <c>null</c> for resources of no partner (the calendar).</summary>
    public string? PartnerId { get; set; }

    /// <summary>Gets or sets a short summary of the change for people, e.g. <c>client created</c>.</summary>
    public string? Summary { get; set; }

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
