using Google.Protobuf.Reflection;

namespace PartnerExchange.Contracts.Tests;

public class ServiceShapeTests
{
    // The fixed service and RPC names of the public contract (issue text); other code is written against them.
    private static readonly Dictionary<string, string[]> ExpectedServices = new()
    {
        ["PartnerService"] =
        [
            "CreatePartner", "GetPartner", "ListPartners", "UpdatePartnerContacts", "RecordSubscriberBase", "GetSubscriberBase",
            "ListSubscriberBases", "RecordResponseDeduction", "ListResponseDeductions", "WithdrawResponseDeduction",
            "SuspendPartnerService", "ReinstatePartner", "CancelPartner",
            "CreatePartnerClient", "ListPartnerClients", "DeletePartnerClient",
        ],
        ["WorkOrderService"] =
        [
            "CreateWorkOrder", "ReportDirectRequest", "GetWorkOrder", "ListWorkOrders", "ListWorkOrderEvents",
            "AcknowledgeWorkOrder", "ReplyToWorkOrder", "RecordSiteVisit", "RequestHold", "DecideHold", "ResolveWorkOrder", "RequestReroute", "RerouteWorkOrder",
            "RecordRevisit", "ReturnWorkOrder", "CloseWorkOrder", "VoidWorkOrder", "AddNote", "MarkMajor",
            "WatchWorkOrderEvents",
        ],
        ["SettlementService"] =
        [
            "RecordSettlementBasis", "RecordRefund", "ReportVerifiedRefund", "RecordRefundCredit", "ListRefunds",
            "GetSettlementBasis", "ListSettlementBases", "AssessPeriod", "ClosePeriod", "GetAssessment", "ListAssessments",
            "ListAssessedComplaints", "GetStatement", "ListStatements", "ReleaseWithheld", "ForfeitWithheld", "StreamStatementLines",
        ],
        ["ReportService"] = ["SubmitServiceAnalysisReport", "GetServiceAnalysisReport", "RecordFalseFeedback", "GetDailyOpenOrdersNotice", "GetServiceAnalysis"],
        ["CalendarService"] = ["SetCalendarDays", "GetCalendar"],
        ["AuditService"] = ["ListAuditEntries"],
        ["SandboxService"] = ["GetClock", "AdvanceClock"],
    };

    private static readonly HashSet<string> ServerStreamingMethods = ["WatchWorkOrderEvents", "StreamStatementLines"];

    private static readonly string[] MutatingVerbs =
    [
        "Create", "Update", "Record", "Suspend", "Reinstate", "Cancel", "Report", "Acknowledge", "Reply", "Request",
        "Decide", "Resolve", "Reroute", "Return", "Close", "Void", "Add", "Mark", "Set", "Assess", "Release",
        "Forfeit", "Submit", "Delete", "Withdraw",
    ];

    [Fact]
    public void Services_AllFixedServices_ExistWithExactlyTheFixedMethods()
    {
        // Arrange
        var actual = ContractDescriptors.Services.ToDictionary(s => s.Name, s => s.Methods.Select(m => m.Name).ToArray());

        // Act
        var serviceNames = actual.Keys.Order(StringComparer.Ordinal).ToArray();

        // Assert
        Assert.Equal(ExpectedServices.Keys.Order(StringComparer.Ordinal).ToArray(), serviceNames);
        foreach (var (service, methods) in ExpectedServices)
        {
            Assert.Equal(methods.Order(StringComparer.Ordinal).ToArray(), actual[service].Order(StringComparer.Ordinal).ToArray());
        }
    }

    [Fact]
    public void Methods_StreamingKinds_OnlyWatchAndStreamLinesAreServerStreaming()
    {
        // Arrange
        var methods = ContractDescriptors.Methods;

        // Act
        var wrong = methods
            .Where(m => m.IsClientStreaming || m.IsServerStreaming != ServerStreamingMethods.Contains(m.Name))
            .Select(m => m.FullName)
            .ToList();

        // Assert
        Assert.NotEmpty(methods);
        Assert.Empty(wrong);
    }

    [Fact]
    public void Methods_RequestMessages_AreNamedAfterTheMethodAndNotShared()
    {
        // Arrange
        var methods = ContractDescriptors.Methods;

        // Act
        var wrongInput = methods.Where(m => m.InputType.Name != m.Name + "Request").Select(m => m.FullName).ToList();
        var sharedInput = methods.GroupBy(m => m.InputType.FullName).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        // Assert
        Assert.Empty(wrongInput);
        Assert.Empty(sharedInput);
    }

    [Fact]
    public void Methods_ResponseMessages_AreAResourceOrTheMethodsOwnResponse()
    {
        // Arrange: a resource is a message with a string "name" field; others must be <Method>Response.
        // Server-streaming methods send a stream of elements (events, lines) and are checked elsewhere.
        // The sandbox clock's shape (SandboxClock for both methods) was fixed by its issue.
        var methods = ContractDescriptors.Methods.Where(m => !m.IsServerStreaming && m.Service.Name != "SandboxService").ToList();

        // Act
        var wrong = methods
            .Where(m => m.OutputType.Name != m.Name + "Response" && !IsResource(m.OutputType))
            .Select(m => m.FullName)
            .ToList();
        var wrongList = methods
            .Where(m => m.Name.StartsWith("List", StringComparison.Ordinal) && m.OutputType.Name != m.Name + "Response")
            .Select(m => m.FullName)
            .ToList();

        // Assert
        Assert.Empty(wrong);
        Assert.Empty(wrongList);
    }

    [Fact]
    public void Messages_RequestAndResponseSuffixes_AreReservedForMethodMessages()
    {
        // Arrange
        var methodMessages = ContractDescriptors.Methods
            .SelectMany(m => new[] { m.InputType.FullName, m.OutputType.FullName })
            .ToHashSet(StringComparer.Ordinal);

        // Act
        var misleading = ContractDescriptors.Messages
            .Where(m => m.Name.EndsWith("Request", StringComparison.Ordinal) || m.Name.EndsWith("Response", StringComparison.Ordinal))
            .Where(m => !methodMessages.Contains(m.FullName))
            .Select(m => m.FullName)
            .ToList();

        // Assert
        Assert.Empty(misleading);
    }

    [Fact]
    public void Methods_MutatingVerbs_HaveStringRequestId()
    {
        // Arrange
        var mutating = ContractDescriptors.Methods
            .Where(m => MutatingVerbs.Any(v => StartsWithVerb(m.Name, v)))
            .ToList();

        // Act
        var missing = mutating
            .Where(m => m.InputType.FindFieldByName("request_id") is not { FieldType: FieldType.String, IsRepeated: false })
            .Select(m => m.FullName)
            .ToList();

        // Assert: the fixed lists contain 37 mutating RPCs; all must be found so the check is not vacuous.
        Assert.Equal(37, mutating.Count);
        Assert.Empty(missing);
    }

    [Fact]
    public void Methods_ReadOnly_HaveNoRequestId()
    {
        // Arrange
        var readOnly = ContractDescriptors.Methods
            .Where(m => !MutatingVerbs.Any(v => StartsWithVerb(m.Name, v)))
            .ToList();

        // Act
        var withRequestId = readOnly.Where(m => m.InputType.FindFieldByName("request_id") is not null).Select(m => m.FullName).ToList();

        // Assert
        Assert.NotEmpty(readOnly);
        Assert.Empty(withRequestId);
    }

    [Fact]
    public void ListMethods_Paging_HavePageSizeTokenAndNextPageToken()
    {
        // Arrange
        var lists = ContractDescriptors.Methods.Where(m => m.Name.StartsWith("List", StringComparison.Ordinal)).ToList();

        // Act
        var wrong = lists.Where(m =>
                m.InputType.FindFieldByName("page_size") is not { FieldType: FieldType.Int32, IsRepeated: false }
                || m.InputType.FindFieldByName("page_token") is not { FieldType: FieldType.String, IsRepeated: false }
                || m.OutputType.FindFieldByName("next_page_token") is not { FieldType: FieldType.String, IsRepeated: false }
                || !m.OutputType.Fields.InFieldNumberOrder().Any(f => f.IsRepeated && f.FieldType == FieldType.Message))
            .Select(m => m.FullName)
            .ToList();

        // Assert
        Assert.Equal(12, lists.Count);
        Assert.Empty(wrong);
    }

    private static bool StartsWithVerb(string method, string verb) =>
        method.StartsWith(verb, StringComparison.Ordinal) && method.Length > verb.Length && char.IsUpper(method[verb.Length]);

    private static bool IsResource(MessageDescriptor message) =>
        message.FindFieldByName("name") is { FieldType: FieldType.String, IsRepeated: false };
}
