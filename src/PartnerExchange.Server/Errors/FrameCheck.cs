using Google.Rpc;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Looks at the first byte of a unary or server-streaming gRPC request before the framework reads it: a message
/// header whose compressed flag is neither 0 nor 1 is answered INVALID_ARGUMENT with reason
/// <see cref="ErrorReason.MalformedRequest"/>, where the framework would answer UNKNOWN and log an error. Nothing is
/// consumed; only methods whose caller must send its one request at once are looked at, so no stream waits on it.
/// </summary>
internal static class FrameCheck
{
    public static IApplicationBuilder UseGrpcFrameCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var type = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type;
        if (type is MethodType.Unary or MethodType.ServerStreaming && TrailersOnlyStatus.IsGrpc(context.Request))
        {
            var reader = context.Request.BodyReader;
            var read = await reader.ReadAsync(context.RequestAborted);
            var flag = read.Buffer.IsEmpty ? (byte)0 : read.Buffer.FirstSpan[0];
            reader.AdvanceTo(read.Buffer.Start);
            if (flag > 1)
            {
                TrailersOnlyStatus.Write(context.Response, ErrorStatus.Create(
                    Code.InvalidArgument, ErrorReason.MalformedRequest, "The gRPC message header has an unknown compressed flag."));
                return;
            }
        }

        await next(context);
    });
}
