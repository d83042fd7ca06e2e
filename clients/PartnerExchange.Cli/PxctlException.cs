namespace PartnerExchange.Cli;

/// <summary>A failure pxctl reports in one line and exits non-zero for; <see cref="ExitCode"/> is 1 or 2 (usage).</summary>
internal sealed class PxctlException : Exception
{
    public PxctlException(string message, int exitCode = 1, string? status = null, string? reason = null)
        : base(message)
    {
        ExitCode = exitCode;
        Status = status;
        Reason = reason;
    }

    public PxctlException()
        : this("pxctl failed")
    {
    }

    public PxctlException(string message)
        : this(message, 1)
    {
    }

    public PxctlException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = 1;
    }

    /// <summary>Gets the process exit code: 1 for a failed run, 2 for a usage or configuration error.</summary>
    public int ExitCode { get; }

    /// <summary>Gets the gRPC status in upper snake case (e.g. <c>FAILED_PRECONDITION</c>), when a call failed.</summary>
    public string? Status { get; }

    /// <summary>Gets the <c>ErrorInfo</c> reason (e.g. <c>MONTH_NOT_ASSESSED</c>), when the server gave one.</summary>
    public string? Reason { get; }
}
