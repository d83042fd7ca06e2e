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
        new Google.Rpc.Status
        {
            Code = (int)Code.Unimplemented,
            Message = $"{rpc} is not built yet: it arrives with {capability}.",
            Details =
            {
                Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo
                {
                    Reason = ErrorReason.NotBuilt,
                    Domain = ErrorReason.Domain,
                    Metadata = { ["method"] = rpc },
                }),
            },
        }.ToRpcException();
}
