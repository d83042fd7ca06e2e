using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using PartnerExchange.Client;
using Polly;
using Polly.Retry;

namespace PartnerExchange.Cli;

/// <summary>
/// One run's connection to Partner Exchange: the SDK's clients over one channel, a bearer token from
/// <see cref="TokenSource"/> on every call, and transient failures retried (UNAVAILABLE, RESOURCE_EXHAUSTED, a refused
/// token fetched again once, token endpoint unreachable): three retries with exponential back-off from
/// <see cref="PxctlEnvironment.RetryDelay"/>. Writes carry request ids derived from the month, so a retry never acts twice.
/// </summary>
internal sealed class ApiSession : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly PartnerExchangeClient _client;
    private readonly ResiliencePipeline _pipeline;

    public ApiSession(PxctlSettings settings, PxctlEnvironment environment, Action<string> onRetry)
    {
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Tokens = new TokenSource(_http, settings, environment.Time);
        _client = PartnerExchangeClient.Create(settings.Server, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<RpcException>(e => e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.Unauthenticated)
                    .Handle<TransientTokenException>(),
                MaxRetryAttempts = 3,
                Delay = environment.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is RpcException { StatusCode: StatusCode.Unauthenticated })
                    {
                        Tokens.Invalidate();
                    }

                    onRetry($"retry {args.AttemptNumber + 1} of 3 in {args.RetryDelay.TotalSeconds:0.#} s after: {PxctlSettings.OneLine(args.Outcome.Exception?.Message ?? "failure")}");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public TokenSource Tokens { get; }

    public PartnerExchangeClient Api => _client;

    /// <summary>
    /// Runs <paramref name="call"/> (one RPC, or a whole stream read) with a fresh bearer token, retrying transient
    /// failures; a failure that remains becomes a one-line <see cref="PxctlException"/> naming <paramref name="rpc"/>.
    /// </summary>
    public async Task<T> CallAsync<T>(string rpc, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async ct =>
            {
                var token = await Tokens.GetAsync(ct);
                var options = new CallOptions(
                    new Metadata { { "authorization", "Bearer " + token } },
                    deadline: DateTime.UtcNow + CallTimeout,
                    cancellationToken: ct);
                return await call(options);
            }, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Describe(rpc, ex);
        }
        catch (TransientTokenException ex)
        {
            throw new PxctlException(ex.Message, ex);
        }
    }

    /// <summary><c>ClosePeriod failed: FAILED_PRECONDITION MONTH_NOT_ASSESSED: ...</c>, in one line.</summary>
    internal static PxctlException Describe(string rpc, RpcException ex)
    {
        var status = StatusName(ex.StatusCode);
        string? reason = null;
        try
        {
            reason = ex.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A status-details trailer that is not a google.rpc.Status: report the status alone.
        }

        var detail = PxctlSettings.OneLine(ex.Status.Detail);
        var text = new StringBuilder($"{rpc} failed: {status}");
        if (!string.IsNullOrEmpty(reason))
        {
            text.Append(' ').Append(reason);
        }

        if (detail.Length > 0)
        {
            text.Append(": ").Append(detail);
        }

        return new PxctlException(text.ToString(), exitCode: 1, status: status, reason: reason);
    }

    /// <summary>The status code as the gRPC specification spells it: <c>FailedPrecondition</c> is <c>FAILED_PRECONDITION</c>.</summary>
    internal static string StatusName(StatusCode code) => StatusName(code.ToString());

    /// <summary>A PascalCase name in upper snake case: <c>SuspendedOneMonth</c> is <c>SUSPENDED_ONE_MONTH</c>.</summary>
    internal static string StatusName(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }

    public void Dispose()
    {
        _client.Dispose();
        Tokens.Dispose();
        _http.Dispose();
    }
}
