using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using PartnerExchange.Contracts.V1;
using ErrorReason = PartnerExchange.Domain.ErrorReason;

namespace PartnerExchange.Cli.Tests;

/// <summary>
/// Failures a scheduler acts on: each exits non-zero with one line on standard error naming the call, the gRPC status
/// and the ErrorInfo reason (and, with <c>--output json</c>, the same as a JSON document on standard output).
/// </summary>
public sealed class FailureTests : IClassFixture<FailureTests.AfterOctober>
{
    private readonly SandboxServer _server;

    public FailureTests(AfterOctober fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Close_MonthNotAssessed_ExitOneWithOneLineStatusAndReason()
    {
        var run = await _server.PxctlAsync("settlement", "close", "--period", "2026-10");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"pxctl: ClosePeriod failed: FAILED_PRECONDITION {ErrorReason.IllegalStateTransition}: ", line, StringComparison.Ordinal);
        Assert.Contains("not assessed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_MonthNotAssessedJson_FailureDocumentOnStdout()
    {
        var run = await _server.PxctlAsync("settlement", "close", "--period", "2026-09", "--output", "json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(
            (true, "FAILED_PRECONDITION", ErrorReason.IllegalStateTransition, 1),
            (json.RootElement.GetProperty("failed").GetBoolean(), json.RootElement.GetProperty("status").GetString(),
                json.RootElement.GetProperty("reason").GetString(), json.RootElement.GetProperty("exitCode").GetInt32()));
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Assess_MonthNotEnded_ExitOneInvalidArgument()
    {
        var run = await _server.PxctlAsync("settlement", "assess", "--period", "2026-11");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("pxctl: AssessPeriod failed: INVALID_ARGUMENT", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_WrongSecret_ExitOneTokenRefusedInvalidClient()
    {
        var run = await _server.PxctlAsync(new Dictionary<string, string> { ["PXCTL_CLIENT_SECRET"] = "not-the-secret" }, "settlement", "assess", "--period", "2026-10");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pxctl: token request for client 'demo-reconciliation-job' refused: HTTP 4", line, StringComparison.Ordinal);
        Assert.Contains("invalid_client", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_ClientWithoutTheRole_ExitOnePermissionDenied()
    {
        var run = await _server.PxctlAsync(
            new Dictionary<string, string> { ["PXCTL_CLIENT_ID"] = "demo-auditor", ["PXCTL_CLIENT_SECRET"] = SandboxServer.DemoSecret("demo-auditor") },
            "settlement", "close", "--period", "2026-10");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("pxctl: ClosePeriod failed: PERMISSION_DENIED", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_NoCredentials_ExitTwoNamingTheVariables()
    {
        var run = await _server.PxctlAsync(
            new Dictionary<string, string> { ["PXCTL_CLIENT_ID"] = "", ["PXCTL_CLIENT_SECRET"] = "" }, "settlement", "assess", "--period", "2026-10");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("pxctl: no client credentials: set PXCTL_CLIENT_ID and PXCTL_CLIENT_SECRET", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_CredentialsInConfigFile_Used()
    {
        var config = Path.Combine(_server.WorkDirectory, "pxctl.json");
        await File.WriteAllTextAsync(config, """{ "clientId": "demo-reconciliation-job", "clientSecret": "wrong" }""");

        var run = await _server.PxctlAsync(
            new Dictionary<string, string> { ["PXCTL_CLIENT_ID"] = "", ["PXCTL_CLIENT_SECRET"] = "" }, "settlement", "close", "--period", "2026-10", "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("invalid_client", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("202610")]
    [InlineData("26-10")]
    public async Task Assess_BadPeriod_ExitTwoOneLine(string period)
    {
        var run = await _server.PxctlAsync("settlement", "assess", "--period", period);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"pxctl: --period '{period}' is not a month: give YYYY-MM, e.g. 2026-10.", run.Error.TrimEnd());
    }

    [Fact]
    public async Task Export_UnknownFormat_ExitTwoOneLine()
    {
        var run = await _server.PxctlAsync("statements", "export", "--period", "2026-10", "--format", "pdf");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Export_MonthNotClosed_ExitOneNothingWritten()
    {
        var file = Path.Combine(_server.WorkDirectory, "none.csv");

        var run = await _server.PxctlAsync("statements", "export", "--period", "2026-10", "--format", "csv", "--file", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("pxctl: statements export failed: 2026-10 has no statements (close the month first: pxctl settlement close --period 2026-10).", run.Error.TrimEnd());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Assess_ServerUnreachable_ExitOneAfterRetries()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new PxctlEnvironment(name => name switch
        {
            "PXCTL_CLIENT_ID" => "demo-reconciliation-job",
            "PXCTL_CLIENT_SECRET" => "demo-secret-reconciliation-job",
            _ => null,
        })
        { RetryDelay = TimeSpan.FromMilliseconds(1) };

        var exit = await Pxctl.RunAsync(
            ["settlement", "assess", "--period", "2026-10", "--token-url", "http://127.0.0.1:9/connect/token", "--server", "http://127.0.0.1:9"],
            output, error, environment).DefaultTimeout();

        Assert.Equal(1, exit);
        Assert.StartsWith("pxctl: token request to http://127.0.0.1:9/connect/token failed: ", Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(3, output.ToString().Split('\n').Count(l => l.StartsWith("retry ", StringComparison.Ordinal)));
    }

    /// <summary>A server whose sandbox clock stands on 2026-11-01 01:00, October ended and nothing assessed.</summary>
    public sealed class AfterOctober : IAsyncLifetime
    {
        public SandboxServer Server { get; } = new();

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            await new SandboxService.SandboxServiceClient(Server.Channel).AdvanceClockAsync(
                new AdvanceClockRequest { To = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(8))) },
                await Server.AsAsync("demo-reconciliation-job"));
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
