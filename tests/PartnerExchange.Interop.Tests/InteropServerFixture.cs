using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerExchange.Interop.Tests.Infrastructure;
using PartnerExchange.Interop.Tests.Testing;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// Our server, in process: Kestrel on 127.0.0.1 and a free port, HTTP/2 over cleartext only, serving
/// grpc.testing.TestService (<see cref="InteropTestService"/>), health and reflection, with a 4 MiB receive limit.
/// </summary>
public sealed class InteropServerFixture : IAsyncLifetime
{
    /// <summary>The receive limit the server is configured with; the over-limit cases send 5 MiB.</summary>
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    private readonly RecordingLoggerProvider _log = new();
    private readonly CompletedRequests _completed = new();
    private WebApplication? _app;

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the port as the command-line argument the interop clients take.</summary>
    public string PortArgument => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the server's log so far, for failure messages.</summary>
    public string Log => _log.Text;

    /// <summary>Gets a mark in the server's log: <see cref="LogSince"/> returns what was logged after it.</summary>
    public long LogMark => _log.Mark;

    /// <summary>Gets the log lines (level and text) written since <paramref name="mark"/>.</summary>
    public IReadOnlyList<(LogLevel Level, string Text)> LogSince(long mark) => _log.Since(mark);

    /// <summary>Gets how many requests to <paramref name="path"/> (e.g. <c>/grpc.testing.TestService/FullDuplexCall</c>) have finished.</summary>
    public int CompletedRequestCount(string path) => _completed.Count(path);

    /// <summary>Waits (bounded) until more than <paramref name="before"/> requests to <paramref name="path"/> have finished.</summary>
    public Task WaitForCompletedRequestsAsync(string path, int before) =>
        _completed.WaitForMoreThanAsync(path, before, CancellationToken.None).DefaultTimeout();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddProvider(_log);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            options.EnableDetailedErrors = true;
        });

        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                _completed.Add(context.Request.Path.Value ?? string.Empty);
            }
        });
        _app.MapGrpcService<InteropTestService>(TestReflection.Descriptor.Services.Single(s => s.Name == "TestService"));
        _app.MapGrpcHealthService();
        _app.MapGrpcReflectionService();
        await _app.StartAsync().DefaultTimeout();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }

        _log.Dispose();
    }
}
