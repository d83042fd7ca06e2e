using Spectre.Console;

namespace PartnerExchange.Cli;

/// <summary>
/// What pxctl is doing, while it does it: a spinner with the current step on a terminal, one grey line per step when
/// the output is redirected (a scheduler's log), and nothing with <c>--output json</c>, whose standard output is the
/// result alone.
/// </summary>
internal sealed class Progress
{
    private readonly IAnsiConsole _console;
    private readonly bool _silent;
    private Action<string>? _current;

    public Progress(IAnsiConsole console, bool silent)
    {
        _console = console;
        _silent = silent;
    }

    /// <summary>Runs <paramref name="work"/> under the step <paramref name="text"/>; the work may report finer steps through <see cref="Report"/>.</summary>
    public async Task<T> StepAsync<T>(string text, Func<Task<T>> work)
    {
        if (_silent)
        {
            return await work();
        }

        if (!_console.Profile.Capabilities.Interactive)
        {
            _current = Line;
            Line(text);
            try
            {
                return await work();
            }
            finally
            {
                _current = null;
            }
        }

        return await _console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(text), async context =>
        {
            _current = step => context.Status(Markup.Escape(step));
            try
            {
                return await work();
            }
            finally
            {
                _current = null;
            }
        });
    }

    /// <summary>Reports a finer step of the running one (a statement read, a retry).</summary>
    public void Report(string text)
    {
        if (!_silent)
        {
            (_current ?? Line)(text);
        }
    }

    private void Line(string text) => _console.MarkupLineInterpolated($"[grey]{text}[/]");
}
