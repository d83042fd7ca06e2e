namespace PartnerExchange.Data.Tests.Infrastructure;

/// <summary>A clock that always reads the same instant (Microsoft.Extensions.TimeProvider.Testing is not served here).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
