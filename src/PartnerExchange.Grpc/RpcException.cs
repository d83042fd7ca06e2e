namespace PartnerExchange.Grpc;

/// <summary>
/// A call that ended with a status other than OK. Thrown by a server handler to choose the status it
/// returns, and by the client when the server (or something in between) ended the call that way.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception with the status and empty trailers.</summary>
    public RpcException(Status status)
        : this(status, new Metadata(), null)
    {
    }

    /// <summary>Creates an exception with the status, trailers and optional rich error details.</summary>
    public RpcException(Status status, Metadata trailers, Google.Rpc.Status? richStatus = null)
        : base(status.ToString())
    {
        ArgumentNullException.ThrowIfNull(trailers);
        Status = status;
        Trailers = trailers;
        RichStatus = richStatus;
    }

    /// <summary>Gets the status the call ended with.</summary>
    public Status Status { get; }

    /// <summary>Gets the status code the call ended with.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Gets the trailers sent with the status (empty when there were none).</summary>
    public Metadata Trailers { get; }

    /// <summary>
    /// Gets the <c>google.rpc.Status</c> carried in <c>grpc-status-details-bin</c>, with its details
    /// (for example <c>google.rpc.BadRequest</c> field violations and <c>google.rpc.ErrorInfo</c>); <c>null</c> when absent.
    /// </summary>
    public Google.Rpc.Status? RichStatus { get; }
}
