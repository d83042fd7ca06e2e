using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Contracts.Tests;

public partial class MessageShapeTests
{
    // Resources that change after creation and so must carry an etag (AIP-154).
    private static readonly string[] MutableResources =
    [
        nameof(Partner), nameof(WorkOrder), nameof(SubscriberBase), nameof(SettlementBasis), nameof(Statement),
        nameof(ServiceAnalysisReport),
    ];

    [Fact]
    public void Enums_ValueZero_EndsInUnspecified()
    {
        // Arrange
        var enums = ContractDescriptors.Enums;

        // Act
        var wrong = enums
            .Where(e => e.FindValueByNumber(0) is not { } zero || !zero.Name.EndsWith("_UNSPECIFIED", StringComparison.Ordinal))
            .Select(e => e.FullName)
            .ToList();

        // Assert
        Assert.NotEmpty(enums);
        Assert.Empty(wrong);
    }

    [Fact]
    public void Enums_Values_ArePrefixedWithTheEnumNameInUpperSnakeCase()
    {
        // Arrange
        var enums = ContractDescriptors.Enums;

        // Act
        var wrong = enums
            .SelectMany(e => e.Values.Select(v => (Prefix: UpperSnake(e.Name) + "_", Value: v)))
            .Where(x => !x.Value.Name.StartsWith(x.Prefix, StringComparison.Ordinal))
            .Select(x => x.Value.FullName)
            .ToList();

        // Assert
        Assert.Empty(wrong);
    }

    [Fact]
    public void Fields_Anywhere_AreNeverFloatingPoint()
    {
        // Arrange
        var fields = ContractDescriptors.Fields;

        // Act
        var floating = fields
            .Where(f => f.FieldType is FieldType.Double or FieldType.Float)
            .Select(f => f.FullName)
            .ToList();

        // Assert
        Assert.NotEmpty(fields);
        Assert.Empty(floating);
    }

    [Fact]
    public void Fields_NamedAsMoney_UseTheMoneyMessage()
    {
        // Arrange: a field is money if its name says amount, balance, payable, deductions or carried_forward.
        var moneyFields = ContractDescriptors.Fields
            .Where(f => MoneyName().IsMatch(f.Name) && f.ContainingType.Name != nameof(Money))
            .ToList();

        // Act
        var wrong = moneyFields
            .Where(f => f.FieldType != FieldType.Message || f.MessageType.FullName != Money.Descriptor.FullName)
            .Select(f => f.FullName)
            .ToList();

        // Assert
        Assert.Contains(moneyFields, f => f.FullName == "partnerexchange.v1.Statement.net_payable");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Fields_MinorUnits_OnlyInsideMoney()
    {
        // Arrange
        var fields = ContractDescriptors.Fields;

        // Act
        var outside = fields
            .Where(f => f.Name.Contains("minor_units", StringComparison.Ordinal) && f.ContainingType.Name != nameof(Money))
            .Select(f => f.FullName)
            .ToList();

        // Assert
        Assert.Empty(outside);
        Assert.Equal(FieldType.Int64, Money.Descriptor.FindFieldByName("minor_units").FieldType);
        Assert.Equal(FieldType.String, Money.Descriptor.FindFieldByName("currency_code").FieldType);
    }

    [Fact]
    public void Fields_NamedTime_AreTimestamps()
    {
        // Arrange: AIP-142: instants are named *_time and typed google.protobuf.Timestamp.
        var timeFields = ContractDescriptors.Fields
            .Where(f => f.Name == "time" || f.Name.EndsWith("_time", StringComparison.Ordinal))
            .ToList();

        // Act
        var wrong = timeFields
            .Where(f => f.FieldType != FieldType.Message || f.MessageType.FullName != "google.protobuf.Timestamp")
            .Select(f => f.FullName)
            .ToList();

        // Assert
        Assert.NotEmpty(timeFields);
        Assert.Empty(wrong);
    }

    [Fact]
    public void Fields_OfTypeTimestamp_AreNamedTime()
    {
        // Arrange
        var timestamps = ContractDescriptors.Fields
            .Where(f => f.FieldType == FieldType.Message && f.MessageType.FullName == "google.protobuf.Timestamp")
            .ToList();

        // Act: the sandbox clock's "to" and "now" were named by its issue.
        var wrong = timestamps
            .Where(f => !f.Name.EndsWith("_time", StringComparison.Ordinal) && f.ContainingType.File.Name != "partnerexchange/v1/sandbox_service.proto")
            .Select(f => f.FullName)
            .ToList();

        // Assert
        Assert.NotEmpty(timestamps);
        Assert.Empty(wrong);
    }

    [Fact]
    public void Resources_Mutable_HaveEtagAndName()
    {
        // Arrange
        var messages = ContractDescriptors.Messages.ToDictionary(m => m.Name);

        // Act
        var wrong = MutableResources
            .Where(r => messages[r].FindFieldByName("etag") is not { FieldType: FieldType.String }
                || messages[r].FindFieldByName("name") is not { FieldType: FieldType.String })
            .ToList();

        // Assert
        Assert.Empty(wrong);
    }

    [Fact]
    public void WorkOrder_Detail_IsAOneofOfTheFiveKinds()
    {
        // Arrange
        var oneof = WorkOrder.Descriptor.Oneofs.Single(o => o.Name == "detail");

        // Act
        var kinds = oneof.Fields.Select(f => f.MessageType.Name).Order(StringComparer.Ordinal).ToArray();

        // Assert
        Assert.Equal(
            new[] { nameof(Complaint), nameof(DissatisfactionRecord), nameof(Enquiry), nameof(FaultReport), nameof(TechnicalSupport) },
            kinds);
    }

    [Fact]
    public void WatchWorkOrderEvents_Cursor_IsInt64OnRequestAndEvent()
    {
        // Arrange
        var request = WatchWorkOrderEventsRequest.Descriptor;
        var evt = WorkOrderEvent.Descriptor;

        // Act
        var afterCursor = request.FindFieldByName("after_cursor");
        var cursor = evt.FindFieldByName("cursor");

        // Assert
        Assert.Equal(FieldType.Int64, afterCursor.FieldType);
        Assert.Equal(FieldType.Int64, cursor.FieldType);
    }

    private static string UpperSnake(string pascal) => PascalBoundary().Replace(pascal, "_$1").ToUpperInvariant();

    // Response-rate deductions (rulebook section 6) are points, not money.
    [GeneratedRegex("(amount|balance|payable|(?<!response_)deductions|carried_forward)$")]
    private static partial Regex MoneyName();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex PascalBoundary();
}
