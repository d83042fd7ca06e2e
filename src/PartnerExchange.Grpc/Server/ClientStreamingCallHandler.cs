using Google.Protobuf;

namespace PartnerExchange.Grpc.Server;

/// <summary>A stream of request messages in, one response message out.</summary>
internal sealed class ClientStreamingCallHandler<TService, TRequest, TResponse> : ServerCallHandler<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> _invoker;

    public ClientStreamingCallHandler(
        MethodSettings settings,
        ServiceActivator<TService> activator,
        MessageParser<TRequest> requestParser,
        Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker)
        : base(settings, activator, requestParser) => _invoker = invoker;

    protected override async Task RunAsync(HttpServerCallContext call)
    {
        var service = Activator.Create(call.GetHttpContext());
        TResponse response;
        try
        {
            response = await _invoker(service, new HttpRequestStreamReader<TRequest>(call, RequestParser), call).ConfigureAwait(false);
        }
        finally
        {
            await Activator.ReleaseAsync(service).ConfigureAwait(false);
        }

        if (call.Status.StatusCode == StatusCode.OK && call.ReadError is null)
        {
            await call.WriteSingleResponseAsync(
                response ?? throw UnaryCallHandler<TService, TRequest, TResponse>.NullResponse(call)).ConfigureAwait(false);
        }
    }
}
