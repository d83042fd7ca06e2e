using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// Serves the calls of one method: checks the HTTP request, runs the handler under the call's deadline and
/// turns its outcome into the gRPC status. The four call kinds differ only in <see cref="RunAsync"/>.
/// </summary>
/// <typeparam name="TService">The service class.</typeparam>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
internal abstract class ServerCallHandler<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected ServerCallHandler(MethodSettings settings, ServiceActivator<TService> activator, MessageParser<TRequest> requestParser)
    {
        Settings = settings;
        Activator = activator;
        RequestParser = requestParser;
    }

    protected MethodSettings Settings { get; }

    protected ServiceActivator<TService> Activator { get; }

    protected MessageParser<TRequest> RequestParser { get; }

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        if (!CheckHttpRequest(httpContext))
        {
            return;
        }

        var call = new HttpServerCallContext(httpContext, Settings);
        try
        {
            if (call.Initialize() is { } rejected)
            {
                GrpcServerLog.CallRejected(Settings.Logger, rejected.StatusCode, rejected.Detail);
                await call.EndCallAsync(rejected, null, null, completeResponse: false).ConfigureAwait(false);
                return;
            }

            var handlerTask = RunAsync(call);
            if (call.DeadlineReached is { } deadlineReached && !handlerTask.IsCompleted)
            {
                await Task.WhenAny(handlerTask, deadlineReached).ConfigureAwait(false);
                if (!handlerTask.IsCompleted)
                {
                    // The client learns now; the request lives on until the handler returns, but nothing it writes is sent.
                    GrpcServerLog.DeadlineExceeded(Settings.Logger, Settings.FullName, call.Deadline);
                    await call.EndCallAsync(DeadlineStatus, null, null, completeResponse: true).ConfigureAwait(false);
                }
            }

            try
            {
                await handlerTask.ConfigureAwait(false);
                await EndAfterHandlerAsync(call, null).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await EndAfterHandlerAsync(call, ex).ConfigureAwait(false);
            }
        }
        finally
        {
            call.Dispose();
        }
    }

    /// <summary>Reads the request, invokes the service method and writes its response messages.</summary>
    protected abstract Task RunAsync(HttpServerCallContext call);

    private static readonly Status DeadlineStatus = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    private bool CheckHttpRequest(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            httpContext.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            httpContext.Response.Headers.Allow = HttpMethods.Post;
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return false;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            HttpServerCallContext.WriteTrailersOnly(
                httpContext.Response,
                new Status(StatusCode.Internal, $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2."));
            return false;
        }

        return true;
    }

    private ValueTask EndAfterHandlerAsync(HttpServerCallContext call, Exception? exception)
    {
        if (call.IsCompleted)
        {
            return ValueTask.CompletedTask;
        }

        var logger = Settings.Logger;
        if (call.DeadlineExceeded)
        {
            GrpcServerLog.DeadlineExceeded(logger, Settings.FullName, call.Deadline);
            return call.EndCallAsync(DeadlineStatus, null, null, completeResponse: false);
        }

        if (call.ReadError is { } readError)
        {
            GrpcServerLog.BadRequestMessage(logger, Settings.FullName, readError.StatusCode, readError.Status.Detail);
            return call.EndCallAsync(readError.Status, null, null, completeResponse: false);
        }

        switch (exception)
        {
            case null:
                return call.EndCallAsync(call.Status, call.ResponseTrailersIfAny, null, completeResponse: false);

            case RpcException rpc:
                GrpcServerLog.RpcError(logger, Settings.FullName, rpc.StatusCode, rpc.Status.Detail);
                MergeTrailers(call, rpc.Trailers);
                return call.EndCallAsync(rpc.Status, call.ResponseTrailers, rpc.RichStatus, completeResponse: false);

            case OperationCanceledException when call.CancellationToken.IsCancellationRequested:
                GrpcServerLog.CallCancelled(logger, Settings.FullName);
                return call.EndCallAsync(new Status(StatusCode.Cancelled, "Call cancelled."), null, null, completeResponse: false);

            default:
                GrpcServerLog.HandlerException(logger, Settings.FullName, exception);
                var detail = Settings.EnableDetailedErrors
                    ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                    : "Exception was thrown by handler.";
                return call.EndCallAsync(new Status(StatusCode.Unknown, detail), call.ResponseTrailersIfAny, null, completeResponse: false);
        }
    }

    private static void MergeTrailers(HttpServerCallContext call, Metadata trailers)
    {
        if (trailers.Count == 0)
        {
            return;
        }

        var target = call.ResponseTrailers;
        foreach (var entry in trailers)
        {
            target.Add(entry);
        }
    }
}
