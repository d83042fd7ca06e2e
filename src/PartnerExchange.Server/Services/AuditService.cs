using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>The audit trail of every change and who made it.</summary>
internal sealed class AuditService : Contracts.V1.AuditService.AuditServiceBase
{
    private const string Capability = "the audit trail";

    /// <summary>AuditService.ListAuditEntries: answers UNIMPLEMENTED until the audit trail is built.</summary>
    public override Task<ListAuditEntriesResponse> ListAuditEntries(ListAuditEntriesRequest request, ServerCallContext context) =>
        Task.FromException<ListAuditEntriesResponse>(NotBuilt.Rpc("AuditService.ListAuditEntries", Capability));
}
