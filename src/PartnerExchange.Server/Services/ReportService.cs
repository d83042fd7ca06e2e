using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Server.Services;

/// <summary>SI service-analysis reports and the daily open-orders notice.</summary>
internal sealed class ReportService
{
    private const string Capability = "the service-analysis and daily open-orders reports";

    /// <summary>ReportService.SubmitServiceAnalysisReport: answers UNIMPLEMENTED until the service-analysis and daily open-orders reports is built.</summary>
    public Task<ServiceAnalysisReport> SubmitServiceAnalysisReport(SubmitServiceAnalysisReportRequest request, ServerCallContext context) =>
        Task.FromException<ServiceAnalysisReport>(NotBuilt.Rpc("ReportService.SubmitServiceAnalysisReport", Capability));

    /// <summary>ReportService.GetServiceAnalysisReport: answers UNIMPLEMENTED until the service-analysis and daily open-orders reports is built.</summary>
    public Task<ServiceAnalysisReport> GetServiceAnalysisReport(GetServiceAnalysisReportRequest request, ServerCallContext context) =>
        Task.FromException<ServiceAnalysisReport>(NotBuilt.Rpc("ReportService.GetServiceAnalysisReport", Capability));

    /// <summary>ReportService.GetDailyOpenOrdersNotice: answers UNIMPLEMENTED until the service-analysis and daily open-orders reports is built.</summary>
    public Task<DailyOpenOrdersNotice> GetDailyOpenOrdersNotice(GetDailyOpenOrdersNoticeRequest request, ServerCallContext context) =>
        Task.FromException<DailyOpenOrdersNotice>(NotBuilt.Rpc("ReportService.GetDailyOpenOrdersNotice", Capability));
}
