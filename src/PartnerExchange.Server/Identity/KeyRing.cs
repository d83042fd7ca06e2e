using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using PartnerExchange.Data;
using PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// The keys that sign and validate access tokens, loaded once at start-up: the configured certificates, or in
/// Development the RSA keys kept in the database (one is made on the first start). Never the machine's development
/// certificate, so tokens survive restarts and every instance on one database agrees.
/// </summary>
public sealed class KeyRing
{
    private IReadOnlyList<SecurityKey>? _keys;

    /// <summary>Gets the keys, the signing one first; throws before <see cref="LoadAsync"/>.</summary>
    public IReadOnlyList<SecurityKey> Keys => _keys ?? throw new InvalidOperationException("The token signing keys are not loaded; start the server with ServerProgram.InitializeAsync.");

    /// <summary>Loads the keys; throws with the setting's name when none can be had outside Development.</summary>
    public async Task LoadAsync(
        IdentitySettings settings, IDbContextFactory<PartnerExchangeDbContext> databases, TimeProvider time, bool development, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(databases);
        if (settings.SigningCertificates.Count > 0)
        {
            _keys = settings.SigningCertificates.Select(Load)
                .OrderByDescending(c => c.NotAfter)
                .Select(c => (SecurityKey)new X509SecurityKey(c))
                .ToList();
            return;
        }

        if (!development)
        {
            throw new InvalidOperationException(
                $"{IdentitySettings.Section}:SigningCertificates is required outside Development: configure at least one certificate that signs access tokens.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var stored = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        if (stored.Count == 0)
        {
            using var rsa = RSA.Create(2048);
            var key = new SigningKey { Id = Guid.NewGuid().ToString("N"), PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(), CreatedAt = time.GetUtcNow() };
            db.SigningKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);

            // Another instance starting on the same empty table may have added its own: load every key there is.
            stored = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        }

        _keys = stored.OrderByDescending(k => k.CreatedAt).Select(ToSecurityKey).ToList();
    }

    private static X509Certificate2 Load(CertificateSetting setting)
    {
        var extension = Path.GetExtension(setting.Path);
        return extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase)
            ? X509CertificateLoader.LoadPkcs12FromFile(setting.Path, setting.Password)
            : X509Certificate2.CreateFromPemFile(setting.Path, setting.KeyPath);
    }

    private static RsaSecurityKey ToSecurityKey(SigningKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.PrivateKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }
}
