using Microsoft.AspNetCore.Http;

namespace PartnerExchange.Grpc;

/// <summary>What a server handler knows about the call it serves, and the means to shape its response.</summary>
public abstract class ServerCallContext
{
    /// <summary>Gets the full method name, <c>/package.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>Gets the peer address, for example <c>ipv4:127.0.0.1:51234</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>Gets the call's deadline in UTC; <see cref="DateTime.MaxValue"/> when the client set none.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>Gets the request headers the client sent, without the protocol's own (<c>grpc-*</c>, pseudo-headers).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Gets a token that fires when the client cancels, the deadline passes or the connection drops.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Gets the trailers sent with the status when the handler returns.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>
    /// Gets or sets the status sent when the handler returns normally. Defaults to OK. Throwing
    /// <see cref="RpcException"/> is the other way to end a call with an error.
    /// </summary>
    public abstract Status Status { get; set; }

    /// <summary>Gets the HTTP context of the call, for authentication and connection details.</summary>
    public abstract HttpContext GetHttpContext();

    /// <summary>Sends the response headers now; at most once, and before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    /// <summary>
    /// Gets or sets the encoding of the response messages written from now on: <c>"gzip"</c>, or <c>null</c>
    /// (or <c>"identity"</c>) for none. Defaults to the server's option; messages are compressed only when the
    /// client listed the encoding in <c>grpc-accept-encoding</c> and the response headers announced it.
    /// </summary>
    public abstract string? ResponseCompression { get; set; }

    /// <summary>Gets whether the last request message read arrived compressed (flag byte 1).</summary>
    public abstract bool LastRequestCompressed { get; }
}
