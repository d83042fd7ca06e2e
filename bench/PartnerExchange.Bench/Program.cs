using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerExchange.Bench;

// Usage: PartnerExchange.Bench --mode bare|grpc [--port N] [--alloc-profile] [--SETTING VALUE ...]. Port 0 (the
// default) binds a free port.
//   --mode bare   the ceiling: a slim host, no logging, one MapPost endpoint that writes precomputed reply bytes.
//   --mode grpc   EchoService on Grpc.AspNetCore in the product's host configuration (see GrpcEcho).
// --SETTING VALUE changes one setting of the grpc host for an A/B run (see GrpcHostSettings), e.g. --hosting-logs off.
// --alloc-profile samples allocations by type and prints the top ones on shutdown (costs throughput: not for runs).
// Prints "LISTENING <port>" once Kestrel accepts connections on 127.0.0.1 (HTTP/2 only, cleartext), and on shutdown
// (SIGTERM) one line with the bytes allocated and the garbage collections.
var mode = "bare";
var port = 0;
var grpcSettings = new GrpcHostSettings();
var grpcFlags = 0;
AllocationSampler? sampler = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mode" when i + 1 < args.Length:
            mode = args[++i];
            break;
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--alloc-profile":
            sampler = new AllocationSampler();
            break;
        case var flag when flag.StartsWith("--", StringComparison.Ordinal) && GrpcHostSettings.IsSetting(flag[2..]):
            if (i + 1 >= args.Length || !grpcSettings.TrySet(flag[2..], args[++i]))
            {
                await Console.Error.WriteLineAsync($"{flag}: expected one of {GrpcHostSettings.Usage}");
                return 2;
            }

            grpcFlags++;
            break;
        default:
            await Console.Error.WriteLineAsync(
                $"unknown argument '{args[i]}'; usage: --mode bare|grpc [--port N] [--alloc-profile] {GrpcHostSettings.Usage}");
            return 2;
    }
}

if (mode is not ("bare" or "grpc"))
{
    await Console.Error.WriteLineAsync($"unknown mode '{mode}'; expected bare or grpc");
    return 2;
}

if (mode == "bare" && grpcFlags > 0)
{
    await Console.Error.WriteLineAsync("the grpc host settings apply to --mode grpc only");
    return 2;
}

WebApplication app;
if (mode == "grpc")
{
    app = GrpcEcho.Build(port, grpcSettings);
    Console.WriteLine($"grpc host: {grpcSettings}");
}
else
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.AddServerHeader = false;
        kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
    });
    app = builder.Build();
    BareEcho.Map(app, EchoPayload.BuildReplyFrame());
}

await app.StartAsync();
var address = app.Urls.First();
Console.WriteLine($"LISTENING {new Uri(address).Port.ToString(CultureInfo.InvariantCulture)}");
await app.WaitForShutdownAsync();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"GC allocated={GC.GetTotalAllocatedBytes()} gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)}"));
if (sampler is not null)
{
    foreach (var (type, bytes) in sampler.Top(25))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ALLOC {bytes,14} {type}"));
    }

    sampler.Dispose();
}

return 0;
