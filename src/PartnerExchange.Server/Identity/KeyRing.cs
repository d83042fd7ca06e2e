using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using PartnerExchange.Data;
using PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// The keys of the token server, loaded once at start-up: those that sign and validate access tokens, and those that
/// encrypt and decrypt the codes it issues to itself (authorization, device and user codes). Each set is the configured
/// certificates, or in Development RSA keys kept in the database (one is made on the first start). Never the machine's
/// development certificate nor a key of the process alone, so tokens and codes survive restarts and every instance on
/// one database agrees.
/// </summary>
public sealed class KeyRing
{
    private IReadOnlyList<SecurityKey>? _keys;
    private IReadOnlyList<SecurityKey>? _encryptionKeys;

    /// <summary>Gets the signing keys, the signing one first; throws before <see cref="LoadAsync"/>.</summary>
    public IReadOnlyList<SecurityKey> Keys => _keys ?? throw NotLoaded();

    /// <summary>Gets the encryption keys, the encrypting one first, every one decrypts; throws before <see cref="LoadAsync"/>.</summary>
    public IReadOnlyList<SecurityKey> EncryptionKeys => _encryptionKeys ?? throw NotLoaded();

    /// <summary>Loads the keys; throws with the setting's name when none can be had outside Development.</summary>
    public async Task LoadAsync(
        IdentitySettings settings, IDbContextFactory<PartnerExchangeDbContext> databases, TimeProvider time, bool development, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(time);
        var stored = new StoredKeys(databases, time, development);
        _keys = await stored.LoadAsync(
            settings.SigningCertificates, KeyPurpose.Signing, nameof(IdentitySettings.SigningCertificates), "signs access tokens", cancellationToken);
        _encryptionKeys = await stored.LoadAsync(
            settings.EncryptionCertificates, KeyPurpose.Encryption, nameof(IdentitySettings.EncryptionCertificates),
            "encrypts authorization and device codes", cancellationToken);
    }

    private static InvalidOperationException NotLoaded() =>
        new("The token keys are not loaded; start the server with ServerProgram.InitializeAsync.");

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

    /// <summary>One set of keys: the configured certificates, else (Development) the database's keys of that purpose.</summary>
    private sealed class StoredKeys(IDbContextFactory<PartnerExchangeDbContext> databases, TimeProvider time, bool development)
    {
        public async Task<IReadOnlyList<SecurityKey>> LoadAsync(
            IList<CertificateSetting> certificates, KeyPurpose purpose, string setting, string use, CancellationToken cancellationToken)
        {
            if (certificates.Count > 0)
            {
                // The certificate valid longest signs or encrypts: a rotation adds the new one before the old one expires.
                return certificates.Select(Load)
                    .OrderByDescending(c => c.NotAfter)
                    .Select(c => (SecurityKey)new X509SecurityKey(c))
                    .ToList();
            }

            if (!development)
            {
                throw new InvalidOperationException(
                    $"{IdentitySettings.Section}:{setting} is required outside Development: configure at least one certificate that {use}.");
            }

            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var stored = await ReadAsync(db, purpose, cancellationToken);
            if (stored.Count == 0)
            {
                using var rsa = RSA.Create(2048);
                db.SigningKeys.Add(new SigningKey
                {
                    Id = Guid.NewGuid().ToString("N"), PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(), CreatedAt = time.GetUtcNow(), Purpose = purpose,
                });
                await db.SaveChangesAsync(cancellationToken);

                // Another instance starting on the same empty table may have added its own: load every key there is.
                stored = await ReadAsync(db, purpose, cancellationToken);
            }

            // Newest first, ties by id: instances made on one instant still pick the same key.
            return stored.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).Select(k => (SecurityKey)ToSecurityKey(k)).ToList();
        }

        private static Task<List<SigningKey>> ReadAsync(PartnerExchangeDbContext db, KeyPurpose purpose, CancellationToken cancellationToken) =>
            db.SigningKeys.AsNoTracking().Where(k => k.Purpose == purpose).ToListAsync(cancellationToken);
    }
}
