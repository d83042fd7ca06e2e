using System.Globalization;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerExchange.Interop.Tests.Infrastructure;
using PartnerExchange.Server;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// The product, in process, as <c>dotnet run</c> builds it (<see cref="ServerProgram.Build"/>): its gRPC endpoint and its
/// Web endpoint (the token endpoint) on 127.0.0.1 and free ports, a fresh SQLite file, the repository's seeds (with the
/// demo clients) and the default 4 MiB receive limit. The suite adds only observation: a recording logger, a count of
/// requests in flight and the test-only <see cref="HoldInterceptor"/>.
/// </summary>
public sealed class ProductServerFixture : IAsyncLifetime
{
    private readonly RecordingLoggerProvider _log = new();
    private readonly InFlightRequests _inFlight = new();
    private WebApplication? _app;

    /// <summary>Gets the directory of this server's database, deleted at the end.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "px-interop-" + Guid.NewGuid().ToString("N"));

    /// <summary>Gets the port of the <c>Grpc</c> endpoint (HTTP/2 over cleartext).</summary>
    public int GrpcPort { get; private set; }

    /// <summary>Gets the port as the command-line argument the foreign clients take.</summary>
    public string PortArgument => GrpcPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the port of the <c>Web</c> endpoint (HTTP/1.1), where the token endpoint is.</summary>
    public int WebPort { get; private set; }

    /// <summary>Gets the address of the OAuth 2.0 token endpoint the foreign clients get their access tokens from.</summary>
    public string TokenUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{WebPort}/connect/token");

    /// <summary>Gets a mark in the server's log: <see cref="LogSince"/> returns what was logged after it.</summary>
    public long LogMark => _log.Mark;

    internal HeldCalls HeldCalls { get; } = new();

    /// <summary>Gets the log lines (level and text) written since <paramref name="mark"/>.</summary>
    public IReadOnlyList<(LogLevel Level, string Text)> LogSince(long mark) => _log.Since(mark);

    /// <summary>Gets the server's log since <paramref name="mark"/> as text, for failure messages.</summary>
    public string LogTextSince(long mark)
    {
        var lines = _log.Since(mark);
        return lines.Count == 0 ? "(nothing at Warning or above)" : string.Join('\n', lines.Select(l => l.Text));
    }

    /// <summary>Waits (bounded) until the server has finished every request it received.</summary>
    public Task WaitUntilIdleAsync() => _inFlight.WaitUntilIdleAsync(CancellationToken.None).DefaultTimeout();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        string[] args =
        [
            "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Web:Url=http://127.0.0.1:0",
            "--environment=Development",
            $"--ConnectionStrings:PartnerExchange=Data Source={Path.Combine(DataDirectory, "px.db")}",
            $"--Seeds:Directory={RepoPaths.SeedsDirectory}",
            "--Logging:LogLevel:Default=Warning",
            // Every case's client process asks for its own tokens from 127.0.0.1: far more than one address's default.
            "--RateLimiting:TokenRequestsPerMinute=600000",
            "--RateLimiting:TokenBurst=10000",
        ];
        _app = ServerProgram.Build(args, builder =>
        {
            builder.Logging.AddProvider(_log);
            builder.Services.AddSingleton(HeldCalls);
            builder.Services.AddSingleton<IStartupFilter>(new InFlightRequests.StartupFilter(_inFlight));
            builder.Services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<HoldInterceptor>());
        });
        await ServerProgram.InitializeAsync(_app, CancellationToken.None).DefaultTimeout();
        await _app.StartAsync().DefaultTimeout();
        var endpoints = _app.Services.GetRequiredService<ListeningEndpoints>();
        GrpcPort = endpoints.GrpcPort ?? throw new InvalidOperationException("The server started without its Grpc endpoint.");
        WebPort = endpoints.WebPort ?? throw new InvalidOperationException("The server started without its Web endpoint.");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }

        _log.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open after a slow shutdown is left for the OS to clean.
        }
    }
}
