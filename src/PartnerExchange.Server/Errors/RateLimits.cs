using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.RateLimiting;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Rate limits with the framework's rate limiter, token buckets rounded up to whole permits per second:
/// <list type="bullet">
/// <item>every call, per authenticated client (the token's subject), or per remote address without a token
/// (<c>RateLimiting:PermitsPerMinute</c>, default 600, <c>RateLimiting:Burst</c>, default 100); health is never limited;</item>
/// <item>the token endpoint per remote address before any client is authenticated, so refused secrets cannot be guessed
/// at speed (<c>RateLimiting:TokenRequestsPerMinute</c>, default 60, <c>RateLimiting:TokenBurst</c>, default 20).</item>
/// </list>
/// A refused gRPC call gets RESOURCE_EXHAUSTED with reason <see cref="ErrorReason.RateLimited"/> and a <c>RetryInfo</c>
/// delay; other requests get 429 with <c>Retry-After</c>.
/// </summary>
internal static class RateLimits
{
    public const string Section = "RateLimiting";

    public static void AddPartnerExchangeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var calls = Bucket(section, "PermitsPerMinute", 600, "Burst", 100);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = context.Request.Path;
                if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/grpc.health.v1.Health"))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var caller = context.User.FindFirst("sub")?.Value is { } subject
                    ? "client:" + subject
                    : "address:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => calls);
            });
            options.OnRejected = RejectAsync;
        });
    }

    /// <summary>The token endpoint's own limit per remote address; goes before authentication.</summary>
    public static IApplicationBuilder UseTokenRequestRateLimit(this IApplicationBuilder app, IConfiguration configuration)
    {
        var bucket = Bucket(configuration.GetSection(Section), "TokenRequestsPerMinute", 60, "TokenBurst", 20);
        var options = new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter("address:" + context.Connection.RemoteIpAddress, _ => bucket)),
            OnRejected = RejectAsync,
        };
        return app.UseWhen(context => context.Request.Path.StartsWithSegments("/connect/token"), branch => branch.UseRateLimiter(options));
    }

    private static TokenBucketRateLimiterOptions Bucket(IConfigurationSection section, string rateKey, int rate, string burstKey, int burst)
    {
        var perMinute = section.GetValue(rateKey, rate);
        var size = section.GetValue(burstKey, burst);
        if (perMinute <= 0 || size <= 0)
        {
            throw new InvalidOperationException($"{Section}:{rateKey} and {Section}:{burstKey} must be positive.");
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = size,
            TokensPerPeriod = perMinute >= 60 ? (perMinute + 59) / 60 : 1,
            ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : TimeSpan.FromSeconds(1);
        var http = context.HttpContext;
        if (TrailersOnlyStatus.IsGrpc(http.Request))
        {
            TrailersOnlyStatus.Write(http.Response, ErrorStatus.Create(
                Code.ResourceExhausted, ErrorReason.RateLimited, "Too many requests from this client; retry after the RetryInfo delay.", metadata: null,
                new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return ValueTask.CompletedTask;
    }
}
