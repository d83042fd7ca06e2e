using Google.Rpc;
using Grpc.Core;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// The answer of an RPC whose capability is not built yet: UNIMPLEMENTED, naming the RPC and what is missing, with an
/// <c>ErrorInfo</c> of reason <see cref="ErrorReason.NotBuilt"/> so a client can tell it from an unknown method.
/// </summary>
internal static class NotBuilt
{
    public static RpcException Rpc(string rpc, string capability) =>
        ErrorStatus.Create(
            Code.Unimplemented, ErrorReason.NotBuilt, $"{rpc} is not built yet: it arrives with {capability}.",
            new Dictionary<string, string> { ["method"] = rpc }).ToRpcException();
}
