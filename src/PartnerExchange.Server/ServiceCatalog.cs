using PartnerExchange.Server.Services;

namespace PartnerExchange.Server;

/// <summary>The public services of the contract that the server hosts, one <c>MapGrpcService</c> each.</summary>
internal static class ServiceCatalog
{
    /// <summary>Gets the descriptors of the contract's services, in the order they are mapped.</summary>
    public static IReadOnlyList<Google.Protobuf.Reflection.ServiceDescriptor> Descriptors { get; } =
    [
        Contracts.V1.PartnerServiceReflection.Descriptor.Services[0], Contracts.V1.WorkOrderServiceReflection.Descriptor.Services[0],
        Contracts.V1.SettlementServiceReflection.Descriptor.Services[0], Contracts.V1.ReportServiceReflection.Descriptor.Services[0],
        Contracts.V1.CalendarServiceReflection.Descriptor.Services[0], Contracts.V1.AuditServiceReflection.Descriptor.Services[0],
        Contracts.V1.SandboxServiceReflection.Descriptor.Services[0],
    ];

    public static void MapServices(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<PartnerService>();
        endpoints.MapGrpcService<WorkOrderService>();
        endpoints.MapGrpcService<SettlementService>();
        endpoints.MapGrpcService<ReportService>();
        endpoints.MapGrpcService<CalendarService>();
        endpoints.MapGrpcService<AuditService>();
        endpoints.MapGrpcService<SandboxService>();
    }
}
