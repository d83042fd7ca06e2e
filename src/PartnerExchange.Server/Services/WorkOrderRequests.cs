using NodaTime;
using NodaTime.Extensions;
using PartnerExchange.Domain;
using Proto = PartnerExchange.Contracts.V1;

namespace PartnerExchange.Server.Services;

/// <summary>
/// The field checks of the work-order requests, one violation per bad field named by its proto path, and the reading of
/// a checked request into the domain's terms. Limits are the contract's doc comments.
/// </summary>
internal static class WorkOrderRequests
{
    /// <summary>The longest free text of a reason (hold, reroute, return, close, void, major).</summary>
    public const int ReasonLength = 2000;

    /// <summary>The longest free text of a reply, resolution, note or description.</summary>
    public const int TextLength = 4000;

    /// <summary>What a checked new order says, in the domain's terms.</summary>
    public sealed record NewOrder(
        ClockRules.Subject Subject, ResponsibleParty? Party, long? RepeatOf, Instant? FaultDiscovered, Instant? NeedConfirmed, string? ServiceName);

    /// <summary>Checks a CreateWorkOrder request at <paramref name="now"/>.</summary>
    public static NewOrder CheckCreate(Proto.CreateWorkOrderRequest request, Instant now, List<FieldViolation> violations)
    {
        Requests.CheckRequestId(request.RequestId, violations);
        var order = request.WorkOrder;
        if (order is null)
        {
            violations.Add(new FieldViolation("work_order", "is required."));
            return new NewOrder(new ClockRules.Subject(WorkOrderKind.Enquiry, null, null, null, false), null, null, null, null, null);
        }

        Requests.CheckText(order.Summary, "work_order.summary", 200, required: true, violations);
        CheckCustomer(order.Customer, "work_order.customer", violations);
        if (order.Channel is Proto.Channel.Unspecified || !Enum.IsDefined(order.Channel))
        {
            violations.Add(new FieldViolation("work_order.channel", "is required."));
        }
        else if (order.Channel == Proto.Channel.DirectToSi)
        {
            violations.Add(new FieldViolation("work_order.channel", "DIRECT_TO_SI is for ReportDirectRequest; the carrier accepts through its own channels."));
        }

        var written = order.Channel is Proto.Channel.Email or Proto.Channel.Web;
        var detail = CheckDetail(order, "work_order", now, direct: false, violations);
        var subject = detail.Subject with { ReceivedInWriting = written };
        ResponsibleParty? party = null;
        if (subject.Kind != WorkOrderKind.DissatisfactionRecord)
        {
            party = CheckParty(order.ResponsibleParty, "work_order.responsible_party", violations);
        }

        return detail with { Subject = subject, Party = party };
    }

    /// <summary>Checks a ReportDirectRequest request at <paramref name="now"/>; the receipt time is returned.</summary>
    public static (NewOrder Order, Instant? Received) CheckDirect(Proto.ReportDirectRequestRequest request, Instant now, List<FieldViolation> violations)
    {
        Requests.CheckRequestId(request.RequestId, violations);
        Requests.PartnerName(request.Partner, "partner", violations);
        Requests.CheckText(request.Summary, "summary", 200, required: true, violations);
        CheckCustomer(request.Customer, "customer", violations);
        if (request.Channel is Proto.DirectChannel.Unspecified || !Enum.IsDefined(request.Channel))
        {
            violations.Add(new FieldViolation("channel", "is required."));
        }

        var received = ProtoDates.ReadInstant(request.ReceiveTime, "receive_time", violations)?.ToInstant();
        if (request.ReceiveTime is null)
        {
            violations.Add(new FieldViolation("receive_time", "is required."));
        }
        else if (received > now)
        {
            violations.Add(new FieldViolation("receive_time", "must not be in the future."));
        }

        var asOrder = new Proto.WorkOrder();
        switch (request.DetailCase)
        {
            case Proto.ReportDirectRequestRequest.DetailOneofCase.Enquiry:
                asOrder.Enquiry = request.Enquiry;
                break;
            case Proto.ReportDirectRequestRequest.DetailOneofCase.FaultReport:
                asOrder.FaultReport = request.FaultReport;
                break;
            case Proto.ReportDirectRequestRequest.DetailOneofCase.TechnicalSupport:
                asOrder.TechnicalSupport = request.TechnicalSupport;
                break;
            case Proto.ReportDirectRequestRequest.DetailOneofCase.Complaint:
                asOrder.Complaint = request.Complaint;
                break;
        }

        var detail = CheckDetail(asOrder, string.Empty, now, direct: true, violations);
        var written = request.Channel is Proto.DirectChannel.Email or Proto.DirectChannel.Web;
        return (detail with { Subject = detail.Subject with { ReceivedInWriting = written } }, received);
    }

    /// <summary>Checks a hold's end: required, in the future, at most 30 days ahead.</summary>
    public static Instant? CheckHoldEnd(Google.Protobuf.WellKnownTypes.Timestamp? value, string field, bool required, Instant now, List<FieldViolation> violations)
    {
        if (value is null)
        {
            if (required)
            {
                violations.Add(new FieldViolation(field, "is required."));
            }

            return null;
        }

        var end = ProtoDates.ReadInstant(value, field, violations)?.ToInstant();
        if (end is { } e && (e <= now || e > now + Duration.FromDays(30)))
        {
            violations.Add(new FieldViolation(field, "must be in the future and at most 30 days ahead."));
        }

        return end;
    }

    /// <summary>Checks a responsible party: kind set; a partner for SI and platform-operator kinds, none for carrier departments.</summary>
    public static ResponsibleParty? CheckParty(Proto.ResponsibleParty? party, string field, List<FieldViolation> violations)
    {
        if (party is null || party.Kind == Proto.ResponsiblePartyKind.Unspecified || !Enum.IsDefined(party.Kind))
        {
            violations.Add(new FieldViolation(field + ".kind", "is required."));
            return null;
        }

        var kind = (ResponsiblePartyKind)(int)party.Kind;
        if (!ResponsibleParty.NeedsPartner(kind))
        {
            if (party.Partner.Length > 0)
            {
                violations.Add(new FieldViolation(field + ".partner", "must be empty for a carrier department."));
            }

            return new ResponsibleParty(kind, null);
        }

        var partnerId = Requests.PartnerName(party.Partner, field + ".partner", violations);
        return partnerId is null ? null : new ResponsibleParty(kind, partnerId);
    }

    private static void CheckCustomer(Proto.Customer? customer, string field, List<FieldViolation> violations)
    {
        if (customer is null)
        {
            violations.Add(new FieldViolation(field, "is required."));
            return;
        }

        Requests.CheckText(customer.DisplayName, field + ".display_name", 100, required: true, violations);
        if (customer.PhoneNumber.Length > 0 && !IsPhoneNumber(customer.PhoneNumber))
        {
            violations.Add(new FieldViolation(field + ".phone_number", "must be digits with an optional leading \"+\", at most 20 characters."));
        }

        Requests.CheckText(customer.AccountNumber, field + ".account_number", 64, required: false, violations);
        Requests.CheckText(customer.GroupName, field + ".group_name", 200, required: customer.GroupCustomer, violations);
        if (!customer.GroupCustomer && customer.GroupName.Length > 0)
        {
            violations.Add(new FieldViolation(field + ".group_name", "must be empty unless group_customer is true."));
        }
    }

    private static bool IsPhoneNumber(string value) =>
        value.Length is > 0 and <= 20 && (value[0] == '+' ? value.Length > 1 && value[1..].All(char.IsAsciiDigit) : value.All(char.IsAsciiDigit));

    private static NewOrder CheckDetail(Proto.WorkOrder order, string prefix, Instant now, bool direct, List<FieldViolation> violations)
    {
        string Path(string field) => prefix.Length == 0 ? field : prefix + "." + field;
        var kind = WorkOrderKind.Enquiry;
        FaultSeverity? severity = null;
        ComplaintUrgency? urgency = null;
        TechnicalSupportType? supportType = null;
        long? repeatOf = null;
        Instant? discovered = null;
        Instant? needConfirmed = null;
        string? serviceName = null;
        switch (order.DetailCase)
        {
            case Proto.WorkOrder.DetailOneofCase.Enquiry:
                Requests.CheckText(order.Enquiry.ServiceName, Path("enquiry.service_name"), 200, required: true, violations);
                Requests.CheckText(order.Enquiry.Question, Path("enquiry.question"), TextLength, required: true, violations);
                serviceName = order.Enquiry.ServiceName;
                break;
            case Proto.WorkOrder.DetailOneofCase.FaultReport:
                kind = WorkOrderKind.FaultReport;
                var fault = order.FaultReport;
                Requests.CheckText(fault.ReporterName, Path("fault_report.reporter_name"), 100, required: true, violations);
                Requests.CheckText(fault.ReporterContact, Path("fault_report.reporter_contact"), 200, required: true, violations);
                Requests.CheckText(fault.Department, Path("fault_report.department"), 200, required: false, violations);
                Requests.CheckText(fault.AffectedService, Path("fault_report.affected_service"), 200, required: true, violations);
                Requests.CheckText(fault.Location, Path("fault_report.location"), 500, required: true, violations);
                Requests.CheckText(fault.Symptom, Path("fault_report.symptom"), TextLength, required: true, violations);
                var started = CheckPast(fault.StartTime, Path("fault_report.start_time"), required: true, now, violations);
                discovered = CheckPast(fault.DiscoveryTime, Path("fault_report.discovery_time"), required: false, now, violations) ?? started;
                if (fault.Severity is Proto.FaultSeverity.Unspecified || !Enum.IsDefined(fault.Severity))
                {
                    violations.Add(new FieldViolation(Path("fault_report.severity"), "is required."));
                }
                else
                {
                    severity = (FaultSeverity)(int)fault.Severity;
                }

                serviceName = fault.AffectedService;
                break;
            case Proto.WorkOrder.DetailOneofCase.TechnicalSupport:
                kind = WorkOrderKind.TechnicalSupport;
                var support = order.TechnicalSupport;
                if (support.SupportType is Proto.TechnicalSupportType.Unspecified || !Enum.IsDefined(support.SupportType))
                {
                    violations.Add(new FieldViolation(Path("technical_support.support_type"), "is required."));
                }
                else
                {
                    supportType = (TechnicalSupportType)(int)support.SupportType;
                }

                var onSite = supportType == TechnicalSupportType.OnSite;
                Requests.CheckText(support.AffectedService, Path("technical_support.affected_service"), 200, required: true, violations);
                Requests.CheckText(support.Location, Path("technical_support.location"), 500, required: onSite, violations);
                Requests.CheckText(support.Description, Path("technical_support.description"), TextLength, required: true, violations);
                Requests.CheckText(support.SiteContactName, Path("technical_support.site_contact_name"), 100, required: onSite, violations);
                if (onSite && !IsPhoneNumber(support.SiteContactPhone))
                {
                    violations.Add(new FieldViolation(Path("technical_support.site_contact_phone"), "is required for on-site support: digits with an optional leading \"+\", at most 20 characters."));
                }

                needConfirmed = ProtoDates.ReadInstant(support.NeedConfirmTime, Path("technical_support.need_confirm_time"), violations)?.ToInstant();
                if (needConfirmed > now + Duration.FromDays(30))
                {
                    violations.Add(new FieldViolation(Path("technical_support.need_confirm_time"), "must be at most 30 days ahead."));
                }

                serviceName = support.AffectedService;
                break;
            case Proto.WorkOrder.DetailOneofCase.Complaint:
                kind = WorkOrderKind.Complaint;
                var complaint = order.Complaint;
                Requests.CheckText(complaint.Description, Path("complaint.description"), TextLength, required: true, violations);
                if (direct)
                {
                    urgency = ComplaintUrgency.Ordinary;
                }
                else if (complaint.Urgency is Proto.ComplaintUrgency.Unspecified || !Enum.IsDefined(complaint.Urgency))
                {
                    violations.Add(new FieldViolation(Path("complaint.urgency"), "is required for a complaint the carrier dispatches."));
                }
                else
                {
                    urgency = (ComplaintUrgency)(int)complaint.Urgency;
                }

                if (complaint.RepeatOf.Length > 0)
                {
                    repeatOf = Requests.WorkOrderName(complaint.RepeatOf, Path("complaint.repeat_of"), violations);
                    if (complaint.RepeatReason is Proto.RepeatReason.Unspecified || !Enum.IsDefined(complaint.RepeatReason))
                    {
                        violations.Add(new FieldViolation(Path("complaint.repeat_reason"), "is required when repeat_of is set."));
                    }

                    Requests.CheckText(complaint.RepeatReasonText, Path("complaint.repeat_reason_text"), ReasonLength,
                        required: complaint.RepeatReason == Proto.RepeatReason.Other, violations);
                }
                else if (complaint.RepeatReason != Proto.RepeatReason.Unspecified)
                {
                    violations.Add(new FieldViolation(Path("complaint.repeat_reason"), "must be unset unless repeat_of is set."));
                }

                break;
            case Proto.WorkOrder.DetailOneofCase.DissatisfactionRecord when !direct:
                kind = WorkOrderKind.DissatisfactionRecord;
                Requests.CheckText(order.DissatisfactionRecord.Description, Path("dissatisfaction_record.description"), TextLength, required: true, violations);
                Requests.CheckText(order.DissatisfactionRecord.Explanation, Path("dissatisfaction_record.explanation"), TextLength, required: true, violations);
                break;
            default:
                violations.Add(new FieldViolation(prefix.Length == 0 ? "detail" : prefix + ".detail", "exactly one kind of detail is required."));
                break;
        }

        return new NewOrder(new ClockRules.Subject(kind, severity, urgency, supportType, false), null, repeatOf, discovered, needConfirmed, serviceName);
    }

    private static Instant? CheckPast(Google.Protobuf.WellKnownTypes.Timestamp? value, string field, bool required, Instant now, List<FieldViolation> violations)
    {
        if (value is null)
        {
            if (required)
            {
                violations.Add(new FieldViolation(field, "is required."));
            }

            return null;
        }

        var at = ProtoDates.ReadInstant(value, field, violations)?.ToInstant();
        if (at > now)
        {
            violations.Add(new FieldViolation(field, "must not be in the future."));
        }

        return at;
    }
}
