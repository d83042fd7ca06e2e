namespace PartnerExchange.Grpc;

/// <summary>Settings of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// Gets or sets the HTTP handler the channel sends through. <c>null</c> (the default) makes the channel create a
    /// <see cref="SocketsHttpHandler"/> with several HTTP/2 connections allowed, owned and disposed by the channel.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// Gets or sets the largest response message accepted, in bytes (after decompression). A <c>null</c> value
    /// removes the limit. Defaults to 4 MiB.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = PartnerExchange.Grpc.Protocol.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Gets or sets the largest request message sent, in bytes. A <c>null</c> value (the default) removes the limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Gets or sets the encoding used to compress request messages when a call does not choose one:
    /// <c>gzip</c>, or <c>null</c> (the default) for none.
    /// </summary>
    public string? RequestCompression { get; set; }

    /// <summary>
    /// Gets or sets whether disposing the channel also disposes <see cref="HttpHandler"/>. A handler the channel
    /// created itself is always disposed. Defaults to <c>false</c>.
    /// </summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>Gets or sets the clock that deadlines are measured against. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
