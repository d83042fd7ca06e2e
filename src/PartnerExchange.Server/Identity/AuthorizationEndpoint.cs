using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PartnerExchange.Data;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// <c>/connect/authorize</c> after OpenIddict has checked the request (a registered client and redirect URI, response
/// type <c>code</c>, and a PKCE <c>code_challenge</c> with method <c>S256</c>): a person not signed in goes to the sign-in
/// page and comes back; a signed-in person's code is issued at once (the console is the carrier's own, so there is no
/// consent screen), carrying the person as subject with their role and partner.
/// </summary>
internal static class AuthorizationEndpoint
{
    public const string Path = "/connect/authorize";

    public static void MapAuthorizationEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], HandleAsync).AllowAnonymous();

    private static async Task<IResult> HandleAsync(HttpContext context, PersonAccountManager people)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The authorization request reached the endpoint without OpenIddict's processing.");
        if (await PersonSession.GetAccountAsync(context, people) is not { } account)
        {
            // Back to this request after sign-in, its parameters in the query whether it came as GET or POST.
            var parameters = request.GetParameters().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value));
            return Results.Redirect(SignInPage.For(Path + QueryString.Create(parameters).ToUriComponent()));
        }

        return Results.SignIn(PersonSession.TokenPrincipal(account, request.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
