using Google.Protobuf;

namespace PartnerExchange.Grpc.Server;

/// <summary>One request message in, a stream of response messages out.</summary>
internal sealed class ServerStreamingCallHandler<TService, TRequest, TResponse> : ServerCallHandler<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> _invoker;

    public ServerStreamingCallHandler(
        MethodSettings settings,
        ServiceActivator<TService> activator,
        MessageParser<TRequest> requestParser,
        Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
        : base(settings, activator, requestParser) => _invoker = invoker;

    protected override async Task RunAsync(HttpServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(RequestParser).ConfigureAwait(false);
        var service = Activator.Create(call.GetHttpContext());
        try
        {
            await _invoker(service, request, new HttpResponseStreamWriter<TResponse>(call), call).ConfigureAwait(false);
        }
        finally
        {
            await Activator.ReleaseAsync(service).ConfigureAwait(false);
        }
    }
}
