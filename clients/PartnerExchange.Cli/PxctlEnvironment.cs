namespace PartnerExchange.Cli;

/// <summary>
/// What pxctl reads from its surroundings besides the command line: environment variables (<c>PXCTL_CLIENT_ID</c>,
/// <c>PXCTL_CLIENT_SECRET</c>, <c>PXCTL_SERVER</c>, <c>PXCTL_TOKEN_URL</c>, <c>PXCTL_CONFIG</c>, and <c>HOME</c> or
/// <c>XDG_CONFIG_HOME</c> for the default config file) and the clock used for token lifetimes.
/// </summary>
public sealed class PxctlEnvironment
{
    /// <summary>Creates an environment reading variables through <paramref name="getVariable"/>.</summary>
    public PxctlEnvironment(Func<string, string?> getVariable, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        GetVariable = getVariable;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>Gets the process's own environment and the system clock.</summary>
    public static PxctlEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Gets the lookup of an environment variable; <c>null</c> when it is not set.</summary>
    public Func<string, string?> GetVariable { get; }

    /// <summary>Gets the clock that decides when an access token is due for renewal. Defaults to the system clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>
    /// Gets or sets the first delay between retries of a transient failure (doubling each time, three retries).
    /// Defaults to 500 ms.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
