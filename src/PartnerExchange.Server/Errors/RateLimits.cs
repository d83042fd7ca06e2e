using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Per-caller rate limits with the framework's rate limiter: a token bucket per authenticated client (the token's
/// subject), and per remote address for anonymous requests such as the token endpoint. Health checks are never
/// limited. A refused gRPC call gets RESOURCE_EXHAUSTED with reason <see cref="ErrorReason.RateLimited"/> and a
/// <c>RetryInfo</c> delay; other requests get 429 with <c>Retry-After</c>.
/// </summary>
internal static class RateLimits
{
    /// <summary>The configuration section: <c>PermitsPerMinute</c> (default 600) and <c>Burst</c> (default 100).</summary>
    public const string Section = "RateLimiting";

    public static void AddPartnerExchangeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var permitsPerMinute = section.GetValue("PermitsPerMinute", 600);
        var burst = section.GetValue("Burst", 100);
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
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = Math.Max(1, permitsPerMinute / 60),
                    ReplenishmentPeriod = permitsPerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / Math.Max(1, permitsPerMinute)),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : TimeSpan.FromSeconds(1);
                var http = context.HttpContext;
                if (TrailersOnlyStatus.IsGrpc(http.Request))
                {
                    TrailersOnlyStatus.Write(http.Response, TrailersOnlyStatus.Create(
                        Code.ResourceExhausted, ErrorReason.RateLimited, "Too many requests from this client; retry after the RetryInfo delay.",
                        new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));
                }
                else
                {
                    http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
        });
    }
}
