using System.Globalization;
using Google.Protobuf;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Answers a gRPC request that middleware refuses before any service runs (authentication, authorization, rate
/// limit) with a trailers-only gRPC response: <c>grpc-status</c>, <c>grpc-message</c> and the rich status in
/// <c>grpc-status-details-bin</c>, so every gRPC client reads a status and its <c>ErrorInfo</c> reason.
/// </summary>
internal static class TrailersOnlyStatus
{
    public static bool IsGrpc(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Writes <paramref name="status"/> (from <see cref="ErrorStatus"/>); its message must be printable ASCII without '%', sent as it is.</summary>
    public static void Write(Microsoft.AspNetCore.Http.HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = status.Message;
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }
}
