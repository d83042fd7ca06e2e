using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PartnerExchange.Grpc;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// The real server, as <c>dotnet run</c> builds it, on 127.0.0.1 with a free port, a fresh SQLite file and the
/// repository's seeds. One instance per test class.
/// </summary>
public sealed class TestServer : IAsyncLifetime
{
    private WebApplication? _app;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "px-server-tests-" + Guid.NewGuid().ToString("N"));

    public GrpcChannel Channel { get; private set; } = null!;

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

    public static string[] Args(string directory, params string[] extra) =>
    [
        "--urls=http://127.0.0.1:0",
        "--environment=Development",
        $"--ConnectionStrings:PartnerExchange=Data Source={Path.Combine(directory, "px.db")}",
        $"--Seeds:Directory={Path.Combine(RepoRoot, "seeds")}",
        "--Logging:LogLevel:Default=Warning",
        .. extra,
    ];

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _app = ServerProgram.Build(Args(Directory));
        await ServerProgram.InitializeAsync(_app, CancellationToken.None).DefaultTimeout();
        await _app.StartAsync().DefaultTimeout();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Channel = GrpcChannel.ForAddress(address);
    }

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
