using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>SI service-analysis reports and the daily open-orders notice.</summary>
internal sealed class ReportService : Contracts.V1.ReportService.ReportServiceBase
{
    private const string Capability = "the service-analysis and daily open-orders reports";

    /// <summary>ReportService.SubmitServiceAnalysisReport: answers UNIMPLEMENTED until the service-analysis and daily open-orders reports is built.</summary>
    public override Task<ServiceAnalysisReport> SubmitServiceAnalysisReport(SubmitServiceAnalysisReportRequest request, ServerCallContext context) =>
        Task.FromException<ServiceAnalysisReport>(NotBuilt.Rpc("ReportService.SubmitServiceAnalysisReport", Capability));

    /// <summary>ReportService.GetServiceAnalysisReport: answers UNIMPLEMENTED until the service-analysis and daily open-orders reports is built.</summary>
    public override Task<ServiceAnalysisReport> GetServiceAnalysisReport(GetServiceAnalysisReportRequest request, ServerCallContext context) =>
        Task.FromException<ServiceAnalysisReport>(NotBuilt.Rpc("ReportService.GetServiceAnalysisReport", Capability));

    /// <summary>ReportService.GetDailyOpenOrdersNotice: answers UNIMPLEMENTED until the service-analysis and daily open-orders reports is built.</summary>
    public override Task<DailyOpenOrdersNotice> GetDailyOpenOrdersNotice(GetDailyOpenOrdersNoticeRequest request, ServerCallContext context) =>
        Task.FromException<DailyOpenOrdersNotice>(NotBuilt.Rpc("ReportService.GetDailyOpenOrdersNotice", Capability));
}
