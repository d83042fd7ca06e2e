using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using Google.Protobuf;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc.Client;

/// <summary>
/// One client call: sends the HTTP/2 request, reads the response frames and trailers, and settles the final status
/// exactly once, whichever of completion, error, cancellation or deadline comes first.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IGrpcCallState
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 1024, leaveOpen: true);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly bool _compressRequests;
    private readonly CancellationTokenSource _callCts = new();
    private readonly TaskCompletionSource<Metadata> _headersTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<HttpResponseMessage?> _responseTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private GrpcRequestContent<TRequest, TResponse>? _content;
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private string? _responseEncoding;
    private ITimer? _deadlineTimer;
    private CancellationTokenRegistration _cancellationRegistration;
    private Status? _status;
    private Metadata? _trailers;
    private RpcException? _error;
    private bool _disposed;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options, bool compressRequests)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _compressRequests = compressRequests;
    }

    public Task<Metadata> ResponseHeadersAsync => _headersTcs.Task;

    internal GrpcChannel Channel => _channel;

    internal bool CompressRequests => _compressRequests;

    internal CancellationToken CallToken => _callCts.Token;

    internal GrpcRequestContent<TRequest, TResponse> Content => _content!;

    public Status GetStatus()
    {
        lock (_lock)
        {
            return _status ?? throw new InvalidOperationException("The call is still running; its status is known once it ends.");
        }
    }

    public Metadata GetTrailers()
    {
        lock (_lock)
        {
            return _status is null
                ? throw new InvalidOperationException("The call is still running; its trailers are known once it ends.")
                : _trailers!;
        }
    }

    public void Start(TRequest? request)
    {
        TimeSpan? timeout = null;
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var utc = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
            timeout = utc - _channel.TimeProvider.GetUtcNow().UtcDateTime;
            if (timeout <= TimeSpan.Zero)
            {
                Finish(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded before the call started."), null);
                _content = new GrpcRequestContent<TRequest, TResponse>(this, request);
                return;
            }
        }

        _content = new GrpcRequestContent<TRequest, TResponse>(this, request);
        var httpRequest = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_method.FullName))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = _content,
        };
        var headers = httpRequest.Headers;
        if (timeout is { } t)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(t));
        }

        if (_compressRequests)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.GzipEncoding);
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                if (GrpcProtocol.IsReservedHeader(entry.Key))
                {
                    continue;
                }

                headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? MetadataBase64.Encode(entry.ValueBytes) : entry.Value);
            }
        }

        if (timeout is { } due && due < TimeSpan.FromMilliseconds(uint.MaxValue - 1))
        {
            _deadlineTimer = _channel.TimeProvider.CreateTimer(
                static state => ((GrpcCall<TRequest, TResponse>)state!).Finish(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null),
                this,
                due,
                Timeout.InfiniteTimeSpan);
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _cancellationRegistration = _options.CancellationToken.UnsafeRegister(
                static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel("Call cancelled by the client."),
                this);
        }

        _ = SendAsync(httpRequest);
    }

    /// <summary>Ends the call with CANCELLED (no-op when it has already ended).</summary>
    public void Cancel(string detail) => Finish(new Status(StatusCode.Cancelled, detail), null);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Cancel("Call disposed by the client.");
        _deadlineTimer?.Dispose();
        _cancellationRegistration.Dispose();
        _response?.Dispose();
    }

    /// <summary>Reads exactly one response message and the trailers (unary and client-streaming calls).</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        try
        {
            var first = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
            if (first is null)
            {
                ThrowIfError();
                throw OverrideOk(StatusCode.Internal, "The server ended the call with OK but sent no response message.");
            }

            var second = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
            if (second is not null)
            {
                throw Fail(StatusCode.Internal, "The server sent more than one response message to a call that expects one.");
            }

            ThrowIfError();
            return first;
        }
        finally
        {
            ReleaseResponse();
        }
    }

    /// <summary>
    /// Reads the next response message; <c>null</c> at the end of the stream, after the trailers have settled an OK
    /// status. Throws <see cref="RpcException"/> when the call ended otherwise.
    /// </summary>
    public async ValueTask<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        if (IsFinished)
        {
            ThrowIfError();
            return null;
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel("Reading cancelled by the client."), this)
            : default;
        var response = await _responseTcs.Task.ConfigureAwait(false);
        ThrowIfError();
        if (response is null || _reader is null)
        {
            // Trailers-Only: the status came in the headers and no body follows.
            return null;
        }

        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(_callCts.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var frame = MessageFraming.TryReadFrame(ref buffer, _channel.MaxReceiveMessageSize, out var compressed, out var payload, out var length);
                switch (frame)
                {
                    case FrameResult.Complete:
                        TResponse message;
                        try
                        {
                            message = Deserialize(compressed, payload);
                        }
                        finally
                        {
                            _reader.AdvanceTo(buffer.Start);
                        }

                        return message;
                    case FrameResult.TooLarge:
                        throw Fail(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size: {length} > {_channel.MaxReceiveMessageSize}.");
                    case FrameResult.BadFlag:
                        throw Fail(StatusCode.Internal, "Received a message with an invalid compression flag.");
                    default:
                        if (result.IsCompleted)
                        {
                            if (!buffer.IsEmpty)
                            {
                                throw Fail(StatusCode.Internal, "The response ended in the middle of a message (truncated frame).");
                            }

                            _reader.AdvanceTo(buffer.End);
                            FinishFromTrailers(response);
                            ThrowIfError();
                            return null;
                        }

                        _reader.AdvanceTo(buffer.Start, buffer.End);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            Finish(StatusMapping.FromException(ex), null);
            throw CurrentError();
        }
    }

    /// <summary>Releases the response once it has been read to its end.</summary>
    public void ReleaseResponse()
    {
        bool ended;
        lock (_lock)
        {
            ended = _status is not null;
        }

        if (ended)
        {
            _deadlineTimer?.Dispose();
            _cancellationRegistration.Dispose();
            _reader?.Complete();
            _response?.Dispose();
        }
    }

    /// <summary>Ends the call with <paramref name="status"/> unless it has already ended; errors abort the HTTP/2 stream.</summary>
    public void Finish(Status status, Metadata? trailers, Google.Rpc.Status? richStatus = null)
    {
        lock (_lock)
        {
            if (_status is not null)
            {
                return;
            }

            _status = status;
            _trailers = trailers ?? new Metadata();
            if (status.StatusCode != StatusCode.OK)
            {
                _error = new RpcException(status, _trailers, richStatus);
            }
        }

        if (_error is not null)
        {
            if (_headersTcs.TrySetException(_error))
            {
                _ = _headersTcs.Task.Exception; // observed: a caller that never asks for the headers is not an unobserved fault
            }

            _responseTcs.TrySetResult(null);
            _content?.Abort(_error);
            _callCts.Cancel();

            _response?.Dispose();
        }
        else
        {
            _content?.Abort(null);
        }

        _deadlineTimer?.Dispose();
    }

    /// <summary>Throws the call's error when it has ended with one.</summary>
    public void ThrowIfError()
    {
        if (Volatile.Read(ref _error) is { } error)
        {
            throw error;
        }
    }

    public RpcException Fail(StatusCode code, string detail)
    {
        Finish(new Status(code, detail), null);
        return CurrentError();
    }

    /// <summary>Turns an OK status into an error, for a response that broke the call's shape (no message for a unary call).</summary>
    public RpcException OverrideOk(StatusCode code, string detail)
    {
        lock (_lock)
        {
            if (_status is { StatusCode: StatusCode.OK })
            {
                _status = new Status(code, detail);
                _error = new RpcException(_status.Value, _trailers!);
                return _error;
            }
        }

        return Fail(code, detail);
    }

    public RpcException CurrentError() =>
        Volatile.Read(ref _error) ?? new RpcException(new Status(StatusCode.Internal, "The call ended unexpectedly."));

    /// <summary>Whether the call has already ended (either way).</summary>
    public bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _status is not null;
            }
        }
    }

    private async Task SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await _channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _callCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Finish(StatusMapping.FromException(ex), null);
            _responseTcs.TrySetResult(null);
            return;
        }
        finally
        {
            request.Dispose();
        }

        lock (_lock)
        {
            _response = response;
        }

        if (IsFinished)
        {
            response.Dispose();
            _responseTcs.TrySetResult(null);
            return;
        }

        try
        {
            OnResponseHeaders(response);
            if (!IsFinished)
            {
                var stream = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
                _reader = PipeReader.Create(stream, ReaderOptions);
            }
        }
        catch (Exception ex)
        {
            Finish(StatusMapping.FromException(ex), null);
        }

        _responseTcs.TrySetResult(_reader is null ? null : response);
    }

    private void OnResponseHeaders(HttpResponseMessage response)
    {
        var headers = response.Headers;
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            // Not a gRPC answer (a proxy, a load balancer, a web server): map per the HTTP-to-gRPC table,
            // unless a grpc-status is present, which must then be used.
            if (TryFinishFromStatusHeaders(headers, MetadataConverter.FromHeaders(headers)))
            {
                return;
            }

            Finish(StatusMapping.FromHttpStatus((int)response.StatusCode), null);
            return;
        }

        var metadata = MetadataConverter.FromHeaders(headers);
        var contentType = response.Content.Headers.NonValidated.TryGetValues("content-type", out var ct) ? ct.ToString() : null;
        if (TryGetFirst(headers, GrpcProtocol.StatusHeader) is not null)
        {
            // Trailers-Only: the headers carry the status and the trailers; no body follows.
            _headersTcs.TrySetResult(metadata);
            TryFinishFromStatusHeaders(headers, metadata);
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            Finish(new Status(StatusCode.Unknown, $"The server answered HTTP 200 with content-type '{contentType}', not application/grpc: it is probably not a gRPC server."), null);
            return;
        }

        _responseEncoding = TryGetFirst(headers, GrpcProtocol.EncodingHeader);
        _headersTcs.TrySetResult(metadata);
    }

    private void FinishFromTrailers(HttpResponseMessage response)
    {
        var trailers = response.TrailingHeaders;
        var metadata = MetadataConverter.FromHeaders(trailers);
        if (!TryFinishFromStatusHeaders(trailers, metadata))
        {
            Finish(new Status(StatusCode.Unknown, "The response ended without a grpc-status trailer (HTTP 200)."), metadata);
        }
    }

    private bool TryFinishFromStatusHeaders(HttpHeaders headers, Metadata metadata)
    {
        var statusText = TryGetFirst(headers, GrpcProtocol.StatusHeader);
        if (statusText is null)
        {
            return false;
        }

        var message = PercentEncoding.Decode(TryGetFirst(headers, GrpcProtocol.MessageHeader));
        if (!int.TryParse(statusText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            Finish(new Status(StatusCode.Unknown, $"The server sent an invalid grpc-status '{statusText}'. {message}".TrimEnd()), metadata);
            return true;
        }

        var rich = MetadataConverter.TryParseRichStatus(TryGetFirst(headers, GrpcProtocol.StatusDetailsHeader));
        Finish(new Status((StatusCode)code, message), metadata, rich);
        return true;
    }

    private static string? TryGetFirst(HttpHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value;
            }
        }

        return null;
    }

    private TResponse Deserialize(bool compressed, ReadOnlySequence<byte> payload)
    {
        try
        {
            if (!compressed)
            {
                return _method.ResponseParser.ParseFrom(payload);
            }

            if (_responseEncoding is null || _responseEncoding == GrpcProtocol.IdentityEncoding)
            {
                throw Fail(StatusCode.Internal, "Received a compressed message but the response has no grpc-encoding header.");
            }

            if (_responseEncoding != GrpcProtocol.GzipEncoding)
            {
                throw Fail(StatusCode.Internal, $"Received a message compressed with unsupported encoding '{_responseEncoding}'; supported: {GrpcProtocol.SupportedEncodings}.");
            }

            var bytes = GzipCompression.Decompress(payload, _channel.MaxReceiveMessageSize)
                ?? throw Fail(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size after decompression ({_channel.MaxReceiveMessageSize}).");
            return _method.ResponseParser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Fail(StatusCode.Internal, "Failed to deserialize response message: " + ex.Message);
        }
        catch (InvalidDataException ex)
        {
            throw Fail(StatusCode.Internal, "Failed to decompress response message: " + ex.Message);
        }
    }
}
