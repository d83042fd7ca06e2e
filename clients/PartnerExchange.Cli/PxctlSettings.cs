using System.Text.Json;

namespace PartnerExchange.Cli;

/// <summary>
/// Where pxctl connects and who it is. Each setting comes from the command line, else the environment
/// (<c>PXCTL_SERVER</c>, <c>PXCTL_TOKEN_URL</c>, <c>PXCTL_CLIENT_ID</c>, <c>PXCTL_CLIENT_SECRET</c>), else the config
/// file (<c>--config</c>, else <c>PXCTL_CONFIG</c>, else <c>$XDG_CONFIG_HOME/pxctl/config.json</c> or
/// <c>~/.config/pxctl/config.json</c>; keys <c>server</c>, <c>tokenUrl</c>, <c>clientId</c>, <c>clientSecret</c>),
/// else the default.
/// </summary>
internal sealed record PxctlSettings(Uri Server, Uri TokenUrl, string ClientId, string ClientSecret)
{
    public const string DefaultServer = "http://localhost:5000";
    public const string DefaultTokenUrl = "http://localhost:5001/connect/token";

    public static PxctlSettings Resolve(string? server, string? tokenUrl, string? configPath, PxctlEnvironment environment)
    {
        var explicitConfig = configPath ?? environment.GetVariable("PXCTL_CONFIG");
        var file = ReadConfig(explicitConfig ?? DefaultConfigPath(environment), required: explicitConfig is not null);
        string? Pick(string? fromArgs, string variable, string key) =>
            NotEmpty(fromArgs) ?? NotEmpty(environment.GetVariable(variable)) ?? NotEmpty(file.GetValueOrDefault(key));

        var clientId = Pick(null, "PXCTL_CLIENT_ID", "clientId");
        var secret = Pick(null, "PXCTL_CLIENT_SECRET", "clientSecret");
        if (clientId is null || secret is null)
        {
            throw new PxctlException(
                "no client credentials: set PXCTL_CLIENT_ID and PXCTL_CLIENT_SECRET, or clientId and clientSecret in the config file "
                + $"({explicitConfig ?? DefaultConfigPath(environment) ?? "~/.config/pxctl/config.json"}).", exitCode: 2);
        }

        return new PxctlSettings(
            Address(Pick(server, "PXCTL_SERVER", "server") ?? DefaultServer, "--server"),
            Address(Pick(tokenUrl, "PXCTL_TOKEN_URL", "tokenUrl") ?? DefaultTokenUrl, "--token-url"),
            clientId,
            secret);
    }

    private static string? DefaultConfigPath(PxctlEnvironment environment)
    {
        var configHome = NotEmpty(environment.GetVariable("XDG_CONFIG_HOME"));
        if (configHome is null && NotEmpty(environment.GetVariable("HOME")) is { } home)
        {
            configHome = Path.Combine(home, ".config");
        }

        return configHome is null ? null : Path.Combine(configHome, "pxctl", "config.json");
    }

    private static Dictionary<string, string?> ReadConfig(string? path, bool required)
    {
        if (path is null || (!required && !File.Exists(path)))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PxctlException($"config file {path} is not a JSON object.", exitCode: 2);
            }

            return json.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new PxctlException($"config file {path} cannot be read: {OneLine(ex.Message)}", exitCode: 2);
        }
    }

    private static Uri Address(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new PxctlException($"{option} '{text}' is not an http or https address.", exitCode: 2);

    private static string? NotEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
