using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Client;

/// <summary>Typed client for <c>partnerexchange.v1.ReportService</c>: receives SI reports and produces the carrier's notices.</summary>
public sealed class ReportServiceClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = ReportServiceReflection.Descriptor.Services[0];
    private static readonly Method<SubmitServiceAnalysisReportRequest, ServiceAnalysisReport> SubmitServiceAnalysisReportMethod = Method<SubmitServiceAnalysisReportRequest, ServiceAnalysisReport>.FromDescriptor(Service.FindMethodByName("SubmitServiceAnalysisReport"));
    private static readonly Method<GetServiceAnalysisReportRequest, ServiceAnalysisReport> GetServiceAnalysisReportMethod = Method<GetServiceAnalysisReportRequest, ServiceAnalysisReport>.FromDescriptor(Service.FindMethodByName("GetServiceAnalysisReport"));
    private static readonly Method<GetDailyOpenOrdersNoticeRequest, DailyOpenOrdersNotice> GetDailyOpenOrdersNoticeMethod = Method<GetDailyOpenOrdersNoticeRequest, DailyOpenOrdersNotice>.FromDescriptor(Service.FindMethodByName("GetDailyOpenOrdersNotice"));

    private readonly GrpcChannel _channel;

    /// <summary>Creates a client that calls through <paramref name="channel"/>.</summary>
    public ReportServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Submits (or, before the month is closed, resubmits) an SI's service analysis report for a month; the server computes the carrier's figures and the discrepancies. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ServiceAnalysisReport> SubmitServiceAnalysisReportAsync(SubmitServiceAnalysisReportRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(SubmitServiceAnalysisReportMethod, request, options);

    /// <summary>Gets a submitted report with the carrier's figures and discrepancies. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ServiceAnalysisReport> GetServiceAnalysisReportAsync(GetServiceAnalysisReportRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetServiceAnalysisReportMethod, request, options);

    /// <summary>Gets the open-orders notice of one day, computed from the orders open at the end of that day (or now, for today). See the contract for callers and errors.</summary>
    public AsyncUnaryCall<DailyOpenOrdersNotice> GetDailyOpenOrdersNoticeAsync(GetDailyOpenOrdersNoticeRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetDailyOpenOrdersNoticeMethod, request, options);
}
