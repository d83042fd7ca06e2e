using PartnerExchange.Server.Services;

namespace PartnerExchange.Server;

/// <summary>The public services of the contract that the server hosts, one <c>MapGrpcService</c> each.</summary>
internal static class ServiceCatalog
{
    public static void MapServices(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<PartnerService>();
        endpoints.MapGrpcService<WorkOrderService>();
        endpoints.MapGrpcService<SettlementService>();
        endpoints.MapGrpcService<ReportService>();
        endpoints.MapGrpcService<CalendarService>();
        endpoints.MapGrpcService<AuditService>();
    }
}
