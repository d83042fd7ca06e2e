namespace PartnerExchange.Data.Entities;

/// <summary>The stored response of a mutating call, so a retried request id gets the same answer instead of a second effect.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Gets or sets the generated identifier.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the authenticated caller (client id).</summary>
    public required string Caller { get; set; }

    /// <summary>Gets or sets the full RPC method name.</summary>
    public required string Method { get; set; }

    /// <summary>Gets or sets the caller's request id; unique per caller and method.</summary>
    public required string RequestId { get; set; }

    /// <summary>Gets or sets a hash of the request message, to refuse a reused request id with a different request.</summary>
    public required byte[] RequestHash { get; set; }

    /// <summary>Gets or sets the serialized response message.</summary>
    public required byte[] ResponseBytes { get; set; }

    /// <summary>Gets or sets when the record was written (UTC); old records may be purged by age.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
