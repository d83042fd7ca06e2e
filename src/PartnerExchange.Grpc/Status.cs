namespace PartnerExchange.Grpc;

/// <summary>The outcome of a call: a status code and a human-readable detail message.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Detail">The message for developers; empty when there is none.</param>
public readonly record struct Status(StatusCode StatusCode, string Detail)
{
    /// <summary>Gets the status of a call that succeeded.</summary>
    public static Status DefaultSuccess { get; } = new(StatusCode.OK, string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")";
}
