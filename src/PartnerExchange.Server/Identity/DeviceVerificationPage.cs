using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PartnerExchange.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// <c>/connect/verify</c>, the verification page of the device authorization grant (RFC 8628): a command-line tool
/// asked <c>/connect/device</c> for a user code and shows it with this address; the person signs in here, enters the
/// code (or arrives with it in <c>user_code</c>), and approves or denies. On approval the tool's device code is
/// redeemed at the token endpoint for the person's token.
/// </summary>
internal static class DeviceVerificationPage
{
    public const string Path = "/connect/verify";
    public const string DonePath = "/account/device-done";

    public static void MapDeviceVerificationPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ShowAsync).AllowAnonymous();
        endpoints.MapPost(Path, DecideAsync).AllowAnonymous();
        endpoints.MapGet(DonePath, Done).AllowAnonymous();
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IAntiforgery antiforgery, PersonAccountManager people)
    {
        if (await PersonSession.GetAccountAsync(context, people) is not { } account)
        {
            return Results.Redirect(SignInPage.For(Path + context.Request.QueryString.ToUriComponent()));
        }

        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The verification request reached the endpoint without OpenIddict's processing.");
        if (string.IsNullOrEmpty(request.UserCode))
        {
            return EnterCode(context, error: null);
        }

        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal.GetClaim(Claims.ClientId) is not { } clientId)
        {
            return EnterCode(context, "The code is wrong or has expired; enter the code your tool shows now.");
        }

        return HtmlPage.Render(context, "Approve a sign-in", $"""
            <p><strong>{HtmlPage.Encode(clientId)}</strong> asks to act as <strong>{HtmlPage.Encode(account.UserName)}</strong>
            ({HtmlPage.Encode(account.Role)}{(account.PartnerId is null ? string.Empty : ", " + HtmlPage.Encode(account.PartnerId))}).</p>
            <p>Approve only if you started this sign-in and the tool shows the code <strong>{HtmlPage.Encode(request.UserCode)}</strong>.</p>
            <form method="post" action="{Path}">
            {HtmlPage.AntiforgeryField(antiforgery, context)}
            <input type="hidden" name="user_code" value="{HtmlPage.Encode(request.UserCode)}">
            <button type="submit" name="decision" value="approve">Approve</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);
    }

    private static async Task<IResult> DecideAsync(HttpContext context, IAntiforgery antiforgery, PersonAccountManager people)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return HtmlPage.Render(context, "Approve a sign-in", "<p class=\"error\">The form has expired; open the page again.</p>", StatusCodes.Status400BadRequest);
        }

        if (await PersonSession.GetAccountAsync(context, people) is not { } account)
        {
            return Results.Redirect(SignInPage.For(Path));
        }

        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal.GetClaim(Claims.ClientId) is null)
        {
            return EnterCode(context, "The code is wrong or has expired; enter the code your tool shows now.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var done = new AuthenticationProperties { RedirectUri = DonePath };
        return form["decision"] == "approve"
            ? Results.SignIn(PersonSession.TokenPrincipal(account, result.Principal.GetScopes()), done, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
            : Results.Forbid(done, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Done(HttpContext context) =>
        HtmlPage.Render(context, "Done", "<p>Your answer has been passed on; go back to your terminal.</p>");

    private static IResult EnterCode(HttpContext context, string? error) =>
        HtmlPage.Render(context, "Sign in a device", $"""
            {(error is null ? string.Empty : $"<p class=\"error\">{HtmlPage.Encode(error)}</p>")}
            <form method="get" action="{Path}">
            <label>Code shown by your tool <input type="text" name="user_code" autocomplete="off" autofocus required></label>
            <button type="submit">Next</button>
            </form>
            """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
