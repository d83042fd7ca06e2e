using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

/// <summary>What each RPC of the test service does; a test swaps in its own delegates.</summary>
public sealed class TestBehavior
{
    public int Invocations;

    public Func<EchoRequest, ServerCallContext, Task<EchoReply>> Unary { get; set; } =
        (request, _) => Task.FromResult(new EchoReply { Text = request.Text });

    public Func<EchoRequest, IServerStreamWriter<EchoReply>, ServerCallContext, Task> ServerStream { get; set; } =
        async (request, writer, context) =>
        {
            for (var i = 0; i < request.Count; i++)
            {
                await writer.WriteAsync(new EchoReply { Text = $"{request.Text}{i}" }, context.CancellationToken);
            }
        };

    public Func<IAsyncStreamReader<EchoRequest>, ServerCallContext, Task<EchoReply>> ClientStream { get; set; } =
        async (requests, context) =>
        {
            var texts = new List<string>();
            while (await requests.MoveNext(context.CancellationToken))
            {
                texts.Add(requests.Current.Text);
            }

            return new EchoReply { Text = string.Join(",", texts) };
        };

    public Func<IAsyncStreamReader<EchoRequest>, IServerStreamWriter<EchoReply>, ServerCallContext, Task> Duplex { get; set; } =
        async (requests, writer, context) =>
        {
            while (await requests.MoveNext(context.CancellationToken))
            {
                await writer.WriteAsync(new EchoReply { Text = "echo:" + requests.Current.Text }, context.CancellationToken);
            }
        };
}

/// <summary>The test service: a plain class whose methods match the descriptor, delegating to <see cref="TestBehavior"/>.</summary>
public sealed class TestServiceImpl(TestBehavior behavior)
{
    public Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref behavior.Invocations);
        return behavior.Unary(request, context);
    }

    public Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        Interlocked.Increment(ref behavior.Invocations);
        return behavior.ServerStream(request, responseStream, context);
    }

    public Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        Interlocked.Increment(ref behavior.Invocations);
        return behavior.ClientStream(requestStream, context);
    }

    public Task Duplex(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        Interlocked.Increment(ref behavior.Invocations);
        return behavior.Duplex(requestStream, responseStream, context);
    }
}
