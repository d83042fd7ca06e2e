using Google.Protobuf;

namespace PartnerExchange.Grpc.Server;

/// <summary>The request stream of a client-streaming or bidirectional call.</summary>
/// <typeparam name="T">The request message type.</typeparam>
internal sealed class HttpRequestStreamReader<T> : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly HttpServerCallContext _call;
    private readonly MessageParser<T> _parser;
    private T? _current;

    public HttpRequestStreamReader(HttpServerCallContext call, MessageParser<T> parser)
    {
        _call = call;
        _parser = parser;
    }

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        if (_call.ReadError is { } error)
        {
            throw error;
        }

        var callToken = _call.CancellationToken;
        if (!cancellationToken.CanBeCanceled || cancellationToken == callToken)
        {
            _current = await _call.ReadMessageAsync(_parser, callToken).ConfigureAwait(false);
        }
        else
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken);
            _current = await _call.ReadMessageAsync(_parser, linked.Token).ConfigureAwait(false);
        }

        return _current is not null;
    }
}

/// <summary>The response stream of a server-streaming or bidirectional call.</summary>
/// <typeparam name="T">The response message type.</typeparam>
internal sealed class HttpResponseStreamWriter<T> : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly HttpServerCallContext _call;

    public HttpResponseStreamWriter(HttpServerCallContext call) => _call = call;

    public Task WriteAsync(T message, CancellationToken cancellationToken = default) =>
        _call.WriteStreamMessageAsync(message, cancellationToken);
}
