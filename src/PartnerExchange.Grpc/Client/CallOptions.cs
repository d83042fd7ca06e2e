namespace PartnerExchange.Grpc;

/// <summary>Per-call settings.</summary>
/// <param name="Headers">Metadata sent as request headers; <c>-bin</c> keys are sent base64-encoded.</param>
/// <param name="Deadline">When the call must be over (UTC); sent as <c>grpc-timeout</c> and enforced locally. <c>null</c> for none.</param>
/// <param name="CancellationToken">Cancels the call: it ends with <see cref="StatusCode.Cancelled"/> and the HTTP/2 stream is reset.</param>
/// <param name="RequestCompression">The encoding for request messages (<c>gzip</c>); <c>null</c> takes the channel's.</param>
public readonly record struct CallOptions(
    Metadata? Headers = null,
    DateTime? Deadline = null,
    CancellationToken CancellationToken = default,
    string? RequestCompression = null);
