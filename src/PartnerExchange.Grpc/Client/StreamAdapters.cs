using Google.Protobuf;

namespace PartnerExchange.Grpc.Client;

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class ResponseStreamReader<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcCall<TRequest, TResponse> _call;

    public ResponseStreamReader(GrpcCall<TRequest, TResponse> call) => _call = call;

    public TResponse Current { get; private set; } = null!;

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        var message = await _call.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            _call.ReleaseResponse();
            return false;
        }

        Current = message;
        return true;
    }
}

/// <summary>The request stream of a client-streaming or duplex call.</summary>
internal sealed class RequestStreamWriter<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcCall<TRequest, TResponse> _call;

    public RequestStreamWriter(GrpcCall<TRequest, TResponse> call) => _call = call;

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _call.Content.WriteAsync(message, cancellationToken);
    }

    public Task CompleteAsync()
    {
        _call.Content.Complete();
        return Task.CompletedTask;
    }
}
