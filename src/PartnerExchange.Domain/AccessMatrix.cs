namespace PartnerExchange.Domain;

/// <summary>
/// Which roles may call which RPC: the callers each RPC's doc comment in the contract names, plus the auditor on every
/// read (Get, List, Watch and Stream methods), because the auditor reads everything and changes nothing. Any RPC not
/// listed here is refused to everyone (deny by default). A test keeps this table, the contract's doc comments and the
/// README's table in step. Whether a partner-bound caller may see a given resource is decided per call, not here.
/// </summary>
public static class AccessMatrix
{
    /// <summary>The package of every service below.</summary>
    public const string Package = "partnerexchange.v1";

    /// <summary>Gets the roles allowed per RPC, keyed <c>Service/Method</c> (e.g. <c>WorkOrderService/CreateWorkOrder</c>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Rules { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["PartnerService/CreatePartner"] = [ClientRoles.PartnerManager],
        ["PartnerService/GetPartner"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["PartnerService/ListPartners"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["PartnerService/UpdatePartnerContacts"] = [ClientRoles.Partner, ClientRoles.PartnerManager],
        ["PartnerService/RecordSubscriberBase"] = [ClientRoles.PartnerManager, ClientRoles.ReconciliationJob],
        ["PartnerService/GetSubscriberBase"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["PartnerService/ListSubscriberBases"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["PartnerService/RecordResponseDeduction"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["PartnerService/ListResponseDeductions"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["PartnerService/WithdrawResponseDeduction"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["PartnerService/SuspendPartnerService"] = [ClientRoles.PartnerManager],
        ["PartnerService/ReinstatePartner"] = [ClientRoles.PartnerManager],
        ["PartnerService/CancelPartner"] = [ClientRoles.PartnerManager],
        ["PartnerService/CreatePartnerClient"] = [ClientRoles.PartnerManager],
        ["PartnerService/ListPartnerClients"] = [ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["PartnerService/DeletePartnerClient"] = [ClientRoles.PartnerManager],
        ["WorkOrderService/CreateWorkOrder"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/ReportDirectRequest"] = [ClientRoles.Partner],
        ["WorkOrderService/GetWorkOrder"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["WorkOrderService/ListWorkOrders"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["WorkOrderService/ListWorkOrderEvents"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["WorkOrderService/RecordSiteVisit"] = [ClientRoles.Partner],
        ["WorkOrderService/AcknowledgeWorkOrder"] = [ClientRoles.Partner, ClientRoles.CarrierDesk],
        ["WorkOrderService/ReplyToWorkOrder"] = [ClientRoles.Partner, ClientRoles.CarrierDesk],
        ["WorkOrderService/RequestHold"] = [ClientRoles.Partner],
        ["WorkOrderService/DecideHold"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/ResolveWorkOrder"] = [ClientRoles.Partner, ClientRoles.CarrierDesk],
        ["WorkOrderService/RequestReroute"] = [ClientRoles.Partner],
        ["WorkOrderService/RerouteWorkOrder"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/RecordRevisit"] = [ClientRoles.CarrierDesk],
        ["WorkOrderService/ReturnWorkOrder"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/CloseWorkOrder"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/VoidWorkOrder"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/AddNote"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/MarkMajor"] = [ClientRoles.CarrierDesk, ClientRoles.PartnerManager],
        ["WorkOrderService/WatchWorkOrderEvents"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["SettlementService/RecordSettlementBasis"] = [ClientRoles.PartnerManager, ClientRoles.ReconciliationJob],
        ["SettlementService/RecordRefund"] = [ClientRoles.PartnerManager, ClientRoles.ReconciliationJob],
        ["SettlementService/ReportVerifiedRefund"] = [ClientRoles.Partner],
        ["SettlementService/RecordRefundCredit"] = [ClientRoles.PartnerManager, ClientRoles.ReconciliationJob],
        ["SettlementService/GetSettlementBasis"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/ListSettlementBases"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/ListAssessments"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/ListAssessedComplaints"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/ListRefunds"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/AssessPeriod"] = [ClientRoles.PartnerManager, ClientRoles.ReconciliationJob],
        ["SettlementService/ClosePeriod"] = [ClientRoles.PartnerManager, ClientRoles.ReconciliationJob],
        ["SettlementService/GetAssessment"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/GetStatement"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/ListStatements"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["SettlementService/ReleaseWithheld"] = [ClientRoles.PartnerManager],
        ["SettlementService/ForfeitWithheld"] = [ClientRoles.PartnerManager],
        ["SettlementService/StreamStatementLines"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["ReportService/SubmitServiceAnalysisReport"] = [ClientRoles.Partner, ClientRoles.PartnerManager],
        ["ReportService/RecordFalseFeedback"] = [ClientRoles.PartnerManager],
        ["ReportService/GetServiceAnalysisReport"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["ReportService/GetDailyOpenOrdersNotice"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["ReportService/GetServiceAnalysis"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["CalendarService/SetCalendarDays"] = [ClientRoles.PartnerManager],
        ["CalendarService/GetCalendar"] = [ClientRoles.Partner, ClientRoles.CarrierDesk, ClientRoles.PartnerManager, ClientRoles.ReconciliationJob, ClientRoles.Auditor],
        ["AuditService/ListAuditEntries"] = [ClientRoles.Partner, ClientRoles.PartnerManager, ClientRoles.Auditor],
        ["SandboxService/GetClock"] = ClientRoles.All,
        ["SandboxService/AdvanceClock"] = ClientRoles.All,
    };

    /// <summary>
    /// Whether <paramref name="role"/> may call the RPC with the gRPC method name <paramref name="fullMethod"/>
    /// (<c>/partnerexchange.v1.Service/Method</c>, with or without the leading slash). Unknown RPCs and roles are refused.
    /// </summary>
    public static bool Allows(string fullMethod, string? role)
    {
        ArgumentNullException.ThrowIfNull(fullMethod);
        var name = fullMethod.TrimStart('/');
        if (role is null || !name.StartsWith(Package + ".", StringComparison.Ordinal))
        {
            return false;
        }

        return Rules.TryGetValue(name[(Package.Length + 1)..], out var roles) && roles.Contains(role);
    }
}
