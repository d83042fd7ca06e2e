using Google.Protobuf;

namespace PartnerExchange.Grpc.Server;

/// <summary>Streams of messages both ways.</summary>
internal sealed class DuplexStreamingCallHandler<TService, TRequest, TResponse> : ServerCallHandler<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> _invoker;

    public DuplexStreamingCallHandler(
        MethodSettings settings,
        ServiceActivator<TService> activator,
        MessageParser<TRequest> requestParser,
        Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
        : base(settings, activator, requestParser) => _invoker = invoker;

    protected override async Task RunAsync(HttpServerCallContext call)
    {
        var service = Activator.Create(call.GetHttpContext());
        try
        {
            await _invoker(
                service,
                new HttpRequestStreamReader<TRequest>(call, RequestParser),
                new HttpResponseStreamWriter<TResponse>(call),
                call).ConfigureAwait(false);
        }
        finally
        {
            await Activator.ReleaseAsync(service).ConfigureAwait(false);
        }
    }
}
