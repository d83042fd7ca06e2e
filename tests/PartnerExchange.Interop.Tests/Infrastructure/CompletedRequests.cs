namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>
/// Counts the requests the in-process server has finished, per path. A middleware records a request after the gRPC
/// endpoint has returned, so everything the transport logs about the call is logged by then.
/// </summary>
internal sealed class CompletedRequests
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count(string path)
    {
        lock (_counts)
        {
            return _counts.GetValueOrDefault(path);
        }
    }

    public void Add(string path)
    {
        TaskCompletionSource changed;
        lock (_counts)
        {
            _counts[path] = _counts.GetValueOrDefault(path) + 1;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    /// <summary>Completes once more than <paramref name="before"/> requests to <paramref name="path"/> have finished.</summary>
    public async Task WaitForMoreThanAsync(string path, int before, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_counts)
            {
                if (_counts.GetValueOrDefault(path) > before)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }
}
