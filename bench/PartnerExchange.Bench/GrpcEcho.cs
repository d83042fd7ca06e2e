using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PartnerExchange.Bench;

/// <summary>
/// The echo on Grpc.AspNetCore, in the product's host configuration as far as it applies to a unary echo: the full
/// <c>WebApplication.CreateBuilder</c> host, <c>AddGrpc</c> with the product's options and an interceptor of the
/// product's shape, gRPC reflection and the gRPC health service, Kestrel's defaults with one HTTP/2-only endpoint.
/// Left out: the database, seeds and health checks that need it, and the HTTP/1.1 <c>/healthz</c> endpoint. One
/// difference from the product today: the category <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> is off
/// (<see cref="GrpcHostSettings.HostingLogs"/>).
/// </summary>
internal static class GrpcEcho
{
    /// <summary>The product's default largest request message, 4 MiB.</summary>
    private const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    public static WebApplication Build(int port, GrpcHostSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (settings.Logging == "product")
        {
            // What the product's appsettings.json configures; the console provider is among CreateBuilder's defaults.
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddJsonConsole(console =>
            {
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                console.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.ClearProviders();
        }

        if (settings.HostingLogs == "off")
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            options.EnableDetailedErrors = false;
            options.IgnoreUnknownServices = settings.IgnoreUnknownServices == "on";
            switch (settings.Interceptor)
            {
                case "product":
                    options.Interceptors.Add<ErrorInterceptor>();
                    break;
                case "lean":
                    options.Interceptors.Add<LeanErrorInterceptor>();
                    break;
                default:
                    break;
            }
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks();
        if (settings.Singletons == "on")
        {
            builder.Services.AddSingleton<EchoService>();
            builder.Services.AddSingleton<ErrorInterceptor>();
            builder.Services.AddSingleton<LeanErrorInterceptor>();
        }

        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }
}

/// <summary>The echo: returns the request message unchanged.</summary>
internal sealed class EchoService : Echo.EchoBase
{
    public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context) => Task.FromResult(request);
}
