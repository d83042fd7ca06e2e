using System.Security.Claims;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PartnerExchange.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict has authenticated the client (secret in the body or in Basic): issues
/// the access token of a client-credentials request with the client as subject and its role and partner as claims.
/// Without a <c>scope</c> the client gets everything its role allows.
/// </summary>
internal static class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static async Task<IResult> HandleAsync(HttpContext context, IOpenIddictApplicationManager applications)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token request reached the endpoint without OpenIddict's processing.");
        var application = request.ClientId is { } clientId ? await applications.FindByClientIdAsync(clientId, context.RequestAborted) : null;
        var binding = application is null ? null : await ClientApplications.ReadBindingAsync(applications, application, context.RequestAborted);
        if (!request.IsClientCredentialsGrantType() || binding is not { } bound)
        {
            return Refuse(OpenIddictConstants.Errors.InvalidClient, "The client is not registered for the client credentials grant.");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Subject, IdentitySettings.RoleClaim);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(IdentitySettings.RoleClaim, bound.Role);
        if (bound.PartnerId is not null)
        {
            identity.SetClaim(IdentitySettings.PartnerClaim, bound.PartnerId);
        }

        identity.SetScopes(request.GetScopes());
        identity.SetResources(IdentitySettings.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new Microsoft.AspNetCore.Authentication.AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
