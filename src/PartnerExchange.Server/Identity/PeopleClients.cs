using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using PartnerExchange.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// The two public clients through which people sign in, registered (or brought up to date) on every start: the web
/// console (authorization code with PKCE, its redirect URI from <c>Identity:People:ConsoleRedirectUri</c>) and the
/// command-line tool (device authorization grant). Public clients have no secret and no role of their own: their
/// tokens carry the person's.
/// </summary>
internal static class PeopleClients
{
    public static async Task RegisterAsync(IServiceProvider services, PeopleSettings settings, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await EnsureAsync(applications, Console(settings), cancellationToken);
        await EnsureAsync(applications, Cli(settings), cancellationToken);
    }

    private static OpenIddictApplicationDescriptor Console(PeopleSettings settings) => new()
    {
        ClientId = settings.ConsoleClientId,
        ClientType = ClientTypes.Public,
        ApplicationType = ApplicationTypes.Web,
        ConsentType = ConsentTypes.Implicit,
        DisplayName = "Partner Exchange web console",
        RedirectUris = { settings.ConsoleRedirectUri },
        Permissions =
        {
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.Token,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.ResponseTypes.Code,
            Permissions.Prefixes.Scope + ClientApplications.ApiScope,
        },
        Requirements = { Requirements.Features.ProofKeyForCodeExchange },
    };

    private static OpenIddictApplicationDescriptor Cli(PeopleSettings settings) => new()
    {
        ClientId = settings.CliClientId,
        ClientType = ClientTypes.Public,
        ApplicationType = ApplicationTypes.Native,
        ConsentType = ConsentTypes.Implicit,
        DisplayName = "pxctl command-line tool",
        Permissions =
        {
            Permissions.Endpoints.DeviceAuthorization,
            Permissions.Endpoints.Token,
            Permissions.GrantTypes.DeviceCode,
            Permissions.Prefixes.Scope + ClientApplications.ApiScope,
        },
    };

    private static async Task EnsureAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (existing is not null)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
            return;
        }

        try
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance starting on the same database may have registered it first; anything else is a failure.
            if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is null)
            {
                throw;
            }
        }
    }
}
