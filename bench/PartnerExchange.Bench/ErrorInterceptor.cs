using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PartnerExchange.Bench;

/// <summary>
/// An interceptor of the same shape and cost on the success path as the product's <c>ErrorInterceptor</c>: built
/// per call from the same dependencies (unless registered in DI), an async try/catch around the continuation, and
/// an exception filter (<see cref="ErrorTranslation"/>).
/// </summary>
internal sealed class ErrorInterceptor : Interceptor
{
    private readonly ILogger<ErrorInterceptor> _logger;
    private readonly bool _detailedErrors;

    public ErrorInterceptor(ILogger<ErrorInterceptor> logger, IOptions<GrpcServiceOptions> options)
    {
        _logger = logger;
        _detailedErrors = options.Value.EnableDetailedErrors ?? false;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ErrorTranslation.Translate(ex, context, _logger, _detailedErrors) is { } status)
        {
            throw status;
        }
    }
}
