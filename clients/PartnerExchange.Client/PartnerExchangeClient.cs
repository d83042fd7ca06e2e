using Grpc.Core;
using Grpc.Net.Client;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Client;

/// <summary>
/// One connection to Partner Exchange and a typed client for each of its services (the clients Grpc.Tools generates
/// from the contract), for applications without dependency injection. With dependency injection, use
/// <see cref="PartnerExchangeClientServiceCollectionExtensions.AddPartnerExchangeClient"/> instead.
/// </summary>
public sealed class PartnerExchangeClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;

    /// <summary>Creates the clients over <paramref name="callInvoker"/> (e.g. <c>channel.CreateCallInvoker()</c>, with interceptors); the caller owns the channel.</summary>
    public PartnerExchangeClient(CallInvoker callInvoker)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        Partners = new PartnerService.PartnerServiceClient(callInvoker);
        WorkOrders = new WorkOrderService.WorkOrderServiceClient(callInvoker);
        Settlements = new SettlementService.SettlementServiceClient(callInvoker);
        Reports = new ReportService.ReportServiceClient(callInvoker);
        Calendar = new CalendarService.CalendarServiceClient(callInvoker);
        Audit = new AuditService.AuditServiceClient(callInvoker);
        Sandbox = new SandboxService.SandboxServiceClient(callInvoker);
    }

    private PartnerExchangeClient(GrpcChannel channel, bool owned)
        : this(channel.CreateCallInvoker())
    {
        _ownedChannel = owned ? channel : null;
    }

    /// <summary>Gets the client of <c>partnerexchange.v1.PartnerService</c>: partners, subscriber bases, sanctions.</summary>
    public PartnerService.PartnerServiceClient Partners { get; }

    /// <summary>Gets the client of <c>partnerexchange.v1.WorkOrderService</c>: work orders and the event feed.</summary>
    public WorkOrderService.WorkOrderServiceClient WorkOrders { get; }

    /// <summary>Gets the client of <c>partnerexchange.v1.SettlementService</c>: assessments, refunds, statements.</summary>
    public SettlementService.SettlementServiceClient Settlements { get; }

    /// <summary>Gets the client of <c>partnerexchange.v1.ReportService</c>: service-analysis reports.</summary>
    public ReportService.ReportServiceClient Reports { get; }

    /// <summary>Gets the client of <c>partnerexchange.v1.CalendarService</c>: the business calendar.</summary>
    public CalendarService.CalendarServiceClient Calendar { get; }

    /// <summary>Gets the client of <c>partnerexchange.v1.AuditService</c>: the audit trail.</summary>
    public AuditService.AuditServiceClient Audit { get; }

    /// <summary>Gets the client of <c>partnerexchange.v1.SandboxService</c>: the sandbox clock of a rehearsal server.</summary>
    public SandboxService.SandboxServiceClient Sandbox { get; }

    /// <summary>Creates the clients over a new channel to <paramref name="address"/> (e.g. <c>https://px.example.com</c>), which the returned instance disposes.</summary>
    public static PartnerExchangeClient Create(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new PartnerExchangeClient(GrpcChannel.ForAddress(address, options ?? new GrpcChannelOptions()), owned: true);
    }

    /// <summary>Disposes the channel when this instance created it.</summary>
    public void Dispose() => _ownedChannel?.Dispose();
}
