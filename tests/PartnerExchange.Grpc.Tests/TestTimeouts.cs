namespace PartnerExchange.Grpc.Tests;

/// <summary>
/// Bounds every awaited call in tests (server and client), so a hang fails the test instead of stalling the run.
/// 30 seconds: generous for a loaded shared machine, never part of an assertion.
/// </summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);
}
