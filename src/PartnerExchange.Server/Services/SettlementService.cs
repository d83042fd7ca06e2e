using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>Monthly assessment of SIs, refunds deducted on their behalf, and settlement statements.</summary>
internal sealed class SettlementService : Contracts.V1.SettlementService.SettlementServiceBase
{
    private const string Capability = "monthly assessment and settlement (assessments, refunds, statements)";

    /// <summary>SettlementService.RecordSettlementBasis: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<SettlementBasis> RecordSettlementBasis(RecordSettlementBasisRequest request, ServerCallContext context) =>
        Task.FromException<SettlementBasis>(NotBuilt.Rpc("SettlementService.RecordSettlementBasis", Capability));

    /// <summary>SettlementService.RecordRefund: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Refund> RecordRefund(RecordRefundRequest request, ServerCallContext context) =>
        Task.FromException<Refund>(NotBuilt.Rpc("SettlementService.RecordRefund", Capability));

    /// <summary>SettlementService.ListRefunds: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<ListRefundsResponse> ListRefunds(ListRefundsRequest request, ServerCallContext context) =>
        Task.FromException<ListRefundsResponse>(NotBuilt.Rpc("SettlementService.ListRefunds", Capability));

    /// <summary>SettlementService.AssessPeriod: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<AssessPeriodResponse> AssessPeriod(AssessPeriodRequest request, ServerCallContext context) =>
        Task.FromException<AssessPeriodResponse>(NotBuilt.Rpc("SettlementService.AssessPeriod", Capability));

    /// <summary>SettlementService.ClosePeriod: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<ClosePeriodResponse> ClosePeriod(ClosePeriodRequest request, ServerCallContext context) =>
        Task.FromException<ClosePeriodResponse>(NotBuilt.Rpc("SettlementService.ClosePeriod", Capability));

    /// <summary>SettlementService.GetAssessment: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Assessment> GetAssessment(GetAssessmentRequest request, ServerCallContext context) =>
        Task.FromException<Assessment>(NotBuilt.Rpc("SettlementService.GetAssessment", Capability));

    /// <summary>SettlementService.GetStatement: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Statement> GetStatement(GetStatementRequest request, ServerCallContext context) =>
        Task.FromException<Statement>(NotBuilt.Rpc("SettlementService.GetStatement", Capability));

    /// <summary>SettlementService.ListStatements: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<ListStatementsResponse> ListStatements(ListStatementsRequest request, ServerCallContext context) =>
        Task.FromException<ListStatementsResponse>(NotBuilt.Rpc("SettlementService.ListStatements", Capability));

    /// <summary>SettlementService.ReleaseWithheld: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Statement> ReleaseWithheld(ReleaseWithheldRequest request, ServerCallContext context) =>
        Task.FromException<Statement>(NotBuilt.Rpc("SettlementService.ReleaseWithheld", Capability));

    /// <summary>SettlementService.ForfeitWithheld: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Statement> ForfeitWithheld(ForfeitWithheldRequest request, ServerCallContext context) =>
        Task.FromException<Statement>(NotBuilt.Rpc("SettlementService.ForfeitWithheld", Capability));

    /// <summary>SettlementService.StreamStatementLines: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task StreamStatementLines(StreamStatementLinesRequest request, IServerStreamWriter<StatementLine> responseStream, ServerCallContext context) =>
        Task.FromException(NotBuilt.Rpc("SettlementService.StreamStatementLines", Capability));

    /// <summary>SettlementService.ReportVerifiedRefund: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Refund> ReportVerifiedRefund(ReportVerifiedRefundRequest request, ServerCallContext context) =>
        Task.FromException<Refund>(NotBuilt.Rpc("SettlementService.ReportVerifiedRefund", Capability));

    /// <summary>SettlementService.RecordRefundCredit: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<Refund> RecordRefundCredit(RecordRefundCreditRequest request, ServerCallContext context) =>
        Task.FromException<Refund>(NotBuilt.Rpc("SettlementService.RecordRefundCredit", Capability));

    /// <summary>SettlementService.GetSettlementBasis: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<SettlementBasis> GetSettlementBasis(GetSettlementBasisRequest request, ServerCallContext context) =>
        Task.FromException<SettlementBasis>(NotBuilt.Rpc("SettlementService.GetSettlementBasis", Capability));

    /// <summary>SettlementService.ListSettlementBases: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<ListSettlementBasesResponse> ListSettlementBases(ListSettlementBasesRequest request, ServerCallContext context) =>
        Task.FromException<ListSettlementBasesResponse>(NotBuilt.Rpc("SettlementService.ListSettlementBases", Capability));

    /// <summary>SettlementService.ListAssessments: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<ListAssessmentsResponse> ListAssessments(ListAssessmentsRequest request, ServerCallContext context) =>
        Task.FromException<ListAssessmentsResponse>(NotBuilt.Rpc("SettlementService.ListAssessments", Capability));

    /// <summary>SettlementService.ListAssessedComplaints: answers UNIMPLEMENTED until monthly assessment and settlement is built.</summary>
    public override Task<ListAssessedComplaintsResponse> ListAssessedComplaints(ListAssessedComplaintsRequest request, ServerCallContext context) =>
        Task.FromException<ListAssessedComplaintsResponse>(NotBuilt.Rpc("SettlementService.ListAssessedComplaints", Capability));
}
