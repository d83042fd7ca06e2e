using System.Data.Common;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PartnerExchange.Data;

namespace PartnerExchange.Server;

/// <summary>Builds and runs the Partner Exchange server: configuration, storage, seeds and every gRPC service.</summary>
public static class ServerProgram
{
    /// <summary>
    /// Runs the server until it is stopped. Returns 0 after a clean stop, 1 when start-up failed; the reason for a
    /// failed start is written to <paramref name="error"/> in one line.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        WebApplication app;
        try
        {
            app = Build(args);
            await InitializeAsync(app, cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"partnerexchange: failed to start: {Describe(ex)}");
            return 1;
        }

        await using (app)
        {
            await WriteBannerAsync(app, output);
            await app.WaitForShutdownAsync(cancellationToken);
            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    /// <summary>
    /// Builds the application without starting it. <paramref name="configure"/> lets tests replace settings or services.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddGrpcTransport(options =>
        {
            var grpc = builder.Configuration.GetSection("Grpc");
            options.MaxReceiveMessageSize = grpc.GetValue("MaxReceiveMessageSize", options.MaxReceiveMessageSize);
            options.EnableDetailedErrors = grpc.GetValue("EnableDetailedErrors", options.EnableDetailedErrors);
        });
        builder.Services.AddPartnerExchangeData(builder.Configuration);
        ServiceCatalog.AddServices(builder.Services);
        configure?.Invoke(builder);

        var app = builder.Build();
        ServiceCatalog.MapServices(app);
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>Applies migrations and, on an empty database, loads the seeds.</summary>
    public static Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var seeds = app.Configuration["Seeds:Directory"];
        if (string.IsNullOrWhiteSpace(seeds))
        {
            seeds = Path.Combine(AppContext.BaseDirectory, "seeds");
        }

        return DatabaseInitializer.InitializeAsync(app.Services, seeds, app.Environment.EnvironmentName, cancellationToken);
    }

    private static async Task WriteBannerAsync(WebApplication app, TextWriter output)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            await output.WriteLineAsync($"Partner Exchange is listening on {address} (gRPC over HTTP/2 cleartext, h2c).");
        }

        var first = addresses.FirstOrDefault() ?? "http://localhost:5000";
        var hostPort = new Uri(first.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)).Authority;
        await output.WriteLineAsync($"First call: grpcurl -plaintext {hostPort} list   (reflection lists every service)");
        await output.WriteLineAsync($"            grpcurl -plaintext {hostPort} grpc.health.v1.Health/Check");
    }

    private static string Describe(Exception ex)
    {
        // The outermost message is usually the clearest; add the innermost one when it says something more.
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var message = ex is DbException db ? $"the database could not be opened ({db.Message})" : ex.Message;
        if (!ReferenceEquals(inner, ex) && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += $" ({inner.Message})";
        }

        return message.ReplaceLineEndings(" ");
    }
}
