using System.Threading.Channels;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace PartnerExchange.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c> as grpc/grpc doc/health-checking.md describes it: Check answers the current status or
/// NOT_FOUND; Watch sends the current status (SERVICE_UNKNOWN for an unknown name) and then each change, until cancelled.
/// </summary>
internal sealed class HealthService
{
    private readonly HealthStatusRegistry _registry;

    public HealthService(HealthStatusRegistry registry) => _registry = registry;

    public static ServiceDescriptor Descriptor { get; } = HealthReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Health");

    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        if (!_registry.TryGetStatus(request.Service, out var status))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
        }

        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        // Only the latest status matters: a slow watcher skips intermediate ones rather than queueing them.
        var changes = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        using var subscription = _registry.Watch(request.Service, status => changes.Writer.TryWrite(status), out var current);
        var token = context.CancellationToken;
        try
        {
            await responseStream.WriteAsync(new HealthCheckResponse { Status = current }, token).ConfigureAwait(false);
            var last = current;
            while (await changes.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (changes.Reader.TryRead(out var status))
                {
                    if (status != last)
                    {
                        last = status;
                        await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The watcher went away or the deadline passed: the call simply ends.
        }
    }
}
