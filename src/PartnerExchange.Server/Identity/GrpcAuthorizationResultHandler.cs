using Google.Rpc;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PartnerExchange.Domain;
using PartnerExchange.Server.Errors;

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
        if (!TrailersOnlyStatus.IsGrpc(context.Request) || authorizeResult.Succeeded)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        TrailersOnlyStatus.Write(context.Response, CallerAccess.Of(context) is not null
            ? ErrorStatus.Create(Code.PermissionDenied, ErrorReason.RoleNotAllowed, "The caller's role may not call this method.")
            : ErrorStatus.Create(Code.Unauthenticated, ErrorReason.AuthenticationRequired, "A valid bearer access token is required; get one at /connect/token."));
        return Task.CompletedTask;
    }
}
