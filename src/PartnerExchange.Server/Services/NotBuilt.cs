using PartnerExchange.Grpc;

namespace PartnerExchange.Server.Services;

/// <summary>The answer of an RPC whose capability is not built yet: UNIMPLEMENTED, naming what is missing.</summary>
internal static class NotBuilt
{
    public static RpcException Rpc(string rpc, string capability) =>
        new(new Status(StatusCode.Unimplemented, $"{rpc} is not built yet: it arrives with {capability}."));
}
