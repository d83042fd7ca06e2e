using System.Runtime.CompilerServices;

namespace PartnerExchange.Grpc;

/// <summary>What every call offers, whatever its kind: response headers, the final status and trailers, and cancellation.</summary>
public abstract class AsyncCall : IDisposable
{
    private readonly IGrpcCallState _state;

    private protected AsyncCall(IGrpcCallState state) => _state = state;

    /// <summary>Gets the response headers (user metadata only) once the server sends them.</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>Gets the status the call ended with; throws <see cref="InvalidOperationException"/> while it is running.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>Gets the trailers the call ended with; throws <see cref="InvalidOperationException"/> while it is running.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _state.Dispose();
}

/// <summary>A call with one request and one response.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncUnaryCall<TResponse> : AsyncCall
{
    internal AsyncUnaryCall(Task<TResponse> responseAsync, IGrpcCallState state)
        : base(state)
    {
        ResponseAsync = responseAsync;
    }

    /// <summary>Gets the response; faults with <see cref="RpcException"/> when the call ends with a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}

/// <summary>A call with one request and a stream of responses.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : AsyncCall
{
    internal AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, IGrpcCallState state)
        : base(state)
    {
        ResponseStream = responseStream;
    }

    /// <summary>Gets the response stream; its <c>MoveNext</c> throws <see cref="RpcException"/> when the call ends with an error.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }
}

/// <summary>A call with a stream of requests and one response.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : AsyncCall
{
    internal AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, IGrpcCallState state)
        : base(state)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
    }

    /// <summary>Gets the request stream; call <c>CompleteAsync</c> after the last message.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>Gets the response; faults with <see cref="RpcException"/> when the call ends with a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}

/// <summary>A call with streams both ways.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : AsyncCall
{
    internal AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, IGrpcCallState state)
        : base(state)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
    }

    /// <summary>Gets the request stream; call <c>CompleteAsync</c> after the last message.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>Gets the response stream; its <c>MoveNext</c> throws <see cref="RpcException"/> when the call ends with an error.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }
}

/// <summary>What the public call objects need from the call, independent of the request type.</summary>
internal interface IGrpcCallState : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}
