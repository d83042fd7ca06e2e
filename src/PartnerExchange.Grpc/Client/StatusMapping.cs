namespace PartnerExchange.Grpc.Client;

/// <summary>
/// Statuses the client synthesizes when the server gave none: from the HTTP status (grpc/grpc
/// doc/http-grpc-status-mapping.md), from an HTTP/2 RST_STREAM code (doc/PROTOCOL-HTTP2.md), or from a transport error.
/// </summary>
internal static class StatusMapping
{
    public static Status FromHttpStatus(int httpStatus)
    {
        var code = httpStatus switch
        {
            400 => StatusCode.Internal,
            401 => StatusCode.Unauthenticated,
            403 => StatusCode.PermissionDenied,
            404 => StatusCode.Unimplemented,
            429 or 502 or 503 or 504 => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        return new Status(code, $"Bad gRPC response. HTTP status code: {httpStatus}.");
    }

    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusCode.Unavailable, // REFUSED_STREAM: safe to retry
        0x8 => StatusCode.Cancelled, // CANCEL
        0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
        0xC => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
        _ => StatusCode.Internal, // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR and the rest
    };

    public static Status FromException(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is HttpProtocolException protocol)
            {
                return new Status(FromHttp2ErrorCode(protocol.ErrorCode), $"The HTTP/2 stream was reset (error code {protocol.ErrorCode}): {protocol.Message}");
            }
        }

        return exception switch
        {
            OperationCanceledException => new Status(StatusCode.Cancelled, "Call cancelled."),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, "Error reaching the server: " + exception.Message),
            _ => new Status(StatusCode.Internal, $"Error in the gRPC call: {exception.GetType().Name}: {exception.Message}"),
        };
    }
}
