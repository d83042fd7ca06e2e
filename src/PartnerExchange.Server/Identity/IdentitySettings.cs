namespace PartnerExchange.Server.Identity;

/// <summary>The <c>Identity</c> settings: the embedded token server's issuer, token lifetime and signing certificates.</summary>
public sealed class IdentitySettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Identity";

    /// <summary>The audience (<c>aud</c>) of every access token, and the one scope clients may ask for.</summary>
    public const string Audience = Data.ClientApplications.ApiScope;

    /// <summary>The claim holding the caller's role, one of <c>ClientRoles</c>.</summary>
    public const string RoleClaim = "role";

    /// <summary>The claim holding the partner an SI caller is bound to.</summary>
    public const string PartnerClaim = "partner";

    /// <summary>
    /// Gets or sets the issuer (<c>iss</c>) of the tokens: the public base address of the <c>Web</c> endpoint in
    /// production. Defaults to <c>http://localhost:5001/</c>.
    /// </summary>
    public Uri Issuer { get; set; } = new("http://localhost:5001/");

    /// <summary>Gets or sets how long an access token is valid. Defaults to 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets the certificates that sign tokens; required outside Development. The one valid longest signs,
    /// every one is published and validates, so a rotation adds the new certificate and removes the old one once the
    /// last token it signed has expired. Without any, Development signs with a key kept in the database.
    /// </summary>
    public IList<CertificateSetting> SigningCertificates { get; } = [];
}

/// <summary>A certificate from files: a PEM certificate with its PEM key, or a PKCS#12 file with its password.</summary>
public sealed class CertificateSetting
{
    /// <summary>Gets or sets the certificate file (<c>.pem</c>/<c>.crt</c>, or <c>.pfx</c>/<c>.p12</c>).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets the PEM private key file for a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Gets or sets the password of a PKCS#12 file.</summary>
    public string? Password { get; set; }
}
