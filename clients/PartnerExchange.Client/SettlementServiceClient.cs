using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Client;

/// <summary>Typed client for <c>partnerexchange.v1.SettlementService</c>: records the monthly money facts, assesses SIs and produces statements.</summary>
public sealed class SettlementServiceClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = SettlementServiceReflection.Descriptor.Services[0];
    private static readonly Method<RecordSettlementBasisRequest, SettlementBasis> RecordSettlementBasisMethod = Method<RecordSettlementBasisRequest, SettlementBasis>.FromDescriptor(Service.FindMethodByName("RecordSettlementBasis"));
    private static readonly Method<RecordRefundRequest, Refund> RecordRefundMethod = Method<RecordRefundRequest, Refund>.FromDescriptor(Service.FindMethodByName("RecordRefund"));
    private static readonly Method<ListRefundsRequest, ListRefundsResponse> ListRefundsMethod = Method<ListRefundsRequest, ListRefundsResponse>.FromDescriptor(Service.FindMethodByName("ListRefunds"));
    private static readonly Method<AssessPeriodRequest, AssessPeriodResponse> AssessPeriodMethod = Method<AssessPeriodRequest, AssessPeriodResponse>.FromDescriptor(Service.FindMethodByName("AssessPeriod"));
    private static readonly Method<ClosePeriodRequest, ClosePeriodResponse> ClosePeriodMethod = Method<ClosePeriodRequest, ClosePeriodResponse>.FromDescriptor(Service.FindMethodByName("ClosePeriod"));
    private static readonly Method<GetAssessmentRequest, Assessment> GetAssessmentMethod = Method<GetAssessmentRequest, Assessment>.FromDescriptor(Service.FindMethodByName("GetAssessment"));
    private static readonly Method<GetStatementRequest, Statement> GetStatementMethod = Method<GetStatementRequest, Statement>.FromDescriptor(Service.FindMethodByName("GetStatement"));
    private static readonly Method<ListStatementsRequest, ListStatementsResponse> ListStatementsMethod = Method<ListStatementsRequest, ListStatementsResponse>.FromDescriptor(Service.FindMethodByName("ListStatements"));
    private static readonly Method<ReleaseWithheldRequest, Statement> ReleaseWithheldMethod = Method<ReleaseWithheldRequest, Statement>.FromDescriptor(Service.FindMethodByName("ReleaseWithheld"));
    private static readonly Method<ForfeitWithheldRequest, Statement> ForfeitWithheldMethod = Method<ForfeitWithheldRequest, Statement>.FromDescriptor(Service.FindMethodByName("ForfeitWithheld"));
    private static readonly Method<StreamStatementLinesRequest, StatementLine> StreamStatementLinesMethod = Method<StreamStatementLinesRequest, StatementLine>.FromDescriptor(Service.FindMethodByName("StreamStatementLines"));

    private readonly GrpcChannel _channel;

    /// <summary>Creates a client that calls through <paramref name="channel"/>.</summary>
    public SettlementServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Records an SI's gross settlement amount for a month; recording it again replaces it until the month is closed. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<SettlementBasis> RecordSettlementBasisAsync(RecordSettlementBasisRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RecordSettlementBasisMethod, request, options);

    /// <summary>Records a refund the carrier paid to a customer on an SI's behalf; it is deducted from the settlement of the month in which it was paid. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Refund> RecordRefundAsync(RecordRefundRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RecordRefundMethod, request, options);

    /// <summary>Lists an SI's refunds, newest paid first. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ListRefundsResponse> ListRefundsAsync(ListRefundsRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ListRefundsMethod, request, options);

    /// <summary>Assesses every active SI (or the listed ones) for a month and applies the sanctions of rulebook section 5; running it again before the month is closed replaces the assessments. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<AssessPeriodResponse> AssessPeriodAsync(AssessPeriodRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(AssessPeriodMethod, request, options);

    /// <summary>Closes a month: computes every SI's statement from its settlement basis, refunds, carried balance and sanctions, withholds or releases amounts, and freezes the month's inputs. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ClosePeriodResponse> ClosePeriodAsync(ClosePeriodRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ClosePeriodMethod, request, options);

    /// <summary>Gets one monthly assessment. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Assessment> GetAssessmentAsync(GetAssessmentRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetAssessmentMethod, request, options);

    /// <summary>Gets one monthly statement. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Statement> GetStatementAsync(GetStatementRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetStatementMethod, request, options);

    /// <summary>Lists statements, newest month first. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ListStatementsResponse> ListStatementsAsync(ListStatementsRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ListStatementsMethod, request, options);

    /// <summary>Releases the amount withheld on a statement of a cancelled or manually suspended partner; it is paid with the next month closed. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Statement> ReleaseWithheldAsync(ReleaseWithheldRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ReleaseWithheldMethod, request, options);

    /// <summary>Forfeits the amount withheld on a statement of a cancelled partner: it is never paid. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Statement> ForfeitWithheldAsync(ForfeitWithheldRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ForfeitWithheldMethod, request, options);

    /// <summary>Streams every line of a statement in line order, then ends. See the contract for callers and errors.</summary>
    public AsyncServerStreamingCall<StatementLine> StreamStatementLines(StreamStatementLinesRequest request, CallOptions options = default) =>
        _channel.AsyncServerStreamingCall(StreamStatementLinesMethod, request, options);
}
