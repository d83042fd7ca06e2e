namespace PartnerExchange.Bench;

/// <summary>
/// The host settings of the gRPC echo that an A/B run may change, each with <c>--NAME VALUE</c> on the command line
/// (<c>bench/run.sh</c> runs the server <c>grpc+NAME=VALUE+...</c> that way). The defaults are the product server's
/// (<c>src/PartnerExchange.Server/ServerProgram.cs</c> and its <c>appsettings.json</c>) with one change that the A/B
/// runs showed to pay: <c>hosting-logs off</c> (bench/README.md, "Host settings").
/// </summary>
internal sealed class GrpcHostSettings
{
    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["interceptor"] = ["product", "lean", "off"],
        ["logging"] = ["product", "none"],
        ["hosting-logs"] = ["off", "on"],
        ["ignore-unknown-services"] = ["off", "on"],
        ["singletons"] = ["off", "on"],
    };

    private readonly Dictionary<string, string> _values = Choices.ToDictionary(pair => pair.Key, pair => pair.Value[0], StringComparer.Ordinal);

    /// <summary>
    /// Gets the error interceptor around every call: <c>product</c> (an async try/catch like the product's
    /// <c>ErrorInterceptor</c>), <c>lean</c> (the same answers without an async state machine while the call
    /// succeeds synchronously: <see cref="LeanErrorInterceptor"/>) or <c>off</c>.
    /// </summary>
    public string Interceptor => _values["interceptor"];

    /// <summary>
    /// Gets the logging: <c>product</c> (CreateBuilder's providers with the JSON console formatter, Information,
    /// <c>Microsoft.AspNetCore</c> at Warning) or <c>none</c> (no providers).
    /// </summary>
    public string Logging => _values["logging"];

    /// <summary>
    /// Gets whether the category <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> is <c>off</c> (<c>LogLevel.None</c>,
    /// the default here) or <c>on</c> (as the logging setting says; the product's appsettings.json today: Warning,
    /// through <c>Microsoft.AspNetCore</c>). While any level of it is enabled, the host starts an <c>Activity</c> and
    /// a log scope for every request, although nothing is logged.
    /// </summary>
    public string HostingLogs => _values["hosting-logs"];

    /// <summary>Gets <c>GrpcServiceOptions.IgnoreUnknownServices</c>: <c>off</c> (the default, the product's) or <c>on</c>.</summary>
    public string IgnoreUnknownServices => _values["ignore-unknown-services"];

    /// <summary>
    /// Gets whether the service and the interceptors are registered as DI singletons (<c>on</c>), so Grpc.AspNetCore
    /// resolves one instance instead of constructing them for every call (<c>off</c>, the product: not registered).
    /// </summary>
    public string Singletons => _values["singletons"];

    /// <summary>The usage text for the command line.</summary>
    public static string Usage =>
        string.Join(' ', Choices.Select(pair => $"[--{pair.Key} {string.Join('|', pair.Value)}]"));

    /// <summary>Sets <paramref name="name"/> (without the leading dashes) when it is a setting and the value one of its choices.</summary>
    public bool TrySet(string name, string value)
    {
        if (!Choices.TryGetValue(name, out var choices) || !choices.Contains(value, StringComparer.Ordinal))
        {
            return false;
        }

        _values[name] = value;
        return true;
    }

    /// <summary>Gets a value indicating whether <paramref name="name"/> (without the leading dashes) is a setting.</summary>
    public static bool IsSetting(string name) => Choices.ContainsKey(name);

    /// <summary>Describes the settings on one line for the server log.</summary>
    public override string ToString() => string.Join(' ', _values.Select(pair => $"{pair.Key}={pair.Value}"));
}
