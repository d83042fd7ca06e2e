using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// The one place where failures become gRPC statuses: a <see cref="DomainException"/> becomes its status with rich
/// details (<see cref="ErrorStatus"/>); an <see cref="RpcException"/> and a cancellation by the caller pass through;
/// anything else is logged and becomes INTERNAL with a correlation id, carrying the exception text only when
/// <c>Grpc:EnableDetailedErrors</c> is on.
/// </summary>
internal sealed partial class ErrorInterceptor : Interceptor
{
    private readonly ILogger<ErrorInterceptor> _logger;
    private readonly bool _detailedErrors;

    public ErrorInterceptor(ILogger<ErrorInterceptor> logger, IOptions<GrpcServiceOptions> options)
    {
        _logger = logger;
        _detailedErrors = options.Value.EnableDetailedErrors ?? false;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    /// <summary>The status to answer with instead of <paramref name="ex"/>, or <c>null</c> to let it pass unchanged.</summary>
    private RpcException? Translate(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null;
            case DomainException domain:
                return ErrorStatus.From(domain).ToRpcException();
            default:
                var correlationId = context.GetHttpContext().TraceIdentifier;
                LogUnexpected(_logger, ex, context.Method, correlationId);
                return ErrorStatus.Internal(correlationId, _detailedErrors ? ex : null).ToRpcException();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected failure in {Method}; correlation id {CorrelationId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string correlationId);
}
