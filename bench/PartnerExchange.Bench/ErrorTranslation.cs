using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace PartnerExchange.Bench;

/// <summary>
/// What the bench's error interceptors answer instead of an exception, as the product's <c>ErrorInterceptor</c> does
/// for everything but its domain errors: an <see cref="RpcException"/> and the caller's cancellation pass unchanged;
/// anything else is logged and becomes INTERNAL with a correlation id.
/// </summary>
internal static partial class ErrorTranslation
{
    /// <summary>The status to answer with instead of <paramref name="ex"/>, or <c>null</c> to let it pass unchanged.</summary>
    public static RpcException? Translate(Exception ex, ServerCallContext context, ILogger logger, bool detailedErrors)
    {
        switch (ex)
        {
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null;
            default:
                var correlationId = context.GetHttpContext().TraceIdentifier;
                LogUnexpected(logger, ex, context.Method, correlationId);
                var detail = detailedErrors ? ex.ToString() : $"internal error; correlation id {correlationId}";
                return new RpcException(new Status(StatusCode.Internal, detail));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected failure in {Method}; correlation id {CorrelationId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string correlationId);
}
