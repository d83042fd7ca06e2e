using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// The JWT bearer handler's check of this server's own tokens, remembered: a token that passed every check once
/// (signature, type, issuer, audience, lifetime) is answered from memory on its later calls until it expires, read on
/// the injected clock with the same allowance for clock differences. An integration system sends one token for its
/// whole lifetime (15 minutes) with thousands of calls, and the signature check was the largest cost of a read.
/// </summary>
/// <remarks>
/// Only a token that validated is remembered, keyed by the whole token string, so a forged or altered token is checked
/// in full every time. What a remembered token does not see: a signing key taken out of the ring (during a rotation the
/// previous key's tokens stay valid until they expire anyway, which is the rule) and a deleted client (whose existing
/// tokens already live until they expire; deleting it stops new tokens). At most <see cref="Capacity"/> tokens are kept;
/// beyond that the cache compacts and the next calls of the dropped tokens are checked in full again.
/// </remarks>
internal sealed class RememberingTokenHandler(TimeProvider time) : TokenHandler, IDisposable
{
    /// <summary>How many validated tokens are kept at most.</summary>
    public const int Capacity = 20_000;

    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.25 });

    /// <inheritdoc/>
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(token, out Remembered? remembered) && remembered is not null && now <= remembered.ValidUntil)
        {
            return remembered.Result;
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var expires } && expires != DateTime.MinValue)
        {
            var validUntil = new DateTimeOffset(expires, TimeSpan.Zero) + validationParameters.ClockSkew;
            if (validUntil <= now)
            {
                return result;
            }

            _valid.Set(token, new Remembered(result, validUntil), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = validUntil - now });
        }

        return result;
    }

    /// <inheritdoc/>
    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    /// <inheritdoc/>
    public void Dispose() => _valid.Dispose();

    private sealed record Remembered(TokenValidationResult Result, DateTimeOffset ValidUntil);
}
