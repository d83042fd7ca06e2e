using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PartnerExchange.Bench;

/// <summary>
/// The same answers as <see cref="ErrorInterceptor"/> for unary calls, but a call whose handler has already
/// succeeded when it returns (the usual case for a fast handler) passes its task through: no async state machine and
/// no second <c>Task</c>. A failed or still running call is awaited in <see cref="AwaitAsync"/>, where the same
/// exception filter translates failures.
/// </summary>
internal sealed class LeanErrorInterceptor : Interceptor
{
    private readonly ILogger<LeanErrorInterceptor> _logger;
    private readonly bool _detailedErrors;

    public LeanErrorInterceptor(ILogger<LeanErrorInterceptor> logger, IOptions<GrpcServiceOptions> options)
    {
        _logger = logger;
        _detailedErrors = options.Value.EnableDetailedErrors ?? false;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Task<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch (Exception ex)
        {
            call = Task.FromException<TResponse>(ex);
        }

        return call.IsCompletedSuccessfully ? call : AwaitAsync(call, context);
    }

    private async Task<TResponse> AwaitAsync<TResponse>(Task<TResponse> call, ServerCallContext context)
    {
        try
        {
            return await call;
        }
        catch (Exception ex) when (ErrorTranslation.Translate(ex, context, _logger, _detailedErrors) is { } status)
        {
            throw status;
        }
    }
}
