using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Server;

namespace PartnerExchange.Cli.Tests;

/// <summary>
/// The real Partner Exchange server started in this process for pxctl to call: loopback with free ports, a fresh
/// SQLite file, the repository's seeds, and the sandbox clock standing at <see cref="Start"/> (Thu 2026-10-01 09:00
/// in Asia/Shanghai) until a test moves it.
/// </summary>
public sealed class SandboxServer : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 10, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pxctl-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public GrpcChannel Channel { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public Uri TokenUrl { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Gets a directory of this server's own for pxctl's files (exports, config, HOME).</summary>
    public string WorkDirectory => Path.Combine(_directory, "work");

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PartnerExchange.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("PartnerExchange.sln not found above the test output.");
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        _app = ServerProgram.Build(
        [
            "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Web:Url=http://127.0.0.1:0",
            "--environment=Development",
            $"--ConnectionStrings:PartnerExchange=Data Source={Path.Combine(_directory, "px.db")}",
            $"--Seeds:Directory={Path.Combine(RepoRoot, "seeds")}",
            "--Logging:LogLevel:Default=Warning",
            "--RateLimiting:PermitsPerMinute=6000000",
            "--RateLimiting:Burst=100000",
            "--RateLimiting:TokenRequestsPerMinute=6000000",
            "--RateLimiting:TokenBurst=100000",
            $"--Sandbox:Clock={Start:O}",
        ]);
        await ServerProgram.InitializeAsync(_app, CancellationToken.None).DefaultTimeout();
        await _app.StartAsync().DefaultTimeout();
        var endpoints = _app.Services.GetRequiredService<ListeningEndpoints>();
        GrpcAddress = new Uri($"http://127.0.0.1:{endpoints.GrpcPort}");
        TokenUrl = new Uri($"http://127.0.0.1:{endpoints.WebPort}/connect/token");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
    }

    /// <summary>Call options with a token of the demo client <paramref name="clientId"/> of <c>seeds/clients.json</c>.</summary>
    public async Task<CallOptions> AsAsync(string clientId)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = DemoSecret(clientId),
        });
        using var response = await http.PostAsync(TokenUrl, form).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new CallOptions(new Metadata { { "authorization", "Bearer " + json.RootElement.GetProperty("access_token").GetString() } });
    }

    /// <summary>The secret of a demo client in <c>seeds/clients.json</c>.</summary>
    public static string DemoSecret(string clientId)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, "seeds", "clients.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return json.RootElement.GetProperty("clients").EnumerateArray()
            .Single(c => c.GetProperty("clientId").GetString() == clientId).GetProperty("secret").GetString()!;
    }

    /// <summary>Runs pxctl in this process against this server as the demo reconciliation job (or the given client).</summary>
    public async Task<PxctlRun> PxctlAsync(IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = WorkDirectory,
            ["PXCTL_CLIENT_ID"] = "demo-reconciliation-job",
            ["PXCTL_CLIENT_SECRET"] = "demo-secret-reconciliation-job",
        };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new PxctlEnvironment(name => env.GetValueOrDefault(name)) { RetryDelay = TimeSpan.FromMilliseconds(10) };
        var exit = await Pxctl.RunAsync(
            [.. args, "--server", GrpcAddress.ToString(), "--token-url", TokenUrl.ToString()], output, error, environment).DefaultTimeout();
        return new PxctlRun(exit, output.ToString(), error.ToString());
    }

    public Task<PxctlRun> PxctlAsync(params string[] args) => PxctlAsync(null, args);

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on a slow shutdown is left for the OS to clean.
        }
    }
}

/// <summary>What one pxctl run left: its exit code, standard output and standard error.</summary>
public sealed record PxctlRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

internal static class TaskTimeoutExtensions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);
}
