namespace PartnerExchange.Grpc.Server;

/// <summary>Settings of the gRPC server transport, set through <c>AddGrpcTransport</c>.</summary>
public sealed class GrpcTransportOptions
{
    /// <summary>
    /// Gets or sets the largest request message accepted, in bytes, before and after decompression; a larger one
    /// ends the call with RESOURCE_EXHAUSTED. <c>null</c> removes the limit. Defaults to 4 MiB.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = Protocol.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// Gets or sets the largest response message sent, in bytes (uncompressed); writing a larger one ends the call
    /// with RESOURCE_EXHAUSTED. <c>null</c> removes the limit. Defaults to <c>null</c>.
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Gets or sets whether the message of an exception thrown by a handler is sent to the client in
    /// <c>grpc-message</c>. Defaults to <c>false</c>: the client sees only "Exception was thrown by handler.".
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Gets or sets the encoding of response messages for every call, <c>"gzip"</c> or <c>null</c> for none;
    /// a handler may change it per call through <see cref="ServerCallContext.ResponseCompression"/>. Defaults to <c>null</c>.
    /// </summary>
    public string? ResponseCompression { get; set; }
}
