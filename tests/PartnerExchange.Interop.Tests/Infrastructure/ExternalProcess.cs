using System.Diagnostics;
using System.Text;

namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>The outcome of a finished (or killed) child process.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, bool TimedOut, string StandardOutput, string StandardError)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Everything a failed assertion should show.</summary>
    public string Describe() =>
        $"{Command}\n{(TimedOut ? "TIMED OUT and was killed" : $"exit code {ExitCode}")}\n" +
        $"--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs the interop programs as child processes; a process that outlives its timeout is killed with its children.</summary>
internal static class ExternalProcess
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        using var process = Start(fileName, arguments, workingDirectory, out var stdout, out var stderr);
        process.StandardInput.Close();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                Kill(process);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        // WaitForExitAsync also waits for the redirected streams to reach end of file.
        return new ProcessResult(
            Describe(fileName, arguments),
            timedOut ? -1 : process.ExitCode,
            timedOut,
            Read(stdout),
            Read(stderr));
    }

    /// <summary>Starts a long-running process whose output lines are handed to <paramref name="onLine"/>.</summary>
    public static Process StartLongRunning(string fileName, IEnumerable<string> arguments, string workingDirectory, Action<string, bool> onLine)
    {
        var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, workingDirectory), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data, false);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data, true);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public static string Describe(string fileName, IEnumerable<string> arguments) => $"{fileName} {string.Join(' ', arguments)}";

    private static Process Start(string fileName, IEnumerable<string> arguments, string workingDirectory, out StringBuilder stdout, out StringBuilder stderr)
    {
        var output = new StringBuilder();
        var error = new StringBuilder();
        stdout = output;
        stderr = error;
        return StartLongRunning(fileName, arguments, workingDirectory, (line, isError) =>
        {
            var target = isError ? error : output;
            lock (target)
            {
                target.AppendLine(line);
            }
        });
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Python must not buffer "READY" or pick up a user's site packages that shadow the Debian grpcio.
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment["PYTHONNOUSERSITE"] = "1";
        return info;
    }
}
