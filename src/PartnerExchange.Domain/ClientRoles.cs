namespace PartnerExchange.Domain;

/// <summary>The roles a machine client or person acts in; the values are the role claim strings.</summary>
public static class ClientRoles
{
    /// <summary>A partner's integration system (an SI or the platform operator); always bound to one partner.</summary>
    public const string Partner = "si";

    /// <summary>The carrier's partner manager: partners, contacts, manual suspensions and settlements.</summary>
    public const string PartnerManager = "partner-manager";

    /// <summary>The carrier's customer-service desk: accepts, dispatches, revisits, returns and closes work orders.</summary>
    public const string CarrierDesk = "carrier-desk";

    /// <summary>The monthly assessment and settlement reconciliation job.</summary>
    public const string ReconciliationJob = "reconciliation-job";

    /// <summary>Read-only access to everything, including the audit trail.</summary>
    public const string Auditor = "auditor";

    /// <summary>All roles, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = [Partner, PartnerManager, CarrierDesk, ReconciliationJob, Auditor];

    /// <summary>
    /// The roles a person's account may have: the carrier's desk agents, partner managers and auditors, and an SI's staff
    /// (bound to their partner). The reconciliation job is a machine only.
    /// </summary>
    public static IReadOnlyList<string> People { get; } = [Partner, PartnerManager, CarrierDesk, Auditor];

    /// <summary>Whether a client in this role must be bound to a partner.</summary>
    public static bool RequiresPartner(string role) => role == Partner;
}
