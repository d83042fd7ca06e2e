using Google.Protobuf;

namespace PartnerExchange.Grpc.Server;

/// <summary>One request message in, one response message out.</summary>
internal sealed class UnaryCallHandler<TService, TRequest, TResponse> : ServerCallHandler<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, TRequest, ServerCallContext, Task<TResponse>> _invoker;

    public UnaryCallHandler(
        MethodSettings settings,
        ServiceActivator<TService> activator,
        MessageParser<TRequest> requestParser,
        Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker)
        : base(settings, activator, requestParser) => _invoker = invoker;

    protected override async Task RunAsync(HttpServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(RequestParser).ConfigureAwait(false);
        var service = Activator.Create(call.GetHttpContext());
        TResponse response;
        try
        {
            response = await _invoker(service, request, call).ConfigureAwait(false);
        }
        finally
        {
            await Activator.ReleaseAsync(service).ConfigureAwait(false);
        }

        if (call.Status.StatusCode == StatusCode.OK)
        {
            await call.WriteSingleResponseAsync(response ?? throw NullResponse(call)).ConfigureAwait(false);
        }
    }

    internal static InvalidOperationException NullResponse(ServerCallContext call) =>
        new($"The handler of '{call.Method}' returned null instead of a response message.");
}
