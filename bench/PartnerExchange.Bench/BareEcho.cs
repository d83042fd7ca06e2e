using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PartnerExchange.Bench;

/// <summary>
/// The ceiling: a plain Kestrel HTTP/2 endpoint on the echo path that drains the request body and writes
/// precomputed reply bytes (one gRPC frame) and a <c>grpc-status: 0</c> trailer, with no gRPC library code.
/// </summary>
internal static class BareEcho
{
    public static void Map(IEndpointRouteBuilder endpoints, byte[] replyFrame)
    {
        endpoints.MapPost(EchoPayload.Path, context => HandleAsync(context, replyFrame));
    }

    private static async Task HandleAsync(HttpContext context, byte[] replyFrame)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        context.Response.ContentType = "application/grpc";
        await context.Response.BodyWriter.WriteAsync(replyFrame, context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }
}
