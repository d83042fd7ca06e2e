namespace PartnerExchange.Data.Entities;

/// <summary>An OAuth 2.0 client-credentials client: a machine client (or demo user) and the role it acts in.</summary>
public sealed class ClientCredential
{
    /// <summary>Gets or sets the client id.</summary>
    public required string ClientId { get; set; }

    /// <summary>Gets or sets the secret hash in the <see cref="ClientSecretHasher"/> format; the secret itself is never stored.</summary>
    public required string SecretHash { get; set; }

    /// <summary>Gets or sets the role, one of <see cref="Domain.ClientRoles"/>.</summary>
    public required string Role { get; set; }

    /// <summary>Gets or sets the partner the client is bound to; required for the <c>si</c> role, <c>null</c> otherwise.</summary>
    public string? PartnerId { get; set; }

    /// <summary>Gets or sets a description for people.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets when the client was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
