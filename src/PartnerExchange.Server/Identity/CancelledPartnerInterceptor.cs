using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// Holds a cancelled partner's SI clients to what <see cref="CancelledPartners"/> leaves them (their statements,
/// assessments and refunds, read only), on every service: each call of a partner-bound caller reads the partner's state
/// (one primary-key lookup) and any other RPC answers FAILED_PRECONDITION with reason PARTNER_CANCELLED. Runs inside the
/// error interceptor, after authorization; carrier roles pass untouched (and take no database context). One instance
/// serves every call.
/// </summary>
internal sealed class CancelledPartnerInterceptor(IDbContextFactory<PartnerExchangeDbContext> databases) : Interceptor
{
    /// <summary>A partner's state, by a query compiled once (every call of an SI asks it).</summary>
    private static readonly CompiledPerModel<Func<PartnerExchangeDbContext, string, CancellationToken, Task<PartnerStatus?>>> StatusOf =
        new(() => EF.CompileAsyncQuery((PartnerExchangeDbContext db, string partner, CancellationToken _) =>
            db.Partners.Where(p => p.Id == partner).Select(p => (PartnerStatus?)p.Status).SingleOrDefault()));

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    private async Task CheckAsync(ServerCallContext context)
    {
        var caller = CallerAccess.Of(context.GetHttpContext());
        if (caller is not { IsPartnerBound: true } || CancelledPartners.MayCall(context.Method))
        {
            return;
        }

        await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
        var status = await StatusOf.For(db)(db, caller.PartnerId!, context.CancellationToken);
        if (status is { } known)
        {
            CancelledPartners.CheckCaller(caller, known, context.Method);
        }
    }
}
