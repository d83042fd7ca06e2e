using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using PartnerExchange.Domain;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PartnerExchange.Data;

/// <summary>
/// The product's machine clients as OpenIddict applications: confidential clients allowed the client-credentials
/// grant at the token endpoint, whose role and (for SIs) partner are kept in the application's properties. OpenIddict
/// hashes the secret; it is never stored.
/// </summary>
public static class ClientApplications
{
    /// <summary>The one scope a client may ask for, which is also the audience of its tokens: the whole API.</summary>
    public const string ApiScope = "partnerexchange";

    /// <summary>The application property holding the client's role, one of <see cref="ClientRoles"/>.</summary>
    public const string RoleProperty = "px_role";

    /// <summary>The application property holding the partner an SI client is bound to.</summary>
    public const string PartnerProperty = "px_partner";

    /// <summary>The application property holding when the client was created (ISO 8601, UTC).</summary>
    public const string CreatedProperty = "px_created";

    /// <summary>Describes a new client; <paramref name="partnerId"/> is required for the SI role and refused otherwise.</summary>
    public static OpenIddictApplicationDescriptor Describe(
        string clientId, string secret, string role, string? partnerId, string? displayName, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!ClientRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        }

        if (ClientRoles.RequiresPartner(role) != partnerId is not null)
        {
            throw new ArgumentException($"Role '{role}' {(ClientRoles.RequiresPartner(role) ? "needs" : "takes no")} partner.", nameof(partnerId));
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + ApiScope },
        };
        descriptor.Properties[RoleProperty] = JsonSerializer.SerializeToElement(role);
        descriptor.Properties[CreatedProperty] = JsonSerializer.SerializeToElement(createdAt.ToUniversalTime());
        if (partnerId is not null)
        {
            descriptor.Properties[PartnerProperty] = JsonSerializer.SerializeToElement(partnerId);
        }

        return descriptor;
    }

    /// <summary>The role and partner of an application, from its properties; <c>null</c> when it has no role.</summary>
    public static async Task<(string Role, string? PartnerId)?> ReadBindingAsync(
        IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        return ReadBinding(properties);
    }

    /// <summary>The clients bound to <paramref name="partnerId"/>, by client id.</summary>
    public static async Task<IReadOnlyList<ClientApplication>> ListForPartnerAsync(
        PartnerExchangeDbContext db, string partnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Every client is read and filtered here (the partner is inside the properties JSON); fine for the tens of
        // clients a carrier has. Ordered by ordinal comparison, as the page tokens compare.
        var rows = await db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking()
            .Select(a => new { a.ClientId, a.DisplayName, a.Properties })
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.ClientId, StringComparer.Ordinal)
            .Select(r => (Row: r, Properties: r.Properties is null ? [] : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(r.Properties) ?? []))
            .Where(r => ReadBinding(r.Properties) is { PartnerId: { } p } && p == partnerId)
            .Select(r => new ClientApplication(r.Row.ClientId!, r.Row.DisplayName, partnerId, ReadCreated(r.Properties)))
            .ToList();
    }

    /// <summary>The client <paramref name="clientId"/> when it is bound to <paramref name="partnerId"/>; otherwise <c>null</c>.</summary>
    public static async Task<(object Application, ClientApplication Client)?> FindForPartnerAsync(
        IOpenIddictApplicationManager applications, string partnerId, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null)
        {
            return null;
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (ReadBinding(properties) is not { PartnerId: { } bound } || bound != partnerId)
        {
            return null;
        }

        var displayName = await applications.GetDisplayNameAsync(application, cancellationToken);
        return (application, new ClientApplication(clientId, displayName, partnerId, ReadCreated(properties)));
    }

    private static DateTimeOffset? ReadCreated(IReadOnlyDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(CreatedProperty, out var created) && created.ValueKind == JsonValueKind.String && created.TryGetDateTimeOffset(out var at)
            ? at
            : null;

    private static (string Role, string? PartnerId)? ReadBinding(IReadOnlyDictionary<string, JsonElement> properties)
    {
        if (!properties.TryGetValue(RoleProperty, out var role) || role.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var partner = properties.TryGetValue(PartnerProperty, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return (role.GetString()!, partner);
    }
}

/// <summary>A machine client as the API shows it: never its secret.</summary>
/// <param name="ClientId">The client id.</param>
/// <param name="DisplayName">What the client is for.</param>
/// <param name="PartnerId">The partner it is bound to.</param>
/// <param name="CreatedAt">When it was created; <c>null</c> for clients made before this was recorded.</param>
public sealed record ClientApplication(string ClientId, string? DisplayName, string PartnerId, DateTimeOffset? CreatedAt);
