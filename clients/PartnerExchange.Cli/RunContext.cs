using System.Text.Json;
using Spectre.Console;

namespace PartnerExchange.Cli;

/// <summary>How results are printed: a table for people (the default) or one JSON document for scripts.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>One command's run: the API session, the console, the output format and progress.</summary>
internal sealed class RunContext
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Output for scripts, never embedded in HTML: "+01:00" rather than "\u002B01:00".
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public RunContext(ApiSession session, IAnsiConsole console, TextWriter output, OutputFormat format, Progress progress)
    {
        Session = session;
        Console = console;
        Output = output;
        Format = format;
        Progress = progress;
    }

    public ApiSession Session { get; }

    public IAnsiConsole Console { get; }

    public TextWriter Output { get; }

    public OutputFormat Format { get; }

    public Progress Progress { get; }

    /// <summary>Writes <paramref name="result"/> as the run's JSON document on standard output.</summary>
    public Task WriteJsonAsync<T>(T result) => WriteJsonAsync(Output, result);

    public static async Task WriteJsonAsync<T>(TextWriter output, T result)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        await output.FlushAsync();
    }

    /// <summary>The partner id of a resource name such as <c>partners/si-yunqi-music/statements/2026-10</c>.</summary>
    public static string PartnerOf(string name)
    {
        var parts = name.Split('/');
        return parts.Length > 1 && parts[0] == "partners" ? parts[1] : name;
    }

    /// <summary>An enum value as the contract spells it without its prefix: <c>SuspendedOneMonth</c> is <c>SUSPENDED_ONE_MONTH</c>.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        ApiSession.StatusName(value.ToString());
}
