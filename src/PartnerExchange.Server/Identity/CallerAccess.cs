using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// The caller of an RPC, from the validated token that the authorization policy has already required. A call reads its
/// caller up to three times (authorization, the cancelled-partner check, the service); the first read is kept on the
/// request, bound to the principal it was read from, so the claims are searched once per call.
/// </summary>
internal static class CallerAccess
{
    public static Caller GetCaller(this ServerCallContext context) => Of(context.GetHttpContext())
        ?? throw new InvalidOperationException("An RPC ran without an authenticated caller; its endpoint lacks the access policy.");

    /// <summary>The caller of a request, or <c>null</c> when its principal is no valid caller (anonymous, or a claim missing).</summary>
    public static Caller? Of(HttpContext request)
    {
        var user = request.User;
        if (request.Features.Get<KnownCaller>() is { } known && ReferenceEquals(known.User, user))
        {
            return known.Caller;
        }

        var caller = FromPrincipal(user);
        request.Features.Set(new KnownCaller(user, caller));
        return caller;
    }

    /// <summary>Reads the caller from a principal's claims (the first claim of each type counts, as <c>FindFirst</c>).</summary>
    public static Caller? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        string? subject = null, role = null, partner = null;
        foreach (var claim in user.Claims)
        {
            switch (claim.Type)
            {
                case "sub":
                    subject ??= claim.Value;
                    break;
                case IdentitySettings.RoleClaim:
                    role ??= claim.Value;
                    break;
                case IdentitySettings.PartnerClaim:
                    partner ??= claim.Value;
                    break;
            }
        }

        if (subject is null || role is null || !ClientRoles.All.Contains(role))
        {
            return null;
        }

        return ClientRoles.RequiresPartner(role) == partner is not null ? new Caller(subject, role, partner) : null;
    }

    /// <summary>The caller read from one principal, kept on the request.</summary>
    private sealed record KnownCaller(ClaimsPrincipal User, Caller? Caller);
}

/// <summary>The requirement of every RPC of the contract: the caller's role is allowed by <see cref="AccessMatrix"/>.</summary>
internal sealed class RpcAccessRequirement : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="RpcAccessRequirement"/> against the gRPC method of the endpoint. A method of the contract that the
/// matrix does not list is refused to everyone; a path that is no method of the contract passes, so the gRPC stack
/// answers UNIMPLEMENTED to an authenticated caller as it would without access control.
/// </summary>
internal sealed class RpcAccessHandler(ContractMethods contract) : AuthorizationHandler<RpcAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RpcAccessRequirement requirement)
    {
        var method = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName;
        var caller = context.Resource is HttpContext request && ReferenceEquals(request.User, context.User)
            ? CallerAccess.Of(request)
            : CallerAccess.FromPrincipal(context.User);
        if (caller is not null && (method is null || !contract.Contains(method) || AccessMatrix.Allows(method, caller.Role)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The full names (<c>/package.Service/Method</c>) of every RPC of the public contract.</summary>
internal sealed class ContractMethods(IEnumerable<string> fullNames)
{
    private readonly HashSet<string> _fullNames = fullNames.ToHashSet(StringComparer.Ordinal);

    public bool Contains(string fullName) => _fullNames.Contains(fullName);
}
