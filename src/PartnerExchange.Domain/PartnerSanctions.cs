namespace PartnerExchange.Domain;

/// <summary>
/// The manual actions of a partner manager on a partner's cooperation (rulebook section 5): suspend the service at once,
/// reinstate it, or cancel cooperation. Each move checks the current state and throws on an illegal one.
/// </summary>
public static class PartnerSanctions
{
    /// <summary>Only an active partner can be suspended.</summary>
    public static void CheckSuspend(string partnerName, PartnerStatus status)
    {
        if (status != PartnerStatus.Active)
        {
            throw Illegal(partnerName, status, "suspended", "only an active partner can be suspended");
        }
    }

    /// <summary>Only a suspended partner can be reinstated.</summary>
    public static void CheckReinstate(string partnerName, PartnerStatus status)
    {
        if (status != PartnerStatus.Suspended)
        {
            throw Illegal(partnerName, status, "reinstated", "only a suspended partner can be reinstated");
        }
    }

    /// <summary>A partner not yet cancelled can be cancelled; cancellation is terminal.</summary>
    public static void CheckCancel(string partnerName, PartnerStatus status)
    {
        if (status == PartnerStatus.Cancelled)
        {
            throw Illegal(partnerName, status, "cancelled", "cancellation is terminal");
        }
    }

    /// <summary>
    /// The settlement standing after cancellation: an SI's withheld amounts stay frozen until a partner manager releases
    /// or forfeits them (section 7); the platform operator, which is not settled, keeps its standing.
    /// </summary>
    public static SettlementState StandingAfterCancel(PartnerKind kind, SettlementState current) =>
        kind == PartnerKind.ServiceIntegrator ? SettlementState.Frozen : current;

    private static PreconditionFailedException Illegal(string partnerName, PartnerStatus status, string move, string why) =>
        new(ErrorReason.IllegalStateTransition, $"{partnerName} is {status.ToString().ToLowerInvariant()} and cannot be {move}: {why}.",
            new PreconditionViolation("STATE", partnerName, $"The partner is {status.ToString().ToLowerInvariant()}."));
}

/// <summary>
/// What a cancelled partner may still do (rulebook section 5 and issue 9): its SI clients keep read access to their own
/// statements, assessments and refunds, because money may still be frozen there, and can do nothing else. The server
/// checks every call of a partner-bound caller against <see cref="MayCall"/>; services check writes about a cancelled
/// partner with <see cref="ThrowIfCancelled"/>.
/// </summary>
public static class CancelledPartners
{
    /// <summary>Gets the RPCs (<c>Service/Method</c>) an SI of a cancelled partner may still call: its money, read only.</summary>
    public static IReadOnlySet<string> ReadableRpcs { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SettlementService/GetAssessment",
        "SettlementService/GetStatement",
        "SettlementService/ListStatements",
        "SettlementService/StreamStatementLines",
        "SettlementService/ListRefunds",
        "SettlementService/ListAssessments",
        "SettlementService/ListAssessedComplaints",
        "SettlementService/GetSettlementBasis",
        "SettlementService/ListSettlementBases",
    };

    /// <summary>
    /// Whether an SI of a cancelled partner may call the RPC <paramref name="fullMethod"/>
    /// (<c>/partnerexchange.v1.Service/Method</c>, with or without the leading slash).
    /// </summary>
    public static bool MayCall(string fullMethod)
    {
        ArgumentNullException.ThrowIfNull(fullMethod);
        var name = fullMethod.TrimStart('/');
        var prefix = AccessMatrix.Package + ".";
        return name.StartsWith(prefix, StringComparison.Ordinal) && ReadableRpcs.Contains(name[prefix.Length..]);
    }

    /// <summary>
    /// Refuses a call of a partner-bound <paramref name="caller"/> whose partner is cancelled, unless the RPC is one of
    /// <see cref="ReadableRpcs"/>: FAILED_PRECONDITION with reason <see cref="ErrorReason.PartnerCancelled"/>.
    /// </summary>
    public static void CheckCaller(Caller caller, PartnerStatus partnerStatus, string fullMethod)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsPartnerBound && partnerStatus == PartnerStatus.Cancelled && !MayCall(fullMethod))
        {
            throw Cancelled("partners/" + caller.PartnerId, "it may only read its statements, assessments and refunds");
        }
    }

    /// <summary>Refuses a change concerning a cancelled partner: FAILED_PRECONDITION with reason <see cref="ErrorReason.PartnerCancelled"/>.</summary>
    public static void ThrowIfCancelled(string partnerName, PartnerStatus status, string what = "it gets nothing new")
    {
        if (status == PartnerStatus.Cancelled)
        {
            throw Cancelled(partnerName, what);
        }
    }

    private static PreconditionFailedException Cancelled(string partnerName, string what) =>
        new(ErrorReason.PartnerCancelled, $"{partnerName}'s cooperation is cancelled; {what}.",
            new PreconditionViolation("PARTNER_CANCELLED", partnerName, "The partner's cooperation is cancelled."));
}
