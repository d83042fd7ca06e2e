namespace PartnerExchange.Data.Tests.Infrastructure;

/// <summary>Bounds every awaited call, so a hang fails the test instead of stalling the run.</summary>
internal static class TaskExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}
