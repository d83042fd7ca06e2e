using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PartnerExchange.Data;

/// <summary>
/// Hashes and verifies client secrets with PBKDF2-HMAC-SHA256. The stored form is
/// <c>pbkdf2-sha256${iterations}${salt base64}${hash base64}</c>; the secret itself is never stored.
/// </summary>
public static class ClientSecretHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Gets the iteration count used for new hashes (the ASP.NET Core Identity v3 default for PBKDF2-HMAC-SHA256).</summary>
    public const int Iterations = 100_000;

    /// <summary>Hashes a secret with a fresh random salt.</summary>
    public static string Hash(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether the secret matches the stored hash; <c>false</c> also for a hash in an unknown or damaged format.</summary>
    public static bool Verify(string secret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(storedHash);
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations <= 0)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
