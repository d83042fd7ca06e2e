using System.Collections.Immutable;
using System.Text.Json;
using OpenIddict.Abstractions;
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

    /// <summary>Describes a new client; <paramref name="partnerId"/> is required for the SI role and refused otherwise.</summary>
    public static OpenIddictApplicationDescriptor Describe(string clientId, string secret, string role, string? partnerId, string? displayName)
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

    private static (string Role, string? PartnerId)? ReadBinding(ImmutableDictionary<string, JsonElement> properties)
    {
        if (!properties.TryGetValue(RoleProperty, out var role) || role.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var partner = properties.TryGetValue(PartnerProperty, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return (role.GetString()!, partner);
    }
}
