namespace PartnerExchange.Domain;

/// <summary>
/// The stable machine-readable reasons of the API's errors, sent as <c>google.rpc.ErrorInfo.reason</c>. Clients
/// branch on these codes, never on message text. Every reason is listed in the header of <c>common.proto</c>
/// (a test keeps the two in step); a reason, once published, keeps its meaning.
/// </summary>
public static class ErrorReason
{
    /// <summary>The <c>ErrorInfo.domain</c> of every reason below.</summary>
    public const string Domain = "partnerexchange.v1";

    /// <summary>INVALID_ARGUMENT: one or more fields are malformed; a <c>BadRequest</c> names each.</summary>
    public const string InvalidRequest = "INVALID_REQUEST";

    /// <summary>INVALID_ARGUMENT: the request bytes are not a message of the method's request type.</summary>
    public const string MalformedRequest = "MALFORMED_REQUEST";

    /// <summary>INVALID_ARGUMENT: a request_id was reused with a different request.</summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary>NOT_FOUND: the resource does not exist, or belongs to another partner.</summary>
    public const string ResourceNotFound = "RESOURCE_NOT_FOUND";

    /// <summary>ALREADY_EXISTS: the resource to create exists.</summary>
    public const string ResourceExists = "RESOURCE_EXISTS";

    /// <summary>ABORTED: the etag given does not match the resource's current one.</summary>
    public const string EtagMismatch = "ETAG_MISMATCH";

    /// <summary>FAILED_PRECONDITION: the resource's state does not allow the move (rulebook state machine).</summary>
    public const string IllegalStateTransition = "ILLEGAL_STATE_TRANSITION";

    /// <summary>FAILED_PRECONDITION: the settlement month is closed and can no longer change.</summary>
    public const string MonthClosed = "MONTH_CLOSED";

    /// <summary>FAILED_PRECONDITION: the SI's subscriber base for the month is not recorded, so its complaint rate cannot be computed.</summary>
    public const string SubscriberBaseMissing = "SUBSCRIBER_BASE_MISSING";

    /// <summary>FAILED_PRECONDITION: the partner's cooperation is cancelled, so it gets nothing new (e.g. a client).</summary>
    public const string PartnerCancelled = "PARTNER_CANCELLED";

    /// <summary>FAILED_PRECONDITION: the business calendar has no entered days for a date the request needs.</summary>
    public const string CalendarNotEntered = "CALENDAR_NOT_ENTERED";

    /// <summary>UNIMPLEMENTED: the RPC is in the contract but its capability is not built yet.</summary>
    public const string NotBuilt = "NOT_BUILT";

    /// <summary>UNAUTHENTICATED: no bearer token, or one that is expired, not yet valid, or not signed by a trusted key for this API.</summary>
    public const string AuthenticationRequired = "AUTHENTICATION_REQUIRED";

    /// <summary>PERMISSION_DENIED: the caller's role may not call the method (the access matrix).</summary>
    public const string RoleNotAllowed = "ROLE_NOT_ALLOWED";

    /// <summary>PERMISSION_DENIED: the caller may see the order but is not the party that works it (e.g. a carrier agent on an SI's order).</summary>
    public const string NotResponsibleParty = "NOT_RESPONSIBLE_PARTY";

    /// <summary>OUT_OF_RANGE: the event feed cursor is older than the feed's retention; resynchronise with ListWorkOrders and restart from 0.</summary>
    public const string CursorExpired = "CURSOR_EXPIRED";

    /// <summary>FAILED_PRECONDITION: the sandbox clock is off (the server runs on real time).</summary>
    public const string SandboxClockOff = "SANDBOX_CLOCK_OFF";

    /// <summary>RESOURCE_EXHAUSTED: the client sent more requests than its rate limit allows; a <c>RetryInfo</c> says when to retry.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>INTERNAL: an unexpected failure on the server; the message carries a correlation id for the logs.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Every reason above, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        InvalidRequest, MalformedRequest, RequestIdReused, ResourceNotFound, ResourceExists, EtagMismatch, IllegalStateTransition,
        MonthClosed, SubscriberBaseMissing, PartnerCancelled, CalendarNotEntered, NotBuilt, AuthenticationRequired, RoleNotAllowed, NotResponsibleParty,
        SandboxClockOff, CursorExpired, RateLimited, InternalError,
    ];
}

/// <summary>One bad field of a request: its proto field path (e.g. <c>work_order.fault_report.severity</c>) and why.</summary>
/// <param name="Field">The field path in the request message, in proto (snake_case) names, with <c>.</c> between levels and <c>[i]</c> for list items.</param>
/// <param name="Description">Why the value is refused, in one sentence a developer can act on.</param>
public sealed record FieldViolation(string Field, string Description);

/// <summary>One unmet precondition: the kind of check (e.g. <c>STATE</c>), what it concerned (a resource name) and why.</summary>
public sealed record PreconditionViolation(string Type, string Subject, string Description);

/// <summary>
/// A failure the business rules decided: each kind maps to one gRPC status code, carries a stable
/// <see cref="ErrorReason"/>, and leaves nothing written.
/// </summary>
public abstract class DomainException : Exception
{
    /// <summary>Creates the exception with its reason and a message for people.</summary>
    protected DomainException(string reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Gets the stable reason code (one of <see cref="ErrorReason"/>).</summary>
    public string Reason { get; }

    /// <summary>Gets extra facts for <c>ErrorInfo.metadata</c> (e.g. the resource name); empty by default.</summary>
    public IDictionary<string, string> Metadata { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>A malformed request: INVALID_ARGUMENT with one field violation per bad field.</summary>
public sealed class InvalidRequestException : DomainException
{
    /// <summary>Creates the exception from the bad fields; at least one.</summary>
    public InvalidRequestException(IReadOnlyList<FieldViolation> violations, string reason = ErrorReason.InvalidRequest)
        : base(reason, Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>Gets the bad fields, in the order they were found.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    private static string Describe(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count == 0)
        {
            throw new ArgumentException("An invalid request names at least one field.", nameof(violations));
        }

        // At most 10 names in the message, which travels in a header (grpc-message); the BadRequest has the rest.
        const int named = 10;
        var more = violations.Count > named ? $" and {violations.Count - named} more" : string.Empty;
        return violations.Count == 1
            ? $"Invalid {violations[0].Field}: {violations[0].Description}"
            : $"The request has {violations.Count} invalid fields: {string.Join(", ", violations.Take(named).Select(v => v.Field))}{more}.";
    }
}

/// <summary>The resource's state does not allow the call: FAILED_PRECONDITION with a <c>PreconditionFailure</c>.</summary>
public sealed class PreconditionFailedException : DomainException
{
    /// <summary>Creates the exception with its reason (e.g. <see cref="ErrorReason.IllegalStateTransition"/>) and the unmet checks.</summary>
    public PreconditionFailedException(string reason, string message, params PreconditionViolation[] violations)
        : base(reason, message)
    {
        Violations = violations;
    }

    /// <summary>Gets the unmet checks.</summary>
    public IReadOnlyList<PreconditionViolation> Violations { get; }
}

/// <summary>The resource does not exist or is not the caller's to see: NOT_FOUND, worded the same either way.</summary>
public sealed class ResourceNotFoundException : DomainException
{
    /// <summary>Creates the exception for a resource name.</summary>
    public ResourceNotFoundException(string resourceName)
        : base(ErrorReason.ResourceNotFound, $"{resourceName} was not found.")
    {
        Metadata["resource_name"] = resourceName;
    }
}

/// <summary>The resource to create exists: ALREADY_EXISTS.</summary>
public sealed class ResourceExistsException : DomainException
{
    /// <summary>Creates the exception for a resource name.</summary>
    public ResourceExistsException(string resourceName)
        : base(ErrorReason.ResourceExists, $"{resourceName} already exists.")
    {
        Metadata["resource_name"] = resourceName;
    }
}

/// <summary>The etag given is not the current one: ABORTED; read again and retry.</summary>
public sealed class EtagMismatchException : DomainException
{
    /// <summary>Creates the exception for a resource name.</summary>
    public EtagMismatchException(string resourceName)
        : base(ErrorReason.EtagMismatch, $"{resourceName} has changed since it was read; read it again and retry.")
    {
        Metadata["resource_name"] = resourceName;
    }
}

/// <summary>The caller may see the work order but does not work it: PERMISSION_DENIED.</summary>
public sealed class NotResponsiblePartyException : DomainException
{
    /// <summary>Creates the exception for an order and the party that works it.</summary>
    public NotResponsiblePartyException(string resourceName, string why)
        : base(ErrorReason.NotResponsibleParty, $"{resourceName}: {why}")
    {
        Metadata["resource_name"] = resourceName;
    }
}

/// <summary>The feed cursor is older than the feed keeps: OUT_OF_RANGE.</summary>
public sealed class CursorExpiredException : DomainException
{
    /// <summary>Creates the exception for a cursor and the feed's retention.</summary>
    public CursorExpiredException(long cursor, TimeSpan retention)
        : base(ErrorReason.CursorExpired, $"Cursor {cursor} is older than the event feed keeps (retention {retention:c}); resynchronise with ListWorkOrders (order_by \"update_time\") and watch again from 0.")
    {
        Metadata["cursor"] = cursor.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
