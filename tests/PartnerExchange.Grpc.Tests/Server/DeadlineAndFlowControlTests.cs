using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

public sealed class DeadlineAndFlowControlTests
{
    [Theory]
    [InlineData("2H", 2 * 3600_000_000_0L)]
    [InlineData("3M", 3 * 60_000_000_0L)]
    [InlineData("5S", 5 * 1_000_000_0L)]
    [InlineData("250m", 250 * 1_000_0L)]
    [InlineData("1500u", 1500 * 10L)]
    [InlineData("900n", 9L)]
    public async Task Deadline_EachTimeoutUnit_ReportedFromInjectedClock(string header, long ticks)
    {
        var clock = new ManualTimeProvider();
        DateTime? deadline = null;
        await using var server = await GrpcTestServer.StartAsync(
            b => b.Unary = (_, context) =>
            {
                deadline = context.Deadline;
                return Task.FromResult(new EchoReply());
            },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()), ("grpc-timeout", header));

        Assert.Equal(StatusCode.OK, result.StatusCode);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddTicks(ticks), deadline);
    }

    [Fact]
    public async Task Deadline_NoTimeoutHeader_MaxValue()
    {
        DateTime? deadline = null;
        await using var server = await GrpcTestServer.StartAsync(b => b.Unary = (_, context) =>
        {
            deadline = context.Deadline;
            return Task.FromResult(new EchoReply());
        });

        await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()));

        Assert.Equal(DateTime.MaxValue, deadline);
    }

    [Fact]
    public async Task Deadline_InvalidTimeoutHeader_Internal()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var result = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()), ("grpc-timeout", "12X"));

        Assert.Equal(StatusCode.Internal, result.StatusCode);
        Assert.Equal(0, server.Behavior.Invocations);
    }

    [Fact]
    public async Task Deadline_HandlerObservesToken_TokenFiresAndCallEndsDeadlineExceeded()
    {
        var clock = new ManualTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(
            b => b.Unary = async (_, context) =>
            {
                context.CancellationToken.Register(() => cancelled.TrySetResult());
                started.SetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new EchoReply();
            },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var call = server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()), ("grpc-timeout", "10S"));
        await started.Task.DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(10));
        var result = await call.DefaultTimeout();

        await cancelled.Task.DefaultTimeout();
        Assert.Equal(StatusCode.DeadlineExceeded, result.StatusCode);
        Assert.True(result.IsTrailersOnly);
    }

    [Fact]
    public async Task Deadline_HandlerIgnoresToken_ResponseEndsAtDeadlineAndLateWriteRejected()
    {
        var clock = new ManualTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lateWrite = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(
            b => b.ServerStream = async (_, writer, _) =>
            {
                await writer.WriteAsync(new EchoReply { Text = "before" });
                started.SetResult();
                await release.Task;
                try
                {
                    await writer.WriteAsync(new EchoReply { Text = "after" });
                    lateWrite.SetResult(null);
                }
                catch (Exception ex)
                {
                    lateWrite.SetResult(ex);
                }
            },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var call = server.Client.CallAsync(GrpcTestServer.ServicePath + "ServerStream", GrpcWire.Frame(new EchoRequest()), ("grpc-timeout", "1S"));
        await started.Task.DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await call.DefaultTimeout();
        release.SetResult();
        var lateError = await lateWrite.Task.DefaultTimeout();

        Assert.Equal(["before"], GrpcWire.ReadMessages(result.Body, EchoReply.Parser).Select(r => r.Text));
        Assert.Equal("4", string.Join(",", result.Trailers.GetValues("grpc-status")));
        Assert.IsType<InvalidOperationException>(lateError);
    }

    [Fact]
    public async Task Deadline_UnaryHandlerReturnsLate_ClientGetsDeadlineExceededAndServerStaysHealthy()
    {
        var clock = new ManualTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(
            b => b.Unary = async (request, _) =>
            {
                if (request.Text == "slow")
                {
                    started.SetResult();
                    await release.Task;
                }

                return new EchoReply { Text = request.Text };
            },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var slow = server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest { Text = "slow" }), ("grpc-timeout", "1S"));
        await started.Task.DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(1));
        var slowResult = await slow.DefaultTimeout();
        release.SetResult();
        var next = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest { Text = "next" }));

        Assert.Equal(StatusCode.DeadlineExceeded, slowResult.StatusCode);
        Assert.Empty(slowResult.Body);
        Assert.Equal("next", Assert.Single(GrpcWire.ReadMessages(next.Body, EchoReply.Parser)).Text);
    }

    [Fact]
    public async Task ClientReset_HandlerWaiting_HandlerTokenCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(b => b.ServerStream = async (_, _, context) =>
        {
            context.CancellationToken.Register(() => cancelled.TrySetResult());
            started.SetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        });
        using var cts = new CancellationTokenSource();
        using var request = GrpcWire.Request(GrpcTestServer.ServicePath + "ServerStream", new ByteArrayContent(GrpcWire.Frame(new EchoRequest())));

        var send = server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        await started.Task.DefaultTimeout();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send).DefaultTimeout();
        await cancelled.Task.DefaultTimeout();
    }

    [Fact]
    public async Task ServerStreaming_ClientNotReading_WriterBlocksUntilClientReads()
    {
        const int Messages = 100;
        const int Size = 64 * 1024;
        var written = 0;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await GrpcTestServer.StartAsync(b => b.ServerStream = async (_, writer, context) =>
        {
            var payload = Google.Protobuf.ByteString.CopyFrom(new byte[Size]);
            for (var i = 0; i < Messages; i++)
            {
                await writer.WriteAsync(new EchoReply { Payload = payload }, context.CancellationToken);
                Interlocked.Increment(ref written);
            }

            finished.SetResult();
        });
        using var request = GrpcWire.Request(GrpcTestServer.ServicePath + "ServerStream", new ByteArrayContent(GrpcWire.Frame(new EchoRequest())));
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();

        // 6.4 MiB cannot fit in HTTP/2 windows and Kestrel's buffers: without backpressure the loop would finish at once.
        await Assert.ThrowsAsync<TimeoutException>(() => finished.Task.WaitAsync(TimeSpan.FromSeconds(2)));
        var writtenWhileBlocked = Volatile.Read(ref written);
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        await finished.Task.DefaultTimeout();

        Assert.InRange(writtenWhileBlocked, 1, Messages / 4);
        Assert.Equal(Messages, GrpcWire.ReadFrames(body).Count);
    }
}
