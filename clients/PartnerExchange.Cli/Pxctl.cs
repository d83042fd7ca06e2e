using System.CommandLine;
using Spectre.Console;

namespace PartnerExchange.Cli;

/// <summary>
/// pxctl, the operator CLI and the monthly reconciliation job: <c>settlement assess|close --period YYYY-MM</c> and
/// <c>statements export --period YYYY-MM --format csv|xlsx</c>, through the API only. Exit code 0 on success, 1 when
/// the run failed, 2 for a usage or configuration error; each failure is one line on the error writer.
/// </summary>
public static class Pxctl
{
    /// <summary>Runs pxctl with <paramref name="args"/>; results go to <paramref name="output"/>, the one-line reason of a failure to <paramref name="error"/>. Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, PxctlEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(environment);

        var server = new Option<string?>("--server") { Description = $"The gRPC address of Partner Exchange (env PXCTL_SERVER, config 'server'; default {PxctlSettings.DefaultServer}).", Recursive = true };
        var tokenUrl = new Option<string?>("--token-url") { Description = $"The OAuth token endpoint (env PXCTL_TOKEN_URL, config 'tokenUrl'; default {PxctlSettings.DefaultTokenUrl}).", Recursive = true };
        var config = new Option<string?>("--config") { Description = "The config file with clientId and clientSecret (env PXCTL_CONFIG; default ~/.config/pxctl/config.json).", Recursive = true };
        var format = new Option<OutputFormat>("--output") { Description = "How results are printed: table or json.", HelpName = "table|json", DefaultValueFactory = _ => OutputFormat.Table, Recursive = true };
        var period = new Option<string>("--period") { Description = "The month, YYYY-MM.", Required = true };
        var requestId = new Option<string?>("--request-id") { Description = "The idempotency key to send instead of the month's own (pxctl-assess-YYYY-MM, pxctl-close-YYYY-MM), e.g. to assess a month again after its inputs changed." };
        var fileFormat = new Option<ExportFormat>("--format") { Description = "The file format: csv or xlsx.", HelpName = "csv|xlsx", Required = true };
        var file = new Option<string?>("--file") { Description = "The file to write; default statements-YYYY-MM.csv or .xlsx in the current directory." };

        var assess = new Command("assess", "Assesses every SI for an ended month and prints each verdict.") { period, requestId };
        var close = new Command("close", "Closes an assessed month and prints each SI's statement: verdict, gross, deductions, net, withheld, released, payable.") { period, requestId };
        var export = new Command("export", "Writes every line of a closed month's statements to a CSV or XLSX file, one row per statement line.") { period, fileFormat, file };
        var root = new RootCommand("pxctl: the Partner Exchange operator CLI and monthly reconciliation job.")
        {
            new Command("settlement", "Monthly assessment and settlement.") { assess, close },
            new Command("statements", "Settlement statements.") { export },
        };
        root.Options.Add(server);
        root.Options.Add(tokenUrl);
        root.Options.Add(config);
        root.Options.Add(format);

        Func<ParseResult, CancellationToken, Task<int>> Action(string command, Func<RunContext, Period, ParseResult, CancellationToken, Task> run) =>
            (parse, ct) => ExecuteAsync(command, output, error, environment, ct, async context =>
            {
                var month = Period.Parse(parse.GetValue(period));
                await run(context, month, parse, ct);
            }, parse.GetValue(server), parse.GetValue(tokenUrl), parse.GetValue(config), parse.GetValue(format));

        assess.SetAction(Action("settlement assess", (run, month, parse, ct) =>
            SettlementCommands.AssessAsync(run, month, parse.GetValue(requestId) ?? month.RequestId("assess"), ct)));
        close.SetAction(Action("settlement close", (run, month, parse, ct) =>
            SettlementCommands.CloseAsync(run, month, parse.GetValue(requestId) ?? month.RequestId("close"), ct)));
        export.SetAction(Action("statements export", (run, month, parse, ct) =>
            StatementExport.ExportAsync(run, month, parse.GetValue(fileFormat), parse.GetValue(file), ct)));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            await error.WriteLineAsync($"pxctl: {PxctlSettings.OneLine(result.Errors[0].Message)} (see pxctl --help)");
            return 2;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    private static async Task<int> ExecuteAsync(
        string command, TextWriter output, TextWriter error, PxctlEnvironment environment, CancellationToken cancellationToken,
        Func<RunContext, Task> run, string? server, string? tokenUrl, string? configPath, OutputFormat format)
    {
        try
        {
            var settings = PxctlSettings.Resolve(server, tokenUrl, configPath, environment);
            var console = CreateConsole(output);
            var progress = new Progress(console, silent: format == OutputFormat.Json);
            using var session = new ApiSession(settings, environment, progress.Report);
            await run(new RunContext(session, console, output, format, progress));
            await output.FlushAsync(cancellationToken);
            return 0;
        }
        catch (PxctlException ex)
        {
            return await FailAsync(ex.Message, ex.ExitCode, ex.Status, ex.Reason);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync($"{command} cancelled.", 1, "CANCELLED", null);
        }

        async Task<int> FailAsync(string message, int exitCode, string? status, string? reason)
        {
            var line = PxctlSettings.OneLine(message);
            if (format == OutputFormat.Json)
            {
                await RunContext.WriteJsonAsync(output, new { Command = command, Failed = true, Error = line, Status = status, Reason = reason, ExitCode = exitCode });
            }

            await error.WriteLineAsync($"pxctl: {line}");
            await error.FlushAsync(CancellationToken.None);
            return exitCode;
        }
    }

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // A log or a test reads whole rows: no wrapping at the 80 columns a redirected output reports.
            console.Profile.Width = 200;
        }

        return console;
    }
}
