using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using PartnerExchange.Data;
using PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// <c>/account/signin</c>: the sign-in form of people's local accounts (user name and password, antiforgery token),
/// then back to the page that asked (the authorization or device verification page). Identity checks the password and
/// counts failures: after <c>Identity:People:MaxFailedSignIns</c> in a row the account is locked out for
/// <c>Identity:People:LockoutDuration</c>. Every refusal is recorded in the audit trail; the page itself says only that
/// the sign-in failed, so it tells nobody which accounts exist.
/// </summary>
internal static class SignInPage
{
    public const string Path = "/account/signin";
    public const string SignOutPath = "/account/signout";
    public const string AuditAction = "/account/signin";

    private const string Failed = "Sign-in failed: the user name or password is wrong, or the account is locked or disabled.";

    public static void MapSignInPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ShowAsync).AllowAnonymous();
        endpoints.MapPost(Path, SubmitAsync).AllowAnonymous();
        endpoints.MapPost(SignOutPath, SignOutAsync).AllowAnonymous();
    }

    /// <summary>The address of the sign-in page that returns to <paramref name="returnUrl"/>.</summary>
    public static string For(string returnUrl) => Path + QueryString.Create("returnUrl", returnUrl).ToUriComponent();

    private static async Task<IResult> ShowAsync(HttpContext context, IAntiforgery antiforgery, PersonAccountManager people)
    {
        var returnUrl = context.Request.Query["returnUrl"].ToString();
        if (await PersonSession.GetAccountAsync(context, people) is { } account)
        {
            return PersonSession.IsLocal(returnUrl) ? Results.Redirect(returnUrl) : SignedIn(context, antiforgery, account);
        }

        return Form(context, antiforgery, returnUrl, userName: null, error: null);
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, IAntiforgery antiforgery, PersonAccountManager people, SignInManager<PersonAccount> signIn, PartnerExchangeDbContext db, TimeProvider time)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return HtmlPage.Render(context, "Sign in", "<p class=\"error\">The form has expired; open the sign-in page again.</p>", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var userName = form["userName"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();

        var account = userName.Length is > 0 and <= 256 ? await people.FindByNameAsync(userName) : null;
        string? refusal;
        if (account is null)
        {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            people.PasswordHasher.HashPassword(new PersonAccount(), password);
            refusal = "unknown account";
        }
        else if (account.DisabledAt is not null)
        {
            refusal = "account disabled";
        }
        else
        {
            var outcome = await signIn.CheckPasswordSignInAsync(account, password, lockoutOnFailure: true);
            refusal = outcome.Succeeded ? null : outcome.IsLockedOut ? "account locked out" : outcome.IsNotAllowed ? "not allowed" : "wrong password";
        }

        if (refusal is not null)
        {
            var actor = userName.Length == 0 ? "(none)" : userName[..Math.Min(userName.Length, 100)];
            db.AuditEntries.Add(new Data.Entities.AuditEntry
            {
                Actor = actor,
                ActorRole = account?.Role,
                ActorPartnerId = account?.PartnerId,
                Action = AuditAction,
                ResourceName = $"people/{actor}",
                PartnerId = account?.PartnerId,
                Summary = $"sign-in refused: {refusal}",
                OccurredAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(context.RequestAborted);
            return Form(context, antiforgery, returnUrl, userName, Failed);
        }

        await PersonSession.SignInAsync(context, account!);
        return Results.Redirect(PersonSession.IsLocal(returnUrl) ? returnUrl : Path);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return HtmlPage.Render(context, "Sign out", "<p class=\"error\">The form has expired; open the page again.</p>", StatusCodes.Status400BadRequest);
        }

        await context.SignOutAsync(PersonSession.Scheme);
        return Results.Redirect(Path);
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? userName, string? error) =>
        HtmlPage.Render(context, "Sign in", $"""
            {(error is null ? string.Empty : $"<p class=\"error\">{HtmlPage.Encode(error)}</p>")}
            <form method="post" action="{Path}">
            {HtmlPage.AntiforgeryField(antiforgery, context)}
            <input type="hidden" name="returnUrl" value="{HtmlPage.Encode(returnUrl)}">
            <label>User name <input type="text" name="userName" value="{HtmlPage.Encode(userName)}" autocomplete="username" autofocus required></label>
            <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            </form>
            """);

    private static IResult SignedIn(HttpContext context, IAntiforgery antiforgery, PersonAccount account) =>
        HtmlPage.Render(context, "Signed in", $"""
            <p>You are signed in as <strong>{HtmlPage.Encode(account.UserName)}</strong> ({HtmlPage.Encode(account.Role)}).</p>
            <form method="post" action="{SignOutPath}">
            {HtmlPage.AntiforgeryField(antiforgery, context)}
            <button type="submit">Sign out</button>
            </form>
            """);
}
