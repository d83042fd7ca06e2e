using PartnerExchange.Interop.Tests.Infrastructure;

namespace PartnerExchange.Interop.Tests;

/// <summary>The harness itself: a client process that hangs must be killed and reported, not wait forever.</summary>
public sealed class ExternalProcessTests
{
    [Fact]
    public async Task RunAsync_ProcessOutlivesTimeout_IsKilledAndReportedAsTimedOut()
    {
        // Arrange
        var python = await ExternalTools.PythonAsync().ProcessTimeout(ForeignClients.ProcessTimeout);
        string[] arguments = ["-c", "import time; print('started', flush=True); time.sleep(600)"];

        // Act
        // 10 s: long enough for Python to start and print on a loaded machine, far short of the 600 s sleep.
        var result = await ExternalProcess.RunAsync(python, arguments, RepoPaths.PythonDirectory, TimeSpan.FromSeconds(10)).DefaultTimeout();

        // Assert
        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Contains("started", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TIMED OUT", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProcessFails_ReportsExitCodeAndStandardError()
    {
        // Arrange
        var python = await ExternalTools.PythonAsync().ProcessTimeout(ForeignClients.ProcessTimeout);
        string[] arguments = ["-c", "import sys; print('why', file=sys.stderr); sys.exit(3)"];

        // Act
        var result = await ExternalProcess.RunAsync(python, arguments, RepoPaths.PythonDirectory, TimeSpan.FromSeconds(60)).DefaultTimeout();

        // Assert
        Assert.False(result.TimedOut);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("why", result.StandardError, StringComparison.Ordinal);
    }
}
