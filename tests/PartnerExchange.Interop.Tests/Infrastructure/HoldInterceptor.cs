using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>
/// Test-only server interceptor: a unary call whose request carries <c>x-test-hold: 1</c> sends its response headers
/// (with <c>x-test-held: 1</c>, so a client knows the call reached the server) and then waits on the call's
/// cancellation token, as a handler waiting on a slow database would. So a client deadline surely expires at the
/// server, and a client cancel surely meets a running handler. It is registered after the product's own
/// interceptor, so it runs inside it, where the product's services run.
/// </summary>
internal sealed class HoldInterceptor(HeldCalls heldCalls) : Interceptor
{
    public const string HoldHeader = "x-test-hold";
    public const string HeldHeader = "x-test-held";

    /// <summary>The longest hold: a call nobody cancels ends with ABORTED after this, so no case hangs the server.</summary>
    public static readonly TimeSpan LongestHold = TimeSpan.FromSeconds(60);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (context.RequestHeaders.GetValue(HoldHeader) == "1")
        {
            await HoldAsync(context);
        }

        return await continuation(request, context);
    }

    private async Task HoldAsync(ServerCallContext context)
    {
        var receivedAt = DateTime.UtcNow;
        try
        {
            await context.WriteResponseHeadersAsync(new Metadata { { HeldHeader, "1" } });
            await Task.Delay(LongestHold, context.CancellationToken);
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            heldCalls.Add(new HeldCall(context.Method, receivedAt, context.Deadline, DateTime.UtcNow - receivedAt, Cancelled: true));
            throw new OperationCanceledException(context.CancellationToken);
        }

        heldCalls.Add(new HeldCall(context.Method, receivedAt, context.Deadline, DateTime.UtcNow - receivedAt, Cancelled: false));
        throw new RpcException(new Status(StatusCode.Aborted, $"{HoldHeader}: held for {LongestHold.TotalSeconds:F0} s and never cancelled"));
    }
}
