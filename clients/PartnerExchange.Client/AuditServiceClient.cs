using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Client;

/// <summary>Typed client for <c>partnerexchange.v1.AuditService</c>: reads the audit trail; entries are written by the server in the same transaction as each change and never altered.</summary>
public sealed class AuditServiceClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = AuditServiceReflection.Descriptor.Services[0];
    private static readonly Method<ListAuditEntriesRequest, ListAuditEntriesResponse> ListAuditEntriesMethod = Method<ListAuditEntriesRequest, ListAuditEntriesResponse>.FromDescriptor(Service.FindMethodByName("ListAuditEntries"));

    private readonly GrpcChannel _channel;

    /// <summary>Creates a client that calls through <paramref name="channel"/>.</summary>
    public AuditServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Lists audit entries, newest first, with optional filters. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ListAuditEntriesResponse> ListAuditEntriesAsync(ListAuditEntriesRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ListAuditEntriesMethod, request, options);
}
