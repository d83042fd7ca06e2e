using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// One call on the server: its deadline, its metadata, and the single place that reads request messages from
/// and writes response messages, headers and the final status to the HTTP/2 stream.
/// </summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable
{
    private static readonly StringValues GrpcContentType = GrpcProtocol.ContentType;
    private static readonly StringValues AcceptEncodings = GrpcProtocol.SupportedEncodings;
    private static readonly StringValues GzipEncoding = GrpcProtocol.GzipEncoding;
    private static readonly StringValues[] StatusCodeStrings = CreateStatusCodeStrings();

    // The largest due time every TimeProvider timer accepts (about 49.7 days); a later deadline never fires.
    private const int Http2CancelErrorCode = 0x8;

    private static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext _httpContext;
    private readonly MethodSettings _settings;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private string? _peer;
    private DateTime _deadline = DateTime.MaxValue;
    private CancellationTokenSource? _deadlineCts;
    private ITimer? _deadlineTimer;
    private TaskCompletionSource? _deadlineReached;
    private SemaphoreSlim? _writeLock; // only when a deadline may end the call while the handler still writes
    private string? _responseCompression;
    private bool _requestGzip;
    private bool _headersSent;
    private bool _responseGzip;
    private volatile bool _completed;
    private volatile bool _deadlineExceeded;
    private volatile bool _flushPending;
    private volatile bool _streamReset;
    private int _writePending;

    public HttpServerCallContext(HttpContext httpContext, MethodSettings settings)
    {
        _httpContext = httpContext;
        _settings = settings;
        _responseCompression = settings.ResponseCompression;
    }

    public override string Method => _settings.FullName;

    public override string Peer => _peer ??= FormatPeer(_httpContext.Connection);

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= HeaderMetadata.FromRequestHeaders(_httpContext.Request.Headers);

    public override CancellationToken CancellationToken => _deadlineCts?.Token ?? _httpContext.RequestAborted;

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    /// <summary>Gets the trailers the handler added, without allocating when it added none.</summary>
    public Metadata? ResponseTrailersIfAny => _responseTrailers;

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override string? ResponseCompression
    {
        get => _responseCompression;
        set => _responseCompression = ServerEncodings.Normalize(value, nameof(value));
    }

    public override bool LastRequestCompressed => LastRequestWasCompressed;

    /// <summary>Gets whether the deadline passed before the call ended.</summary>
    public bool DeadlineExceeded => _deadlineExceeded;

    /// <summary>Gets a task that completes when the deadline passes; <c>null</c> when the call has no deadline timer.</summary>
    public Task? DeadlineReached => _deadlineReached?.Task;

    /// <summary>Gets the error a bad request message caused; it decides the call's status whatever the handler does.</summary>
    public RpcException? ReadError { get; private set; }

    /// <summary>Gets whether the status has been sent (or the call abandoned); nothing is written after that.</summary>
    public bool IsCompleted => _completed;

    private bool LastRequestWasCompressed { get; set; }

    private int MaxReceive => _settings.MaxReceiveMessageSize;

    public override HttpContext GetHttpContext() => _httpContext;

    /// <summary>
    /// Reads <c>grpc-encoding</c> and <c>grpc-timeout</c> and starts the deadline timer.
    /// Returns the status to end the call with at once when a header is not acceptable.
    /// </summary>
    public Status? Initialize()
    {
        var headers = _httpContext.Request.Headers;
        var encoding = headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0)
        {
            var value = encoding.ToString();
            if (value.Equals(GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase))
            {
                _requestGzip = true;
            }
            else if (!value.Equals(GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
            {
                return new Status(
                    StatusCode.Unimplemented,
                    $"Unsupported grpc-encoding value '{value}'. Supported encodings: {GrpcProtocol.SupportedEncodings}");
            }
        }

        var timeoutHeader = headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader.ToString(), out var timeout))
            {
                return new Status(StatusCode.Internal, $"Invalid grpc-timeout value '{timeoutHeader}'.");
            }

            StartDeadline(timeout);
        }

        return null;
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (_writeLock is not null)
        {
            await _writeLock.WaitAsync(CancellationToken).ConfigureAwait(false);
        }

        try
        {
            ThrowIfCompleted();
            if (_headersSent || _httpContext.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }

            HeaderMetadata.AddTo(_httpContext.Response.Headers, responseHeaders);
            PrepareResponseHeaders();
            await _httpContext.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock?.Release();
        }
    }

    /// <summary>
    /// Reads the next request message; <c>null</c> when the client has half-closed. A message over the limit,
    /// a truncated frame or bytes that do not parse end the call: the exception is kept in <see cref="ReadError"/>.
    /// </summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var reader = _httpContext.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryTakeMessage(reader, result, parser, out var message, out _))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Reads the one request message of a unary or server-streaming call, and checks that no second one follows.
    /// In the usual case the frame and the end of the body arrive together and one read does it all.
    /// </summary>
    public async ValueTask<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var token = CancellationToken;
        var reader = _httpContext.Request.BodyReader;
        T? first = null;
        while (true)
        {
            var result = await reader.ReadAsync(token).ConfigureAwait(false);
            if (!TryTakeMessage(reader, result, parser, out var message, out var endOfBody))
            {
                continue;
            }

            if (first is not null)
            {
                return message is null
                    ? first
                    : throw ReadFailed(StatusCode.Internal, "Request included more than one message for a call that takes one.");
            }

            first = message ?? throw ReadFailed(StatusCode.Internal, "Request did not include a message.");
            if (endOfBody)
            {
                // The body ended right after the frame: the next read would only report the end.
                return first;
            }
        }
    }

    /// <summary>Buffers one response message and its prefix without flushing (unary and client-streaming calls).</summary>
    public ValueTask WriteSingleResponseAsync<T>(T message)
        where T : class, IMessage<T>
    {
        if (_writeLock is null)
        {
            // No deadline timer, so nothing else writes: no lock and no async state machine.
            ThrowIfCompleted();
            WriteMessage(message);
            return ValueTask.CompletedTask;
        }

        return WriteSingleResponseLockedAsync(message, _writeLock);
    }

    private async ValueTask WriteSingleResponseLockedAsync<T>(T message, SemaphoreSlim writeLock)
        where T : class, IMessage<T>
    {
        await writeLock.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            WriteMessage(message);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Writes one response message and waits until HTTP/2 flow control takes it (streaming calls).</summary>
    public async Task WriteStreamMessageAsync<T>(T message, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Exchange(ref _writePending, 1) == 1)
        {
            throw new InvalidOperationException("Can't write the message because the previous write is not complete; only one write may be pending.");
        }

        CancellationTokenSource? linked = null;
        try
        {
            ThrowIfCompleted();
            var token = CancellationToken;
            if (cancellationToken.CanBeCanceled && cancellationToken != token)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
                token = linked.Token;
            }

            if (_writeLock is not null)
            {
                await _writeLock.WaitAsync(token).ConfigureAwait(false);
            }

            try
            {
                ThrowIfCompleted();
                token.ThrowIfCancellationRequested();
                WriteMessage(message);
                _flushPending = true;
                FlushResult result;
                try
                {
                    result = await _httpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
                }
                finally
                {
                    _flushPending = false;
                }

                if (result.IsCanceled || (result.IsCompleted && _httpContext.RequestAborted.IsCancellationRequested))
                {
                    throw new OperationCanceledException("The client is no longer reading the response.", token);
                }
            }
            finally
            {
                _writeLock?.Release();
            }
        }
        finally
        {
            linked?.Dispose();
            Volatile.Write(ref _writePending, 0);
        }
    }

    /// <summary>
    /// Sends the final status: in the HEADERS frame (Trailers-Only) when nothing was sent yet, else in trailers.
    /// Does nothing when the call already ended. With <paramref name="completeResponse"/> the stream is ended now,
    /// otherwise when the request delegate returns.
    /// </summary>
    public ValueTask EndCallAsync(Status status, Metadata? trailers, Google.Rpc.Status? richStatus, bool completeResponse)
    {
        if (_writeLock is null && !completeResponse)
        {
            // The usual end: no deadline timer competing for the stream and nothing to await.
            WriteFinalStatus(status, trailers, richStatus);
            return ValueTask.CompletedTask;
        }

        return EndCallSlowAsync(status, trailers, richStatus, completeResponse);
    }

    private async ValueTask EndCallSlowAsync(Status status, Metadata? trailers, Google.Rpc.Status? richStatus, bool completeResponse)
    {
        if (_writeLock is not null)
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
        }

        try
        {
            if (WriteFinalStatus(status, trailers, richStatus) && completeResponse)
            {
                await _httpContext.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock?.Release();
        }
    }

    /// <summary>Writes the status unless the call already ended or the stream is gone; <c>true</c> when it wrote.</summary>
    private bool WriteFinalStatus(Status status, Metadata? trailers, Google.Rpc.Status? richStatus)
    {
        if (_completed)
        {
            return false;
        }

        _completed = true;
        if (_streamReset || _httpContext.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        var response = _httpContext.Response;
        IHeaderDictionary target;
        if (!_headersSent && !response.HasStarted)
        {
            // Trailers-Only: HTTP 200, content-type and the status in one HEADERS frame that ends the stream.
            target = response.Headers;
            target.ContentType = GrpcContentType;
            target[GrpcProtocol.AcceptEncodingHeader] = AcceptEncodings;
        }
        else
        {
            target = _httpContext.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers;
        }

        WriteStatus(target, status, trailers, richStatus);
        return true;
    }

    /// <summary>Ends a call that was rejected before its handler ran (bad headers, unknown method).</summary>
    public static void WriteTrailersOnly(HttpResponse response, Status status)
    {
        var headers = response.Headers;
        headers.ContentType = GrpcContentType;
        headers[GrpcProtocol.AcceptEncodingHeader] = AcceptEncodings;
        WriteStatus(headers, status, null, null);
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _deadlineCts?.Dispose();
        _writeLock?.Dispose();
    }

    private static void WriteStatus(IHeaderDictionary target, Status status, Metadata? trailers, Google.Rpc.Status? richStatus)
    {
        var code = (int)status.StatusCode;
        target[GrpcProtocol.StatusHeader] = (uint)code < (uint)StatusCodeStrings.Length
            ? StatusCodeStrings[code]
            : code.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            target[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
        }

        if (richStatus is not null)
        {
            target[GrpcProtocol.StatusDetailsHeader] = MetadataBase64.Encode(richStatus.ToByteArray());
        }

        if (trailers is { Count: > 0 })
        {
            HeaderMetadata.AddTo(target, trailers);
        }
    }

    private static StringValues[] CreateStatusCodeStrings()
    {
        var values = new StringValues[17];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    private static string FormatPeer(ConnectionInfo connection)
    {
        var address = connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"ipv6:[{address}]:{connection.RemotePort}")
            : string.Create(CultureInfo.InvariantCulture, $"ipv4:{address}:{connection.RemotePort}");
    }

    private void StartDeadline(TimeSpan timeout)
    {
        var now = _settings.TimeProvider.GetUtcNow().UtcDateTime;
        _deadline = DateTime.MaxValue - now > timeout ? now + timeout : DateTime.MaxValue;
        if (timeout > MaxTimerDueTime)
        {
            return;
        }

        _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(_httpContext.RequestAborted);
        _deadlineReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writeLock = new SemaphoreSlim(1, 1);
        _deadlineTimer = _settings.TimeProvider.CreateTimer(
            static state => ((HttpServerCallContext)state!).OnDeadline(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    private void OnDeadline()
    {
        if (_completed)
        {
            return;
        }

        _deadlineExceeded = true;
        if (_flushPending)
        {
            // The client has stopped reading: the messages already written, and the trailers after them, wait on
            // HTTP/2 flow control and would never be sent. Reset the stream with CANCEL before the flush is cancelled
            // (Kestrel answers a cancelled write with INTERNAL_ERROR, which a client would report as INTERNAL).
            ResetStream();
        }

        try
        {
            _deadlineCts!.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended at the same moment.
        }
        catch (AggregateException)
        {
            // A callback a handler registered on the token threw; the call still ends at its deadline.
        }

        _deadlineReached!.TrySetResult();
    }

    private void ResetStream()
    {
        _streamReset = true;
        if (_httpContext.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(Http2CancelErrorCode);
        }
        else
        {
            _httpContext.Abort();
        }
    }

    /// <summary>
    /// Handles one read result: <c>true</c> with the message when a whole frame was there (<paramref name="endOfBody"/>
    /// when nothing follows it and the body has ended), <c>true</c> with <c>null</c> at the end of the body, <c>false</c>
    /// when more bytes are needed. Advances the reader in every case; throws for a bad frame.
    /// </summary>
    private bool TryTakeMessage<T>(PipeReader reader, in ReadResult result, MessageParser<T> parser, out T? message, out bool endOfBody)
        where T : class, IMessage<T>
    {
        message = null;
        endOfBody = false;
        var buffer = result.Buffer;
        var frame = MessageFraming.TryReadFrame(ref buffer, MaxReceive, out var compressed, out var payload, out var length);
        switch (frame)
        {
            case FrameResult.Complete:
                try
                {
                    message = ParseMessage(parser, payload, compressed);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }

                endOfBody = buffer.IsEmpty && result.IsCompleted;
                return true;

            case FrameResult.TooLarge:
                reader.AdvanceTo(result.Buffer.Start);
                throw ReadFailed(
                    StatusCode.ResourceExhausted,
                    string.Create(CultureInfo.InvariantCulture, $"Received message larger than max ({length} vs. {MaxReceive})."));

            case FrameResult.BadFlag:
                reader.AdvanceTo(result.Buffer.Start);
                throw ReadFailed(StatusCode.Internal, "Received a message with an invalid compression flag.");

            default:
                if (result.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    if (!buffer.IsEmpty)
                    {
                        throw ReadFailed(StatusCode.Internal, "Incomplete message: the request ended inside a message frame.");
                    }

                    return true;
                }

                if (result.IsCanceled)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new OperationCanceledException("The read was cancelled.");
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                return false;
        }
    }

    private T ParseMessage<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed)
        where T : class, IMessage<T>
    {
        LastRequestWasCompressed = compressed;
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            if (!_requestGzip)
            {
                throw ReadFailed(StatusCode.Internal, "Request message is flagged compressed but the request has no grpc-encoding.");
            }

            byte[]? decompressed;
            try
            {
                decompressed = GzipCompression.Decompress(payload, MaxReceive);
            }
            catch (InvalidDataException)
            {
                throw ReadFailed(StatusCode.Internal, "Request message is not valid gzip.");
            }

            return decompressed is null
                ? throw ReadFailed(
                    StatusCode.ResourceExhausted,
                    string.Create(CultureInfo.InvariantCulture, $"Received message larger than max after decompression (limit {MaxReceive})."))
                : parser.ParseFrom(decompressed);
        }
        catch (InvalidProtocolBufferException)
        {
            throw ReadFailed(StatusCode.Internal, $"Failed to deserialize the request message as {typeof(T).Name}.");
        }
    }

    private RpcException ReadFailed(StatusCode code, string detail)
    {
        var exception = new RpcException(new Status(code, detail));
        ReadError ??= exception;
        return exception;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Can't write because the call is complete.");
        }
    }

    private void PrepareResponseHeaders()
    {
        var headers = _httpContext.Response.Headers;
        headers.ContentType = GrpcContentType;
        headers[GrpcProtocol.AcceptEncodingHeader] = AcceptEncodings;
        if (_responseCompression is not null
            && ServerEncodings.Lists(_httpContext.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString(), _responseCompression))
        {
            headers[GrpcProtocol.EncodingHeader] = GzipEncoding;
            _responseGzip = true;
        }

        _headersSent = true;
    }

    private void WriteMessage<T>(T message)
        where T : class, IMessage<T>
    {
        var size = message.CalculateSize();
        if (size > _settings.MaxSendMessageSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                string.Create(CultureInfo.InvariantCulture, $"Sending message larger than max ({size} vs. {_settings.MaxSendMessageSize}).")));
        }

        if (!_headersSent)
        {
            PrepareResponseHeaders();
        }

        var writer = _httpContext.Response.BodyWriter;
        if (_responseGzip && _responseCompression is not null)
        {
            WriteCompressed(writer, message, size);
            return;
        }

        var span = writer.GetSpan(MessageFraming.HeaderSize + size);
        MessageFraming.WriteHeader(span, compressed: false, size);
        message.WriteTo(span.Slice(MessageFraming.HeaderSize, size));
        writer.Advance(MessageFraming.HeaderSize + size);
    }

    private static void WriteCompressed<T>(PipeWriter writer, T message, int size)
        where T : class, IMessage<T>
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            message.WriteTo(rented.AsSpan(0, size));
            var compressed = GzipCompression.Compress(rented.AsSpan(0, size));
            var span = writer.GetSpan(MessageFraming.HeaderSize + compressed.Length);
            MessageFraming.WriteHeader(span, compressed: true, compressed.Length);
            compressed.CopyTo(span[MessageFraming.HeaderSize..]);
            writer.Advance(MessageFraming.HeaderSize + compressed.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }
}
