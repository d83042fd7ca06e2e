using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PartnerExchange.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict has authenticated the client (secret in the body or in Basic): issues
/// the access token of a client-credentials request with the client as subject and its role and partner as claims.
/// Without a <c>scope</c> the client gets everything its role allows. A person's authorization code (with its PKCE
/// verifier) or approved device code is redeemed for a token with the person as subject, the account read again, so
/// an account disabled or locked out since gets nothing.
/// </summary>
internal static class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static async Task<IResult> HandleAsync(HttpContext context, IOpenIddictApplicationManager applications, PersonAccountManager people)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token request reached the endpoint without OpenIddict's processing.");
        if (request.IsAuthorizationCodeGrantType() || request.IsDeviceCodeGrantType())
        {
            // OpenIddict has checked the code, its client and (for a code) the PKCE verifier; this is the person it was issued to.
            var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var account = granted.Principal?.GetClaim(Claims.Subject) is { } subject ? await people.FindActiveAsync(subject) : null;
            return account is null
                ? Refuse(OpenIddictConstants.Errors.InvalidGrant, "The account is disabled or locked out.")
                : Results.SignIn(PersonSession.TokenPrincipal(account, granted.Principal!.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

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
