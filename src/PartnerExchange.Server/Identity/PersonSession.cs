using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PartnerExchange.Data;
using PartnerExchange.Data.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// A person's sign-in on the <c>Web</c> endpoint: a cookie of its own scheme, read only by the authorization and
/// device verification pages (never by an RPC, which wants a bearer token), holding the account's user name and
/// security stamp; a disabled, locked-out or reset account's cookie stops counting at once.
/// </summary>
internal static class PersonSession
{
    /// <summary>The cookie scheme of people's sign-in.</summary>
    public const string Scheme = "Person";

    private const string StampClaim = "px_stamp";

    public static void AddPersonCookie(this Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication, PeopleSettings settings) =>
        authentication.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "px.person";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = settings.SignInLifetime;
            options.SlidingExpiration = false;
            options.LoginPath = SignInPage.Path;
        });

    /// <summary>Signs <paramref name="account"/> in on this browser.</summary>
    public static Task SignInAsync(HttpContext context, PersonAccount account)
    {
        var identity = new ClaimsIdentity(Scheme, Claims.Subject, IdentitySettings.RoleClaim);
        identity.AddClaim(new Claim(Claims.Subject, account.UserName!));
        identity.AddClaim(new Claim(StampClaim, account.SecurityStamp ?? string.Empty));
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>The signed-in person's account when it may still act: it exists, is active, and its security stamp has not changed.</summary>
    public static async Task<PersonAccount?> GetAccountAsync(HttpContext context, PersonAccountManager people)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal.FindFirstValue(Claims.Subject) is not { } userName)
        {
            return null;
        }

        var account = await people.FindActiveAsync(userName);
        return account is not null && account.SecurityStamp == result.Principal.FindFirstValue(StampClaim) ? account : null;
    }

    /// <summary>
    /// The principal OpenIddict turns into the person's tokens: <c>sub</c> the user name (the actor in the audit
    /// trail), the role and, for an SI's staff, the partner; the scopes asked for; audience <c>partnerexchange</c>.
    /// </summary>
    public static ClaimsPrincipal TokenPrincipal(PersonAccount account, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Subject, IdentitySettings.RoleClaim);
        identity.SetClaim(Claims.Subject, account.UserName);
        identity.SetClaim(IdentitySettings.RoleClaim, account.Role);
        if (account.PartnerId is not null)
        {
            identity.SetClaim(IdentitySettings.PartnerClaim, account.PartnerId);
        }

        identity.SetScopes(scopes);
        identity.SetResources(IdentitySettings.Audience);
        identity.SetDestinations(claim => claim.Type == Claims.Subject ? [Destinations.AccessToken, Destinations.IdentityToken] : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Whether <paramref name="url"/> is a path on this server, so a redirect to it cannot leave the site.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
