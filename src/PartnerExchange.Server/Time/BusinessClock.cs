using NodaTime;
using NodaTime.Extensions;

namespace PartnerExchange.Server.Time;

/// <summary>
/// Business time: what the clocks of work orders, sweeps, months, and create and update times read. It is the host's
/// <see cref="TimeProvider"/>, or, with the setting <c>Sandbox:Clock</c>, a <see cref="SandboxTime"/> that stands
/// still until <c>SandboxService.AdvanceClock</c> moves it. Token lifetimes, rate limits and logs stay on the host's
/// time either way.
/// </summary>
internal sealed class BusinessClock(TimeProvider time, SandboxTime? sandbox = null)
{
    /// <summary>Gets the sandbox clock, or <c>null</c> when business time is real time.</summary>
    public SandboxTime? Sandbox { get; } = sandbox;

    /// <summary>Gets the current business instant.</summary>
    public Instant Now => (Sandbox ?? time).GetUtcNow().ToInstant();

    /// <summary>Gets the current business instant as a <see cref="DateTimeOffset"/> in UTC.</summary>
    public DateTimeOffset UtcNow => (Sandbox ?? time).GetUtcNow();
}
