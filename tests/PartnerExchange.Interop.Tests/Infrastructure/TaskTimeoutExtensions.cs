namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>Bounds every awaited call in the tests, so a hang fails the test instead of stalling the run.</summary>
internal static class TaskTimeoutExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>Bounds a wait on a child process, which <see cref="ExternalProcess"/> itself kills after its own timeout.</summary>
    public static Task<T> ProcessTimeout<T>(this Task<T> task, TimeSpan processTimeout) => task.WaitAsync(processTimeout + Timeout);
}
