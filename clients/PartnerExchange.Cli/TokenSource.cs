using System.Net;
using System.Text.Json;

namespace PartnerExchange.Cli;

/// <summary>
/// Access tokens of the OAuth 2.0 client credentials grant (client_secret_post) from the server's token endpoint,
/// kept until 30 seconds before they expire and fetched again after that or after <see cref="Invalidate"/>.
/// </summary>
internal sealed class TokenSource : IDisposable
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly PxctlSettings _settings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    public TokenSource(HttpClient http, PxctlSettings settings, TimeProvider time)
    {
        _http = http;
        _settings = settings;
        _time = time;
    }

    /// <summary>Gets how many tokens were requested so far.</summary>
    public int Requested { get; private set; }

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || _time.GetUtcNow() >= _renewAt)
            {
                (_token, var lifetime) = await RequestAsync(cancellationToken);
                _renewAt = _time.GetUtcNow() + (lifetime > RenewBefore * 2 ? lifetime - RenewBefore : lifetime / 2);
            }

            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the current token (the server refused it), so the next call fetches a new one.</summary>
    public void Invalidate() => _token = null;

    public void Dispose() => _gate.Dispose();

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(CancellationToken cancellationToken)
    {
        Requested++;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _settings.ClientId,
            ["client_secret"] = _settings.ClientSecret,
        });
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_settings.TokenUrl, form, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientTokenException($"token request to {_settings.TokenUrl} failed: {PxctlSettings.OneLine(ex.Message)}", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
            {
                throw new TransientTokenException($"token request to {_settings.TokenUrl} failed: HTTP {(int)response.StatusCode}");
            }

            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (response.IsSuccessStatusCode && root.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value)
                {
                    var seconds = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? s : 300;
                    return (value, TimeSpan.FromSeconds(Math.Max(seconds, 1)));
                }

                var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
                var description = root.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                throw new PxctlException(
                    $"token request for client '{_settings.ClientId}' refused: HTTP {(int)response.StatusCode} {error ?? "no error code"}"
                    + (description is null ? "" : ": " + PxctlSettings.OneLine(description)),
                    status: "UNAUTHENTICATED",
                    reason: error);
            }
            catch (JsonException)
            {
                throw new PxctlException($"token request to {_settings.TokenUrl} answered HTTP {(int)response.StatusCode} without a JSON token response.");
            }
        }
    }
}

/// <summary>A token request that may succeed when tried again: no connection, HTTP 429 or 5xx.</summary>
internal sealed class TransientTokenException : Exception
{
    public TransientTokenException()
    {
    }

    public TransientTokenException(string message)
        : base(message)
    {
    }

    public TransientTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
