using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>
/// Counts the requests the in-process server is working on. A middleware placed before the whole pipeline (by
/// <see cref="StartupFilter"/>) ends a request only after the gRPC endpoint has returned, so once the count is back
/// at zero everything the product logs about a case's calls has been logged.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly object _gate = new();
    private int _count;
    private TaskCompletionSource _idle = CompletedSource();

    public void Started()
    {
        lock (_gate)
        {
            if (_count++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Finished()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                idle = _idle;
            }
        }

        idle?.SetResult();
    }

    /// <summary>Completes when no request is in flight.</summary>
    public Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    /// <summary>Puts the counting middleware in front of the application's own pipeline.</summary>
    public sealed class StartupFilter(InFlightRequests requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                requests.Started();
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    requests.Finished();
                }
            });
            next(app);
        };
    }
}
