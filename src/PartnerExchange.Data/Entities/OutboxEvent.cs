namespace PartnerExchange.Data.Entities;

/// <summary>An event of a work order, written in the same transaction as the change; its id is the feed cursor.</summary>
public sealed class OutboxEvent
{
    /// <summary>Gets or sets the generated, increasing identifier that serves as the event feed cursor.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the work order the event is about.</summary>
    public long WorkOrderId { get; set; }

    /// <summary>Gets or sets the partner responsible for the order when the event happened, for per-partner feeds; <c>null</c> for carrier-only events.</summary>
    public string? PartnerId { get; set; }

    /// <summary>Gets or sets the event type name.</summary>
    public required string Type { get; set; }

    /// <summary>Gets or sets the serialized event (protobuf bytes).</summary>
    public required byte[] Payload { get; set; }

    /// <summary>Gets or sets when the event happened (UTC); a step's own time, so not in cursor order.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>
    /// Gets or sets when the event was written (business time, UTC): writers are serialised, so it does not decrease with
    /// the cursor, and the feed's retention is judged by it. <c>null</c> for events written before it was recorded.
    /// </summary>
    public DateTimeOffset? RecordedAt { get; set; }
}
