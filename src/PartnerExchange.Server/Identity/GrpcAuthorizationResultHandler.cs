using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// Answers a refused gRPC call as gRPC: a trailers-only response with UNAUTHENTICATED (no valid token) or
/// PERMISSION_DENIED (the role may not call the method), a message, and an <c>ErrorInfo</c> with reason
/// <see cref="ErrorReason.AuthenticationRequired"/> or <see cref="ErrorReason.RoleNotAllowed"/>. Other requests get
/// the framework's 401 or 403. Nothing of the token is written or logged.
/// </summary>
internal sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        if (!grpc || authorizeResult.Succeeded)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var authenticated = CallerAccess.FromPrincipal(context.User) is not null;
        var status = authenticated
            ? Status(Code.PermissionDenied, ErrorReason.RoleNotAllowed, "The caller's role may not call this method.")
            : Status(Code.Unauthenticated, ErrorReason.AuthenticationRequired, "A valid bearer access token is required; get one at /connect/token.");

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Both messages are printable ASCII without '%', which grpc-message carries as it is (no percent-encoding).
        context.Response.Headers["grpc-message"] = status.Message;
        context.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        return Task.CompletedTask;
    }

    private static Google.Rpc.Status Status(Code code, string reason, string message) => new()
    {
        Code = (int)code,
        Message = message,
        Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorReason.Domain }) },
    };
}
