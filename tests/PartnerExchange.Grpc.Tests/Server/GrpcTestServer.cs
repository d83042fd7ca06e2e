using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerExchange.Grpc.Server;
using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

/// <summary>A real Kestrel server on 127.0.0.1, a free port, HTTP/2 only, with the test service mapped; and a raw HTTP/2 client.</summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, TestBehavior behavior, LogSink logs, HttpClient client)
    {
        _app = app;
        Behavior = behavior;
        Logs = logs;
        Client = client;
    }

    public const string ServicePath = "/partnerexchange.grpctest.TestService/";

    public TestBehavior Behavior { get; }

    public LogSink Logs { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GrpcTestServer> StartAsync(
        Action<TestBehavior>? behave = null,
        Action<GrpcTransportOptions>? options = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null,
        bool mapTestService = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        var behavior = new TestBehavior();
        behave?.Invoke(behavior);
        builder.Services.AddSingleton(behavior);
        services?.Invoke(builder.Services);
        builder.Services.AddGrpcTransport(options);
        var app = builder.Build();
        if (mapTestService)
        {
            app.MapGrpcService<TestServiceImpl>(ServerTestReflection.Descriptor.Services[0]);
        }

        map?.Invoke(app);
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
        {
            BaseAddress = new Uri(address),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new GrpcTestServer(app, behavior, logs, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
