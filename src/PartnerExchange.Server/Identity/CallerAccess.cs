using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Identity;

/// <summary>The caller of an RPC, from the validated token that the authorization policy has already required.</summary>
internal static class CallerAccess
{
    public static Caller GetCaller(this ServerCallContext context) => FromPrincipal(context.GetHttpContext().User)
        ?? throw new InvalidOperationException("An RPC ran without an authenticated caller; its endpoint lacks the access policy.");

    public static Caller? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var subject = user.FindFirstValue("sub");
        var role = user.FindFirstValue(IdentitySettings.RoleClaim);
        if (subject is null || role is null || !ClientRoles.All.Contains(role))
        {
            return null;
        }

        var partner = user.FindFirstValue(IdentitySettings.PartnerClaim);
        return ClientRoles.RequiresPartner(role) == partner is not null ? new Caller(subject, role, partner) : null;
    }
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
        var caller = CallerAccess.FromPrincipal(context.User);
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
