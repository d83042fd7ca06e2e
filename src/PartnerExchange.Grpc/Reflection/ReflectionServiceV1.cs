using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using PartnerExchange.Grpc.Server;

namespace PartnerExchange.Grpc.Reflection;

/// <summary><c>grpc.reflection.v1.ServerReflection</c>: answers each request of the stream, in order.</summary>
internal sealed class ReflectionServiceV1
{
    private readonly GrpcServiceRegistry _registry;

    public ReflectionServiceV1(GrpcServiceRegistry registry) => _registry = registry;

    public static ServiceDescriptor Descriptor { get; } = ReflectionReflection.Descriptor.FindTypeByName<ServiceDescriptor>("ServerReflection");

    public async Task ServerReflectionInfo(
        IAsyncStreamReader<ServerReflectionRequest> requestStream,
        IServerStreamWriter<ServerReflectionResponse> responseStream,
        ServerCallContext context)
    {
        var index = new ReflectionIndex(_registry.GetServices());
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(index.Answer(requestStream.Current), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
