using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Builds every <c>google.rpc.Status</c> the API answers with: the code, the message, an <c>ErrorInfo</c> with the stable
/// reason (and metadata), and further details such as <c>BadRequest</c>, <c>PreconditionFailure</c> or <c>RetryInfo</c>.
/// </summary>
internal static class ErrorStatus
{
    /// <summary>
    /// The most field or precondition violations one status carries (the first ones found). The status travels in a
    /// trailer, and hundreds of violations (e.g. every day of an 800-day calendar request) would pass the clients'
    /// 64 KiB header limit, which they report as UNAVAILABLE instead of the error.
    /// </summary>
    public const int MaxViolations = 100;

    /// <summary>A status with an <c>ErrorInfo</c> of <paramref name="reason"/>, then <paramref name="details"/>.</summary>
    public static Google.Rpc.Status Create(
        Code code, string reason, string message, IDictionary<string, string>? metadata = null, params IMessage[] details)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorReason.Domain };
        if (metadata is not null)
        {
            info.Metadata.Add(metadata);
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        status.Details.AddRange(details.Select(Any.Pack));
        return status;
    }

    /// <summary>The status of a failure the rules decided, with its <c>BadRequest</c> or <c>PreconditionFailure</c>.</summary>
    public static Google.Rpc.Status From(DomainException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        IMessage[] details = exception switch
        {
            InvalidRequestException invalid =>
                [new BadRequest { FieldViolations = { invalid.Violations.Take(MaxViolations).Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }) } }],
            PreconditionFailedException precondition =>
                [new PreconditionFailure { Violations = { precondition.Violations.Take(MaxViolations).Select(v => new PreconditionFailure.Types.Violation { Type = v.Type, Subject = v.Subject, Description = v.Description }) } }],
            _ => [],
        };
        return Create(CodeOf(exception), exception.Reason, exception.Message, exception.Metadata, details);
    }

    /// <summary>INTERNAL with the correlation id in the message; the exception's text only when <paramref name="detail"/> is given.</summary>
    public static Google.Rpc.Status Internal(string correlationId, Exception? detail)
    {
        var message = $"Internal error; quote correlation id {correlationId} to the carrier's operators.";
        if (detail is not null)
        {
            message += $" {detail.GetType().Name}: {detail.Message}";
        }

        return Create(Code.Internal, ErrorReason.InternalError, message, new Dictionary<string, string> { ["correlation_id"] = correlationId });
    }

    private static Code CodeOf(DomainException exception) => exception switch
    {
        InvalidRequestException => Code.InvalidArgument,
        PreconditionFailedException => Code.FailedPrecondition,
        ResourceNotFoundException => Code.NotFound,
        ResourceExistsException => Code.AlreadyExists,
        EtagMismatchException => Code.Aborted,
        NotResponsiblePartyException => Code.PermissionDenied,
        CursorExpiredException => Code.OutOfRange,
        _ => throw new ArgumentOutOfRangeException(nameof(exception), exception.GetType().Name, "Every domain failure maps to one status code."),
    };
}
