using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Builds the <c>google.rpc.Status</c> of a failure: the code for its kind, the message, an <c>ErrorInfo</c> with the
/// stable reason, and a <c>BadRequest</c> or <c>PreconditionFailure</c> where the failure has one.
/// </summary>
internal static class ErrorStatus
{
    public static Google.Rpc.Status From(DomainException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)CodeOf(exception), Message = exception.Message };
        var info = new ErrorInfo { Reason = exception.Reason, Domain = ErrorReason.Domain };
        info.Metadata.Add(exception.Metadata);
        status.Details.Add(Any.Pack(info));
        switch (exception)
        {
            case InvalidRequestException invalid:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(invalid.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
                status.Details.Add(Any.Pack(badRequest));
                break;
            case PreconditionFailedException precondition:
                var failure = new PreconditionFailure();
                failure.Violations.AddRange(precondition.Violations.Select(v => new PreconditionFailure.Types.Violation { Type = v.Type, Subject = v.Subject, Description = v.Description }));
                status.Details.Add(Any.Pack(failure));
                break;
        }

        return status;
    }

    /// <summary>INTERNAL with the correlation id in the message; the exception's text only when <paramref name="detail"/> is given.</summary>
    public static Google.Rpc.Status Internal(string correlationId, Exception? detail)
    {
        var message = $"Internal error; quote correlation id {correlationId} to the carrier's operators.";
        if (detail is not null)
        {
            message += $" {detail.GetType().Name}: {detail.Message}";
        }

        var info = new ErrorInfo { Reason = ErrorReason.InternalError, Domain = ErrorReason.Domain };
        info.Metadata.Add("correlation_id", correlationId);
        return new Google.Rpc.Status { Code = (int)Code.Internal, Message = message, Details = { Any.Pack(info) } };
    }

    private static Code CodeOf(DomainException exception) => exception switch
    {
        InvalidRequestException => Code.InvalidArgument,
        PreconditionFailedException => Code.FailedPrecondition,
        ResourceNotFoundException => Code.NotFound,
        ResourceExistsException => Code.AlreadyExists,
        EtagMismatchException => Code.Aborted,
        _ => throw new ArgumentOutOfRangeException(nameof(exception), exception.GetType().Name, "Every domain failure maps to one status code."),
    };
}
