using System.Globalization;

namespace PartnerExchange.WorkOrderBench;

/// <summary>
/// Tools for bench/workorders.sh, one per first argument:
/// <c>token</c> (an access token by client credentials), <c>load</c> (GetWorkOrder or CreateWorkOrder at a fixed
/// concurrency, latencies per call), <c>raw-commits</c> (single-row SQLite commits with synchronous=FULL),
/// <c>pragmas</c> (what the server's connection uses), <c>seed</c> (clones a real order's rows) and <c>sweep</c>
/// (times the sweeper's pass that finds nothing due).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: PartnerExchange.WorkOrderBench token|load|raw-commits|pragmas|seed|sweep --option value ...");
            return 2;
        }

        var options = Options.Parse(args.AsSpan(1));
        return args[0] switch
        {
            "token" => await LoadClient.TokenAsync(options),
            "load" => await LoadClient.RunAsync(options),
            "raw-commits" => RawCommits.Run(options),
            "pragmas" => await SweepBench.PragmasAsync(options),
            "seed" => Seeder.Run(options),
            "sweep" => await SweepBench.RunAsync(options),
            _ => throw new ArgumentException($"unknown tool {args[0]}"),
        };
    }
}

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name before '{args[i]}'");
            }

            options._values[args[i][2..]] = args[i + 1];
        }

        return options;
    }

    public string String(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Nearest-rank percentiles of latencies.</summary>
internal static class Percentiles
{
    public static double Of(List<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(sorted.Count * fraction);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
