namespace PartnerExchange.Data.Entities;

/// <summary>What a key the server made for itself (<see cref="SigningKey"/>) is for; stored by name.</summary>
public enum KeyPurpose
{
    /// <summary>Signs access tokens; its public half is published in the JWKS. The default of rows older than the column.</summary>
    Signing,

    /// <summary>
    /// Encrypts the tokens the server issues to itself (authorization codes, device and user codes), so only the
    /// instances on the database can read them; never published.
    /// </summary>
    Encryption,
}
