using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using PartnerExchange.Grpc.Client;
using PartnerExchange.Grpc.Protocol;

namespace PartnerExchange.Grpc;

/// <summary>
/// A connection to one gRPC server over HTTP/2, shared by all calls. <c>http://</c> addresses use HTTP/2 without TLS
/// (prior knowledge); <c>https://</c> addresses use TLS with ALPN <c>h2</c>. Create one per server and reuse it.
/// Only the scheme, host and port of the address are used: a path in it (<c>http://host/prefix</c>) is ignored and
/// calls go to <c>/package.Service/Method</c>, so a server behind a path-routing proxy is not reachable this way.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    /// <summary>The <c>user-agent</c> the channel sends.</summary>
    public const string UserAgent = "partnerexchange-grpc/1.0";

    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);
    private readonly bool _disposeHandler;
    private readonly HttpMessageHandler _handler;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Address '{address}' must be http:// or https://.", nameof(address));
        }

        if (options.RequestCompression is not null && !IsSupportedCompression(options.RequestCompression))
        {
            throw new ArgumentException($"Request compression '{options.RequestCompression}' is not supported; use gzip.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        Address = address;
        Options = options;
        if (options.HttpHandler is null)
        {
            _handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                UseProxy = false,
            };
            _disposeHandler = true;
        }
        else
        {
            _handler = options.HttpHandler;
            _disposeHandler = options.DisposeHttpClient;
        }

        HttpClient = new HttpClient(_handler, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var headers = HttpClient.DefaultRequestHeaders;
        headers.TryAddWithoutValidation("user-agent", UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
    }

    /// <summary>Gets the server address calls are sent to.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpClient HttpClient { get; }

    internal TimeProvider TimeProvider => Options.TimeProvider;

    internal int MaxReceiveMessageSize => Options.MaxReceiveMessageSize ?? int.MaxValue;

    /// <summary>Creates a channel to <paramref name="address"/>, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return ForAddress(new Uri(address, UriKind.Absolute), options);
    }

    /// <summary>Creates a channel to <paramref name="address"/>, e.g. <c>https://exchange.example:443</c>.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>Starts a call with one request and one response.</summary>
    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = StartCall(method, request, options);
        return new AsyncUnaryCall<TResponse>(call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a call with one request and a stream of responses.</summary>
    public AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = StartCall(method, request, options);
        return new AsyncServerStreamingCall<TResponse>(new ResponseStreamReader<TRequest, TResponse>(call), call);
    }

    /// <summary>Starts a call with a stream of requests and one response.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = StartCall(method, null, options);
        return new AsyncClientStreamingCall<TRequest, TResponse>(new RequestStreamWriter<TRequest, TResponse>(call), call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a call with streams both ways.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = StartCall(method, null, options);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new RequestStreamWriter<TRequest, TResponse>(call),
            new ResponseStreamReader<TRequest, TResponse>(call),
            call);
    }

    /// <summary>Closes the channel's connections (and the handler, when the channel owns it).</summary>
    public void Dispose()
    {
        HttpClient.Dispose();
        if (_disposeHandler)
        {
            _handler.Dispose();
        }
    }

    internal static bool IsSupportedCompression(string encoding) =>
        encoding.Equals(GrpcProtocol.GzipEncoding, StringComparison.Ordinal)
        || encoding.Equals(GrpcProtocol.IdentityEncoding, StringComparison.Ordinal);

    internal Uri GetMethodUri(string fullName) =>
        _methodUris.GetOrAdd(fullName, static (name, baseAddress) => new Uri(baseAddress, name), Address);

    private GrpcCall<TRequest, TResponse> StartCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest? request, CallOptions options)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        var compression = options.RequestCompression ?? Options.RequestCompression;
        if (compression is not null && !IsSupportedCompression(compression))
        {
            throw new ArgumentException($"Request compression '{compression}' is not supported; use gzip.", nameof(options));
        }

        var call = new GrpcCall<TRequest, TResponse>(this, method, options, compression == GrpcProtocol.GzipEncoding);
        call.Start(request);
        return call;
    }
}
