using System.Globalization;

namespace PartnerExchange.Server.Time;

/// <summary>
/// The sandbox clock (setting <c>Sandbox:Clock</c>, an ISO 8601 instant such as <c>2026-10-01T09:00:00+08:00</c>): it
/// starts at that instant, stands still, and only moves forward through <see cref="AdvanceToAsync"/>. One server
/// instance owns it (it lives in memory), so a sandbox runs one instance.
/// </summary>
internal sealed class SandboxTime : TimeProvider
{
    private readonly SemaphoreSlim _advancing = new(1, 1);
    private long _nowTicks;

    /// <summary>Creates the clock at <paramref name="start"/>.</summary>
    public SandboxTime(DateTimeOffset start) => _nowTicks = start.UtcTicks;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _nowTicks), TimeSpan.Zero);

    /// <summary>Reads the setting; <c>null</c> when it is not set.</summary>
    public static SandboxTime? FromSetting(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            throw new InvalidOperationException($"Sandbox:Clock is '{value}': give an ISO 8601 instant such as 2026-10-01T09:00:00+08:00.");
        }

        return new SandboxTime(start.ToUniversalTime());
    }

    /// <summary>
    /// Moves the clock to <paramref name="to"/> one due step at a time: <paramref name="runDueUpTo"/> is called with the
    /// instant of each step (it runs every sweep due up to it and returns the next due instant, or <c>null</c>), and the
    /// clock stands at each step while it runs, so what a step writes carries its own time. Advances are serialised.
    /// </summary>
    public async Task AdvanceToAsync(DateTimeOffset to, Func<DateTimeOffset, CancellationToken, Task<DateTimeOffset?>> runDueUpTo, CancellationToken cancellationToken)
    {
        await _advancing.WaitAsync(cancellationToken);
        try
        {
            if (to <= GetUtcNow())
            {
                throw new Domain.InvalidRequestException([new Domain.FieldViolation("to", "must be later than the clock's current instant; the clock never goes backwards.")]);
            }

            for (var next = await runDueUpTo(GetUtcNow(), cancellationToken); next is { } at && at <= to; next = await runDueUpTo(at, cancellationToken))
            {
                if (at <= GetUtcNow())
                {
                    throw new InvalidOperationException($"A sweep due at {at:O} did not run; the sandbox clock stays at {GetUtcNow():O}.");
                }

                Interlocked.Exchange(ref _nowTicks, at.UtcTicks);
            }

            Interlocked.Exchange(ref _nowTicks, to.UtcTicks);
        }
        finally
        {
            _advancing.Release();
        }
    }
}
