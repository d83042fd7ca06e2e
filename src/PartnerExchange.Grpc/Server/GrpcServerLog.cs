using Microsoft.Extensions.Logging;

namespace PartnerExchange.Grpc.Server;

/// <summary>The server transport's log messages.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Error, "Error when executing service method '{Method}'.")]
    public static partial void HandlerException(ILogger logger, string method, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Service method '{Method}' ended with status {StatusCode}: {Detail}")]
    public static partial void RpcError(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(3, LogLevel.Debug, "Call to '{Method}' exceeded its deadline of {Deadline:O}.")]
    public static partial void DeadlineExceeded(ILogger logger, string method, DateTime deadline);

    [LoggerMessage(4, LogLevel.Information, "Request with an invalid message to '{Method}' rejected: {StatusCode} {Detail}")]
    public static partial void BadRequestMessage(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(5, LogLevel.Information, "Request rejected: {StatusCode} {Detail}")]
    public static partial void CallRejected(ILogger logger, StatusCode statusCode, string detail);

    [LoggerMessage(6, LogLevel.Debug, "Call to '{Method}' was cancelled by the client.")]
    public static partial void CallCancelled(ILogger logger, string method);
}
