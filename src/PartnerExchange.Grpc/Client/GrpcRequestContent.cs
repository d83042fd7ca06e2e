using System.Buffers;
using System.Net;
using Google.Protobuf;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Client;

/// <summary>
/// The request body of a call. With a single request (unary, server streaming) it writes that message and ends;
/// otherwise it hands the HTTP/2 request stream to the caller's writes (each awaits flow control, which gives
/// backpressure) and ends the stream (half-close) on <see cref="Complete"/>.
/// </summary>
internal sealed class GrpcRequestContent<TRequest, TResponse> : HttpContent
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcCall<TRequest, TResponse> _call;
    private readonly TRequest? _single;
    private readonly TaskCompletionSource<Stream> _streamTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completeTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writing;
    private bool _completed;

    public GrpcRequestContent(GrpcCall<TRequest, TResponse> call, TRequest? single)
    {
        _call = call;
        _single = single;
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The request stream has been completed; no more messages can be written.");
        }

        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("A write is already in progress; await it before writing again.");
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel("Writing cancelled by the client."), _call)
            : default;
        try
        {
            _call.ThrowIfError();
            var stream = await _streamTcs.Task.ConfigureAwait(false);
            await WriteMessageAsync(stream, message, _call.CallToken).ConfigureAwait(false);
            await stream.FlushAsync(_call.CallToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException and not InvalidOperationException)
        {
            _call.ThrowIfError();
            if (_call.IsFinished)
            {
                throw new InvalidOperationException("The call has already ended; no more messages can be written.", ex);
            }

            _call.Finish(StatusMapping.FromException(ex), null);
            throw _call.CurrentError();
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public void Complete()
    {
        _completed = true;
        _completeTcs.TrySetResult();
    }

    /// <summary>Ends the body because the call ended: with an error the HTTP/2 stream is reset, otherwise closed.</summary>
    public void Abort(Exception? error)
    {
        if (error is null)
        {
            _streamTcs.TrySetException(new InvalidOperationException("The call has already ended; no more messages can be written."));
            _completeTcs.TrySetResult();
        }
        else
        {
            _streamTcs.TrySetException(error);
            _completeTcs.TrySetException(error);
            _ = _completeTcs.Task.Exception;
        }

        _ = _streamTcs.Task.Exception;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_single is not null)
        {
            await WriteMessageAsync(stream, _single, cancellationToken).ConfigureAwait(false);
            return;
        }

        _streamTcs.TrySetResult(stream);
        await _completeTcs.Task.ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }

    private async Task WriteMessageAsync(Stream stream, TRequest message, CancellationToken cancellationToken)
    {
        var size = message.CalculateSize();
        if (_call.Channel.Options.MaxSendMessageSize is { } max && size > max)
        {
            throw _call.Fail(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size: {size} > {max}.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MessageFraming.HeaderSize + size);
        byte[]? framed = null;
        try
        {
            var length = MessageFraming.HeaderSize + size;
            message.WriteTo(buffer.AsSpan(MessageFraming.HeaderSize, size));
            if (_call.CompressRequests)
            {
                var compressed = GzipCompression.Compress(buffer.AsSpan(MessageFraming.HeaderSize, size));
                length = MessageFraming.HeaderSize + compressed.Length;
                framed = ArrayPool<byte>.Shared.Rent(length);
                MessageFraming.WriteHeader(framed, compressed: true, compressed.Length);
                compressed.CopyTo(framed.AsSpan(MessageFraming.HeaderSize));
            }
            else
            {
                MessageFraming.WriteHeader(buffer, compressed: false, size);
            }

            await stream.WriteAsync((framed ?? buffer).AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            if (framed is not null)
            {
                ArrayPool<byte>.Shared.Return(framed, clearArray: true);
            }
        }
    }
}
