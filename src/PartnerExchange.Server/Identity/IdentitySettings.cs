namespace PartnerExchange.Server.Identity;

/// <summary>The <c>Identity</c> settings: the embedded token server's issuer, token lifetime, and signing and encryption certificates.</summary>
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

    /// <summary>
    /// Gets or sets the certificates (RSA) that encrypt the codes the server issues to itself: authorization codes, device
    /// and user codes; required outside Development. Every instance on the database must have them, so a code issued by
    /// one is redeemed at another. The one valid longest encrypts and every one decrypts, so a rotation adds the new
    /// certificate and removes the old one once its last code has expired (minutes). Without any, Development encrypts
    /// with a key kept in the database. Access tokens are never encrypted.
    /// </summary>
    public IList<CertificateSetting> EncryptionCertificates { get; } = [];

    /// <summary>Gets the carrier's own identity platform, whose tokens the API also accepts when configured.</summary>
    public ExternalIssuerSettings External { get; } = new();

    /// <summary>Gets the settings of people's sign-in: lockout, the sign-in cookie and the console and CLI clients.</summary>
    public PeopleSettings People { get; } = new();
}

/// <summary>
/// <c>Identity:People</c>: how people (carrier agents, partner managers, auditors, SI staff) sign in with their local
/// accounts, through the web console (authorization code + PKCE) or the CLI (device authorization grant).
/// </summary>
public sealed class PeopleSettings
{
    /// <summary>Gets or sets how many wrong passwords in a row lock an account out. Defaults to 5.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>Gets or sets how long a lockout lasts. Defaults to 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets how long a sign-in on the <c>Web</c> endpoint lasts (its cookie serves the authorization and
    /// device verification pages only, never an RPC). Defaults to 1 hour.
    /// </summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the client id of the web console, a public client of the code flow. Defaults to <c>px-console</c>.</summary>
    public string ConsoleClientId { get; set; } = "px-console";

    /// <summary>Gets or sets where the web console receives its authorization code. Defaults to <c>http://localhost:5001/console/callback</c>.</summary>
    public Uri ConsoleRedirectUri { get; set; } = new("http://localhost:5001/console/callback");

    /// <summary>Gets or sets the client id of the command-line tool, a public client of the device grant. Defaults to <c>pxctl</c>.</summary>
    public string CliClientId { get; set; } = "pxctl";
}

/// <summary>
/// <c>Identity:External</c>: another OpenID Connect issuer (the carrier's identity platform) whose access tokens the
/// API accepts beside its own. Its discovery document gives the issuer and keys; its tokens must carry the audience
/// <c>partnerexchange</c>, a role claim with one of the API's role names and, for an SI, a partner claim.
/// </summary>
public sealed class ExternalIssuerSettings
{
    /// <summary>Gets or sets the issuer's base address (its discovery document is below it); unset: no external issuer.</summary>
    public Uri? Authority { get; set; }

    /// <summary>Gets or sets the claim holding the role. Defaults to <c>role</c>.</summary>
    public string RoleClaim { get; set; } = IdentitySettings.RoleClaim;

    /// <summary>Gets or sets the claim holding an SI's partner. Defaults to <c>partner</c>.</summary>
    public string PartnerClaim { get; set; } = IdentitySettings.PartnerClaim;

    /// <summary>Gets or sets whether the discovery document must be fetched over HTTPS. Defaults to <c>true</c>.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
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
