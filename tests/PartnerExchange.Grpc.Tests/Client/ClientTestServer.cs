using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static PartnerExchange.Grpc.Tests.Client.ClientTestHelpers;

namespace PartnerExchange.Grpc.Tests.Client;

/// <summary>
/// A Kestrel server (HTTP/2 only, 127.0.0.1, free port) whose endpoints speak gRPC by hand, or fail to on purpose,
/// so the client can be tested without the server half of the transport.
/// </summary>
public sealed class ClientTestServer : IAsyncLifetime
{
    public const string Service = "partnerexchange.grpc.tests.client.Test";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _aborted = new();
    private WebApplication? _app;

    public string Address { get; private set; } = string.Empty;

    public GrpcChannel Channel { get; private set; } = null!;

    public static Google.Rpc.Status RichStatus { get; } = new()
    {
        Code = 5,
        Message = "order not found",
        Details = { Any.Pack(new StringValue { Value = "order-42" }) },
    };

    /// <summary>Completes with the request's grpc-timeout header (or "none") when a slow call with this id arrives.</summary>
    public Task<string> Started(string id) => _started.GetOrAdd(id, _ => NewTcs<string>()).Task;

    /// <summary>Completes when the server sees the slow call with this id aborted by the client.</summary>
    public Task<bool> Aborted(string id) => _aborted.GetOrAdd(id, _ => NewTcs<bool>()).Task;

    public Task InitializeAsync() => StartAsync(certificate: null);

    /// <summary>Starts the server; with a certificate it serves HTTPS (HTTP/2 negotiated by ALPN).</summary>
    public async Task StartAsync(X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                l.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        Map(app);
        await app.StartAsync();
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = addresses.Single();
        Channel = GrpcChannel.ForAddress(Address);
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static TaskCompletionSource<T> NewTcs<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Path(string method) => $"/{Service}/{method}";

    private void Map(WebApplication app)
    {
        app.MapPost(Path("Unary"), async ctx =>
        {
            var request = await ReadStringAsync(ctx.Request, ctx.RequestAborted);
            foreach (var (key, value) in ctx.Request.Headers)
            {
                if (key.StartsWith("x-", StringComparison.Ordinal))
                {
                    ctx.Response.Headers[key] = value;
                }
            }

            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text("echo:" + request?.Value)));
            Ok(ctx.Response);
            ctx.Response.AppendTrailer("x-trailer", "done");
        });

        app.MapPost(Path("Headers"), async ctx =>
        {
            await ReadStringAsync(ctx.Request, ctx.RequestAborted);
            var lines = new StringBuilder();
            foreach (var (key, value) in ctx.Request.Headers)
            {
                lines.Append(key.ToLowerInvariant()).Append('=').Append(value.ToString()).Append('\n');
            }

            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text(lines.ToString())));
            Ok(ctx.Response);
        });

        app.MapPost(Path("Count"), async ctx =>
        {
            var request = await ReadStringAsync(ctx.Request, ctx.RequestAborted);
            await StartGrpcResponseAsync(ctx.Response);
            for (var i = 0; i < int.Parse(request!.Value, System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                await WriteFrameAsync(ctx.Response, Frame(Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }

            Ok(ctx.Response);
        });

        app.MapPost(Path("Collect"), async ctx =>
        {
            var values = new List<string>();
            while (await ReadStringAsync(ctx.Request, ctx.RequestAborted) is { } message)
            {
                values.Add(message.Value);
            }

            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text(string.Join(",", values))));
            Ok(ctx.Response);
        });

        app.MapPost(Path("Chat"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            while (await ReadStringAsync(ctx.Request, ctx.RequestAborted) is { } message)
            {
                await WriteFrameAsync(ctx.Response, Frame(Text("ack:" + message.Value)));
            }

            Ok(ctx.Response);
        });

        app.MapPost(Path("Stall"), async ctx =>
        {
            // Never reads the request body, so HTTP/2 flow control must hold the client's writes back.
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        });

        app.MapPost(Path("Compressed"), async ctx =>
        {
            var frame = await ReadFrameAsync(ctx.Request, ctx.RequestAborted);
            var encoding = ctx.Request.Headers["grpc-encoding"].ToString();
            var text = $"flag={(frame!.Value.Compressed ? 1 : 0)};encoding={encoding}";
            await StartGrpcResponseAsync(ctx.Response, "gzip");
            await WriteFrameAsync(ctx.Response, Frame(Text(text), compress: true));
            Ok(ctx.Response);
        });

        app.MapPost(Path("CompressedNoEncoding"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text("zipped"), compress: true));
            Ok(ctx.Response);
        });

        app.MapPost(Path("CompressedUnsupported"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response, "snappy");
            await WriteFrameAsync(ctx.Response, Frame(Text("zipped"), compress: true));
            Ok(ctx.Response);
        });

        app.MapPost(Path("Big"), async ctx =>
        {
            var request = await ReadStringAsync(ctx.Request, ctx.RequestAborted);
            var size = int.Parse(request!.Value, System.Globalization.CultureInfo.InvariantCulture);
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text(new string('x', size))));
            Ok(ctx.Response);
        });

        app.MapPost(Path("Truncated"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            var frame = Frame(new byte[100]);
            await WriteFrameAsync(ctx.Response, frame[..15]);
            Ok(ctx.Response);
        });

        app.MapPost(Path("Garbage"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame([0xFF, 0xFF, 0xFF, 0xFF]));
            Ok(ctx.Response);
        });

        app.MapPost(Path("None"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            Ok(ctx.Response);
        });

        app.MapPost(Path("Two"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text("one")));
            await WriteFrameAsync(ctx.Response, Frame(Text("two")));
            Ok(ctx.Response);
        });

        app.MapPost(Path("NoStatus"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text("one")));
        });

        app.MapPost(Path("TrailersOnly"), ctx =>
        {
            ctx.Response.ContentType = "application/grpc";
            ctx.Response.Headers["grpc-status"] = "5";
            ctx.Response.Headers["grpc-message"] = "n%C3%A4 gefunden: 100%25";
            ctx.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(RichStatus.ToByteArray()).TrimEnd('=');
            ctx.Response.Headers["x-info"] = "only";
            return Task.CompletedTask;
        });

        app.MapPost(Path("ErrorAfterMessage"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text("first")));
            ctx.Response.AppendTrailer("grpc-status", "7");
            ctx.Response.AppendTrailer("grpc-message", "not yours");
            ctx.Response.AppendTrailer("grpc-status-details-bin", Convert.ToBase64String(RichStatus.ToByteArray()));
            ctx.Response.AppendTrailer("x-reason", "partner mismatch");
        });

        app.MapPost(Path("Slow"), async ctx =>
        {
            var id = ctx.Request.Headers["x-test-id"].ToString();
            var timeout = ctx.Request.Headers["grpc-timeout"].ToString();
            _started.GetOrAdd(id, _ => NewTcs<string>()).TrySetResult(timeout.Length == 0 ? "none" : timeout);
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _aborted.GetOrAdd(id, _ => NewTcs<bool>()).TrySetResult(true);
            }
        });

        app.MapPost(Path("Reset"), async ctx =>
        {
            await StartGrpcResponseAsync(ctx.Response);
            await WriteFrameAsync(ctx.Response, Frame(Text("before reset")));
            ctx.Abort();
        });

        app.MapPost(Path("Html"), async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync("<html><body>Welcome</body></html>");
        });

        app.MapPost("/http/{code:int}", async (HttpContext ctx, int code) =>
        {
            ctx.Response.StatusCode = code;
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("not grpc");
        });
    }
}

[CollectionDefinition(Name)]
public sealed class ClientServerCollection : ICollectionFixture<ClientTestServer>
{
    public const string Name = "client-test-server";
}
