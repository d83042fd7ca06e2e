using System.Data.Common;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PartnerExchange.Data;
using PartnerExchange.Server.Errors;
using PartnerExchange.Server.Health;
using PartnerExchange.Server.Identity;
using PartnerExchange.Server.Services;

namespace PartnerExchange.Server;

/// <summary>Builds and runs the Partner Exchange server: configuration, storage, seeds and every gRPC service.</summary>
public static class ServerProgram
{
    /// <summary>The default largest request message, 4 MiB (<c>Grpc:MaxReceiveMessageSize</c>).</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

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
            // appsettings*.json travel with the build output, so the server reads them from any working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (!builder.Environment.IsDevelopment() && ListeningEndpoints.PlaintextBeyondLoopback(builder.Configuration.GetSection("Kestrel")) is var (name, url))
        {
            throw new InvalidOperationException(
                $"Kestrel:Endpoints:{name}:Url is {url}: plaintext HTTP beyond loopback is refused outside Development, since it would carry "
                + "client secrets and tokens in the clear; give the endpoint a certificate (https) or bind it to 127.0.0.1.");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        var endpoints = new ListeningEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.WebHost.ConfigureKestrel((context, kestrel) => endpoints.Capture(kestrel, context.Configuration.GetSection("Kestrel")));
        // The interceptors keep no per-call state: one instance of each serves every call.
        builder.Services.AddSingleton<ErrorInterceptor>();
        builder.Services.AddSingleton<CancelledPartnerInterceptor>();
        builder.Services.AddGrpc(options =>
        {
            var grpc = builder.Configuration.GetSection("Grpc");
            options.MaxReceiveMessageSize = grpc.GetValue("MaxReceiveMessageSize", DefaultMaxReceiveMessageSize);
            options.EnableDetailedErrors = grpc.GetValue("EnableDetailedErrors", false);
            options.Interceptors.Add<ErrorInterceptor>();
            options.Interceptors.Add<CancelledPartnerInterceptor>();
        });
        var reflection = builder.Configuration.GetValue("Grpc:EnableReflection", true);
        if (reflection)
        {
            builder.Services.AddGrpcReflection();
        }

        builder.Services.AddGrpcHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<CalendarHealthCheck>("calendar");
        builder.Services.AddPartnerExchangeData(builder.Configuration);
        builder.Services.AddSingleton(HousekeepingSettings.From(builder.Configuration));
        builder.Services.AddSingleton<Housekeeping>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<Housekeeping>());
        builder.AddWorkOrders();
        builder.Services.AddSingleton(Services.SettlementSettings.From(builder.Configuration));
        builder.AddReports();
        builder.AddPartnerManagement();
        builder.AddPartnerExchangeIdentity();
        builder.Services.AddPartnerExchangeRateLimits(builder.Configuration);
        // After every gRPC registration, our binder goes in place of the framework's: the same methods, with malformed requests answered INVALID_ARGUMENT.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(MessageGuard<>));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseTokenRequestRateLimit(app.Configuration);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseGrpcFrameCheck();
        ServiceCatalog.MapServices(app);
        if (reflection)
        {
            app.MapGrpcReflectionService().AllowAnonymous();
        }

        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync }).AllowAnonymous();
        app.MapTokenEndpoint();
        app.MapPeopleSignIn();
        return app;
    }

    /// <summary>
    /// Applies migrations, loads the seeds into an empty database, registers the clients of people's sign-in, and loads
    /// the token signing keys.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var seeds = app.Configuration["Seeds:Directory"];
        if (string.IsNullOrWhiteSpace(seeds))
        {
            seeds = Path.Combine(AppContext.BaseDirectory, "seeds");
        }

        await DatabaseInitializer.InitializeAsync(app.Services, seeds, app.Environment.EnvironmentName, cancellationToken);
        await PeopleClients.RegisterAsync(app.Services, app.Services.GetRequiredService<IdentitySettings>().People, cancellationToken);
        await app.Services.GetRequiredService<KeyRing>().LoadAsync(
            app.Services.GetRequiredService<IdentitySettings>(),
            app.Services.GetRequiredService<IDbContextFactory<PartnerExchangeDbContext>>(),
            app.Services.GetRequiredService<TimeProvider>(),
            app.Environment.IsDevelopment(),
            cancellationToken);
    }

    private static async Task WriteBannerAsync(WebApplication app, TextWriter output)
    {
        var endpoints = app.Services.GetRequiredService<ListeningEndpoints>();
        foreach (var line in endpoints.Describe(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []))
        {
            await output.WriteLineAsync(line);
        }
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
