using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Services;

namespace PartnerExchange.Server;

/// <summary>The public services the server hosts, each bound to its descriptor from the generated contract.</summary>
internal static class ServiceCatalog
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddGrpcService<PartnerService>();
        services.AddGrpcService<WorkOrderService>();
        services.AddGrpcService<SettlementService>();
        services.AddGrpcService<ReportService>();
        services.AddGrpcService<CalendarService>();
        services.AddGrpcService<AuditService>();
    }

    public static void MapServices(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<PartnerService>(PartnerServiceReflection.Descriptor.Services[0]);
        endpoints.MapGrpcService<WorkOrderService>(WorkOrderServiceReflection.Descriptor.Services[0]);
        endpoints.MapGrpcService<SettlementService>(SettlementServiceReflection.Descriptor.Services[0]);
        endpoints.MapGrpcService<ReportService>(ReportServiceReflection.Descriptor.Services[0]);
        endpoints.MapGrpcService<CalendarService>(CalendarServiceReflection.Descriptor.Services[0]);
        endpoints.MapGrpcService<AuditService>(AuditServiceReflection.Descriptor.Services[0]);
    }
}
