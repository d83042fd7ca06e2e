using Google.Protobuf;
using Google.Protobuf.Reflection;
using PartnerExchange.Grpc.Server;
using Alpha = Grpc.Reflection.V1Alpha;
using V1 = Grpc.Reflection.V1;

namespace PartnerExchange.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1alpha.ServerReflection</c>, for older clients. Its messages are wire-identical to v1's,
/// so each request is re-read as v1, answered by the same index, and the answer re-read as v1alpha.
/// </summary>
internal sealed class ReflectionServiceV1Alpha
{
    private readonly GrpcServiceRegistry _registry;

    public ReflectionServiceV1Alpha(GrpcServiceRegistry registry) => _registry = registry;

    public static ServiceDescriptor Descriptor { get; } =
        Alpha.ReflectionReflection.Descriptor.FindTypeByName<ServiceDescriptor>("ServerReflection");

    public async Task ServerReflectionInfo(
        IAsyncStreamReader<Alpha.ServerReflectionRequest> requestStream,
        IServerStreamWriter<Alpha.ServerReflectionResponse> responseStream,
        ServerCallContext context)
    {
        var index = new ReflectionIndex(_registry.GetServices());
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = V1.ServerReflectionRequest.Parser.ParseFrom(requestStream.Current.ToByteString());
            var answer = index.Answer(request);
            await responseStream.WriteAsync(
                Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
