using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>Work orders between the carrier and its partners, and the resumable event feed.</summary>
internal sealed class WorkOrderService : Contracts.V1.WorkOrderService.WorkOrderServiceBase
{
    private const string Capability = "the work-order lifecycle (state machine, clocks and the event feed)";

    /// <summary>WorkOrderService.CreateWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> CreateWorkOrder(CreateWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.CreateWorkOrder", Capability));

    /// <summary>WorkOrderService.ReportDirectRequest: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> ReportDirectRequest(ReportDirectRequestRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.ReportDirectRequest", Capability));

    /// <summary>WorkOrderService.ListWorkOrderEvents: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<ListWorkOrderEventsResponse> ListWorkOrderEvents(ListWorkOrderEventsRequest request, ServerCallContext context) =>
        Task.FromException<ListWorkOrderEventsResponse>(NotBuilt.Rpc("WorkOrderService.ListWorkOrderEvents", Capability));

    /// <summary>WorkOrderService.RecordSiteVisit: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> RecordSiteVisit(RecordSiteVisitRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.RecordSiteVisit", Capability));

    /// <summary>WorkOrderService.GetWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> GetWorkOrder(GetWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.GetWorkOrder", Capability));

    /// <summary>WorkOrderService.ListWorkOrders: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<ListWorkOrdersResponse> ListWorkOrders(ListWorkOrdersRequest request, ServerCallContext context) =>
        Task.FromException<ListWorkOrdersResponse>(NotBuilt.Rpc("WorkOrderService.ListWorkOrders", Capability));

    /// <summary>WorkOrderService.AcknowledgeWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> AcknowledgeWorkOrder(AcknowledgeWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.AcknowledgeWorkOrder", Capability));

    /// <summary>WorkOrderService.ReplyToWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> ReplyToWorkOrder(ReplyToWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.ReplyToWorkOrder", Capability));

    /// <summary>WorkOrderService.RequestHold: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> RequestHold(RequestHoldRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.RequestHold", Capability));

    /// <summary>WorkOrderService.DecideHold: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> DecideHold(DecideHoldRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.DecideHold", Capability));

    /// <summary>WorkOrderService.ResolveWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> ResolveWorkOrder(ResolveWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.ResolveWorkOrder", Capability));

    /// <summary>WorkOrderService.RequestReroute: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> RequestReroute(RequestRerouteRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.RequestReroute", Capability));

    /// <summary>WorkOrderService.RerouteWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> RerouteWorkOrder(RerouteWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.RerouteWorkOrder", Capability));

    /// <summary>WorkOrderService.RecordRevisit: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> RecordRevisit(RecordRevisitRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.RecordRevisit", Capability));

    /// <summary>WorkOrderService.ReturnWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> ReturnWorkOrder(ReturnWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.ReturnWorkOrder", Capability));

    /// <summary>WorkOrderService.CloseWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> CloseWorkOrder(CloseWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.CloseWorkOrder", Capability));

    /// <summary>WorkOrderService.VoidWorkOrder: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> VoidWorkOrder(VoidWorkOrderRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.VoidWorkOrder", Capability));

    /// <summary>WorkOrderService.AddNote: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> AddNote(AddNoteRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.AddNote", Capability));

    /// <summary>WorkOrderService.MarkMajor: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task<WorkOrder> MarkMajor(MarkMajorRequest request, ServerCallContext context) =>
        Task.FromException<WorkOrder>(NotBuilt.Rpc("WorkOrderService.MarkMajor", Capability));

    /// <summary>WorkOrderService.WatchWorkOrderEvents: answers UNIMPLEMENTED until the work-order lifecycle is built.</summary>
    public override Task WatchWorkOrderEvents(WatchWorkOrderEventsRequest request, IServerStreamWriter<WorkOrderEvent> responseStream, ServerCallContext context) =>
        Task.FromException(NotBuilt.Rpc("WorkOrderService.WatchWorkOrderEvents", Capability));
}
