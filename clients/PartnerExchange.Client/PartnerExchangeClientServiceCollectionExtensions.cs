using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Client;

/// <summary>Registers the Partner Exchange clients with Grpc.Net.ClientFactory.</summary>
public static class PartnerExchangeClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a typed client for each Partner Exchange service (<c>PartnerService.PartnerServiceClient</c> and the
    /// rest), all calling <paramref name="address"/> through HttpClientFactory. <paramref name="configure"/> runs for
    /// every client's builder, e.g. to add a token handler or a retry policy. Returns the services for chaining.
    /// </summary>
    public static IServiceCollection AddPartnerExchangeClient(
        this IServiceCollection services, Uri address, Action<IHttpClientBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(address);
        void Options(GrpcClientFactoryOptions options) => options.Address = address;

        IHttpClientBuilder[] builders =
        [
            services.AddGrpcClient<PartnerService.PartnerServiceClient>(Options),
            services.AddGrpcClient<WorkOrderService.WorkOrderServiceClient>(Options),
            services.AddGrpcClient<SettlementService.SettlementServiceClient>(Options),
            services.AddGrpcClient<ReportService.ReportServiceClient>(Options),
            services.AddGrpcClient<CalendarService.CalendarServiceClient>(Options),
            services.AddGrpcClient<AuditService.AuditServiceClient>(Options),
            services.AddGrpcClient<SandboxService.SandboxServiceClient>(Options),
        ];
        if (configure is not null)
        {
            foreach (var builder in builders)
            {
                configure(builder);
            }
        }

        return services;
    }
}
