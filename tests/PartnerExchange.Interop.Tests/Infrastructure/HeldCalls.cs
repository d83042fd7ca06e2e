namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>One call that <see cref="HoldInterceptor"/> held until it was cancelled (or gave up on).</summary>
/// <param name="Method">The gRPC method path, e.g. <c>/partnerexchange.v1.CalendarService/GetCalendar</c>.</param>
/// <param name="ReceivedAt">When the interceptor saw the call (UTC).</param>
/// <param name="Deadline">The call's deadline as the server read it from <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> without one.</param>
/// <param name="HeldFor">How long the call was held.</param>
/// <param name="Cancelled">Whether the call's cancellation token fired (deadline or client cancel); false when the hold gave up.</param>
internal sealed record HeldCall(string Method, DateTime ReceivedAt, DateTime Deadline, TimeSpan HeldFor, bool Cancelled)
{
    public bool HasDeadline => Deadline != DateTime.MaxValue;

    public override string ToString() =>
        $"{Method}: deadline {(HasDeadline ? $"{(Deadline - ReceivedAt).TotalMilliseconds:F0} ms after arrival" : "none")}, " +
        $"held {HeldFor.TotalMilliseconds:F0} ms, {(Cancelled ? "ended by its cancellation token" : "never cancelled")}";
}

/// <summary>The calls the in-process server held for the <c>x-test-hold</c> cases, in the order they ended.</summary>
internal sealed class HeldCalls
{
    private readonly List<HeldCall> _calls = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets how many held calls have ended: a mark for <see cref="WaitForMoreThanAsync"/>.</summary>
    public int Count
    {
        get
        {
            lock (_calls)
            {
                return _calls.Count;
            }
        }
    }

    public void Add(HeldCall call)
    {
        TaskCompletionSource changed;
        lock (_calls)
        {
            _calls.Add(call);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    /// <summary>Waits until more than <paramref name="before"/> held calls have ended; returns those after the mark.</summary>
    public async Task<IReadOnlyList<HeldCall>> WaitForMoreThanAsync(int before, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_calls)
            {
                if (_calls.Count > before)
                {
                    return _calls.Skip(before).ToList();
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }
}
