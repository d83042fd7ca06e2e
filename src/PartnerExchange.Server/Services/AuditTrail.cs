using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>Adds the audit entry of a change to the transaction that makes it; entries are never altered.</summary>
internal static class AuditTrail
{
    /// <param name="db">The context whose transaction writes the change.</param>
    /// <param name="caller">Who made the change.</param>
    /// <param name="method">The full RPC name.</param>
    /// <param name="resource">The resource changed.</param>
    /// <param name="partnerId">The partner the resource belongs to, if any.</param>
    /// <param name="requestId">The call's request id.</param>
    /// <param name="summary">What changed, for people.</param>
    /// <param name="now">When.</param>
    /// <param name="reason">The reason the caller gave, for calls that take one.</param>
    public static void Record(
        PartnerExchangeDbContext db, Caller caller, string method, string resource, string? partnerId, string? requestId, string summary, DateTimeOffset now,
        string? reason = null) =>
        db.Insert(new Data.Entities.AuditEntry
        {
            Actor = caller.Subject,
            ActorRole = caller.Role,
            ActorPartnerId = caller.PartnerId,
            Action = method,
            ResourceName = resource,
            PartnerId = partnerId,
            RequestId = requestId,
            Summary = summary,
            OccurredAt = now,
            Reason = reason,
        });
}
