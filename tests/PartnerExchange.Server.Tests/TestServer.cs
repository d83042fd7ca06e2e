using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// The real server, as <c>dotnet run</c> builds it, on 127.0.0.1 with free ports for its <c>Grpc</c> and <c>Web</c>
/// endpoints, a fresh SQLite file, the repository's seeds and a fake clock standing at <see cref="Now"/>. One instance
/// per test class as a fixture, or one per test through <see cref="StartAsync"/>.
/// </summary>
public class TestServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The instant the fake clock starts at: 2026-11-29 12:00 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);

    private readonly string[] _extraArgs;
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly bool _ownsDirectory;
    private WebApplication? _app;

    public TestServer()
        : this([], null, null)
    {
    }

    private TestServer(string[] extraArgs, Action<WebApplicationBuilder>? configure, string? directory)
    {
        _extraArgs = extraArgs;
        _configure = configure;
        _ownsDirectory = directory is null;
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "px-server-tests-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>Gets the directory of the server's SQLite file; deleted on disposal unless the caller gave it.</summary>
    public string Directory { get; }

    public FakeTimeProvider Clock { get; } = new(Now);

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>Gets the address of the <c>Grpc</c> endpoint (HTTP/2).</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    /// <summary>Gets the address of the <c>Web</c> endpoint (HTTP/1.1).</summary>
    public Uri WebAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

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

    /// <summary>Gets the demo clients of <c>seeds/clients.json</c>: client id to (secret, role, partner).</summary>
    public static IReadOnlyDictionary<string, (string Secret, string Role, string? PartnerId)> DemoClients { get; } = ReadDemoClients();

    /// <summary>A demo client id of <paramref name="role"/> (for the SI role, the one bound to <c>si-yunqi-music</c>).</summary>
    public static string DemoClientOf(string role) =>
        DemoClients.Where(c => c.Value.Role == role).OrderBy(c => c.Key == "demo-si-yunqi-music" ? 0 : 1).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key;

    public static string[] Args(string directory, params string[] extra) =>
    [
        "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
        "--Kestrel:Endpoints:Web:Url=http://127.0.0.1:0",
        "--environment=Development",
        $"--ConnectionStrings:PartnerExchange=Data Source={Path.Combine(directory, "px.db")}",
        $"--Seeds:Directory={Path.Combine(RepoRoot, "seeds")}",
        "--Logging:LogLevel:Default=Warning",
        // Suites send hundreds of calls per client in a burst; RateLimitTests sets its own limits.
        "--RateLimiting:PermitsPerMinute=6000000",
        "--RateLimiting:Burst=100000",
        "--RateLimiting:TokenRequestsPerMinute=6000000",
        "--RateLimiting:TokenBurst=100000",
        .. extra,
    ];

    /// <summary>
    /// Writes a self-signed RSA certificate <paramref name="name"/>.crt and its private key <paramref name="name"/>.key
    /// (PEM) into <paramref name="directory"/>, valid a day before <paramref name="now"/> to 30 days after, and returns
    /// their paths, as <c>Identity:*Certificates:N:Path</c> and <c>KeyPath</c> take them.
    /// </summary>
    public static async Task<(string Path, string KeyPath)> WriteCertificateAsync(string directory, string name, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=px-test-{name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var (path, keyPath) = (Path.Combine(directory, name + ".crt"), Path.Combine(directory, name + ".key"));
        await File.WriteAllTextAsync(path, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (path, keyPath);
    }

    /// <summary>Starts a server of its own with extra command-line settings and service changes; the caller disposes it.</summary>
    public static async Task<TestServer> StartAsync(Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var server = new TestServer(extraArgs, configure, null);
        await server.InitializeAsync();
        return server;
    }

    /// <summary>
    /// Starts a server on the SQLite file of <paramref name="directory"/>, which the caller owns and deletes: several
    /// servers on one database at once, or one after another as a restart.
    /// </summary>
    public static async Task<TestServer> StartInAsync(string directory, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var server = new TestServer(extraArgs, configure, directory);
        await server.InitializeAsync();
        return server;
    }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _app = ServerProgram.Build(Args(Directory, _extraArgs), builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(Clock);
            _configure?.Invoke(builder);
        });
        await ServerProgram.InitializeAsync(_app, CancellationToken.None).DefaultTimeout();
        await _app.StartAsync().DefaultTimeout();
        var endpoints = _app.Services.GetRequiredService<ListeningEndpoints>();
        GrpcAddress = new Uri($"http://127.0.0.1:{endpoints.GrpcPort}");
        WebAddress = new Uri($"http://127.0.0.1:{endpoints.WebPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
    }

    /// <summary>An access token of a demo client from the server's token endpoint (client_secret_post), cached.</summary>
    public async Task<string> TokenAsync(string clientId)
    {
        if (_tokens.TryGetValue(clientId, out var cached))
        {
            return cached;
        }

        var (ok, body) = await RequestTokenAsync(clientId, DemoClients[clientId].Secret);
        Assert.True(ok, $"token request for {clientId}: {body}");
        return _tokens[clientId] = body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Forgets the cached tokens (after <see cref="Clock"/> moved past their lifetime).</summary>
    public void ForgetTokens() => _tokens.Clear();

    /// <summary>Asks the token endpoint for a client-credentials token; whether it was issued, and the JSON answer.</summary>
    public async Task<(bool Issued, JsonElement Body)> RequestTokenAsync(string clientId, string secret)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await http.PostAsync(new Uri(WebAddress, "/connect/token"), form).DefaultTimeout();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        return (response.IsSuccessStatusCode, json.RootElement.Clone());
    }

    /// <summary>Call options carrying a bearer token of a demo client in <paramref name="role"/>.</summary>
    public async Task<CallOptions> AsAsync(string role) =>
        new(new Metadata { { "authorization", "Bearer " + await TokenAsync(DemoClientOf(role)) } });

    private static Dictionary<string, (string Secret, string Role, string? PartnerId)> ReadDemoClients()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, "seeds", "clients.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return json.RootElement.GetProperty("clients").EnumerateArray().ToDictionary(
            c => c.GetProperty("clientId").GetString()!,
            c => (c.GetProperty("secret").GetString()!, c.GetProperty("role").GetString()!, c.GetProperty("partnerId").GetString()));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on a slow shutdown is left for the OS to clean.
        }
    }
}

internal static class TaskTimeoutExtensions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);
}
