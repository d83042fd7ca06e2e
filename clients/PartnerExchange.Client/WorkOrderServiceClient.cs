using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Client;

/// <summary>Typed client for <c>partnerexchange.v1.WorkOrderService</c>: creates work orders, moves them through the state machine and streams their events.</summary>
public sealed class WorkOrderServiceClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = WorkOrderServiceReflection.Descriptor.Services[0];
    private static readonly Method<CreateWorkOrderRequest, WorkOrder> CreateWorkOrderMethod = Method<CreateWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("CreateWorkOrder"));
    private static readonly Method<ReportDirectComplaintRequest, WorkOrder> ReportDirectComplaintMethod = Method<ReportDirectComplaintRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("ReportDirectComplaint"));
    private static readonly Method<GetWorkOrderRequest, WorkOrder> GetWorkOrderMethod = Method<GetWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("GetWorkOrder"));
    private static readonly Method<ListWorkOrdersRequest, ListWorkOrdersResponse> ListWorkOrdersMethod = Method<ListWorkOrdersRequest, ListWorkOrdersResponse>.FromDescriptor(Service.FindMethodByName("ListWorkOrders"));
    private static readonly Method<AcknowledgeWorkOrderRequest, WorkOrder> AcknowledgeWorkOrderMethod = Method<AcknowledgeWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("AcknowledgeWorkOrder"));
    private static readonly Method<ReplyToWorkOrderRequest, WorkOrder> ReplyToWorkOrderMethod = Method<ReplyToWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("ReplyToWorkOrder"));
    private static readonly Method<RequestHoldRequest, WorkOrder> RequestHoldMethod = Method<RequestHoldRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("RequestHold"));
    private static readonly Method<DecideHoldRequest, WorkOrder> DecideHoldMethod = Method<DecideHoldRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("DecideHold"));
    private static readonly Method<ResolveWorkOrderRequest, WorkOrder> ResolveWorkOrderMethod = Method<ResolveWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("ResolveWorkOrder"));
    private static readonly Method<RequestRerouteRequest, WorkOrder> RequestRerouteMethod = Method<RequestRerouteRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("RequestReroute"));
    private static readonly Method<RerouteWorkOrderRequest, WorkOrder> RerouteWorkOrderMethod = Method<RerouteWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("RerouteWorkOrder"));
    private static readonly Method<RecordRevisitRequest, WorkOrder> RecordRevisitMethod = Method<RecordRevisitRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("RecordRevisit"));
    private static readonly Method<ReturnWorkOrderRequest, WorkOrder> ReturnWorkOrderMethod = Method<ReturnWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("ReturnWorkOrder"));
    private static readonly Method<CloseWorkOrderRequest, WorkOrder> CloseWorkOrderMethod = Method<CloseWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("CloseWorkOrder"));
    private static readonly Method<VoidWorkOrderRequest, WorkOrder> VoidWorkOrderMethod = Method<VoidWorkOrderRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("VoidWorkOrder"));
    private static readonly Method<AddNoteRequest, WorkOrder> AddNoteMethod = Method<AddNoteRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("AddNote"));
    private static readonly Method<MarkMajorRequest, WorkOrder> MarkMajorMethod = Method<MarkMajorRequest, WorkOrder>.FromDescriptor(Service.FindMethodByName("MarkMajor"));
    private static readonly Method<WatchWorkOrderEventsRequest, WorkOrderEvent> WatchWorkOrderEventsMethod = Method<WatchWorkOrderEventsRequest, WorkOrderEvent>.FromDescriptor(Service.FindMethodByName("WatchWorkOrderEvents"));

    private readonly GrpcChannel _channel;

    /// <summary>Creates a client that calls through <paramref name="channel"/>.</summary>
    public WorkOrderServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Creates a work order accepted by a carrier desk and dispatches it to the responsible party; the creating desk owns its tracking until closed (first-responder principle). See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> CreateWorkOrderAsync(CreateWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(CreateWorkOrderMethod, request, options);

    /// <summary>Reports a complaint the customer made directly to the SI; its reply and resolve clocks (12 h and 24 h) start at the customer contact time. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> ReportDirectComplaintAsync(ReportDirectComplaintRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ReportDirectComplaintMethod, request, options);

    /// <summary>Gets one work order. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> GetWorkOrderAsync(GetWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetWorkOrderMethod, request, options);

    /// <summary>Lists work orders, newest first, with optional filters. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ListWorkOrdersResponse> ListWorkOrdersAsync(ListWorkOrdersRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ListWorkOrdersMethod, request, options);

    /// <summary>Acknowledges receipt of a dispatched or returned order. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> AcknowledgeWorkOrderAsync(AcknowledgeWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(AcknowledgeWorkOrderMethod, request, options);

    /// <summary>Replies to the order, which meets the reply deadline; on on-site support it records the first visit, which meets the arrival deadline and starts the second-visit clock. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> ReplyToWorkOrderAsync(ReplyToWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ReplyToWorkOrderMethod, request, options);

    /// <summary>Asks the carrier to put the order on hold (clocks paused). See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> RequestHoldAsync(RequestHoldRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RequestHoldMethod, request, options);

    /// <summary>Approves or rejects a pending hold request; approval moves the order to ON_HOLD until the approved end time or the partner's next reply or resolution. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> DecideHoldAsync(DecideHoldRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(DecideHoldMethod, request, options);

    /// <summary>Reports the problem solved, which meets the resolve deadline and waits for a revisit. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> ResolveWorkOrderAsync(ResolveWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ResolveWorkOrderMethod, request, options);

    /// <summary>Asks the carrier to route the order to another party, with a reason; the SI stays responsible until the carrier reroutes (rulebook section 1). See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> RequestRerouteAsync(RequestRerouteRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RequestRerouteMethod, request, options);

    /// <summary>Routes the order to another responsible party and dispatches it again; the new party's clocks start at the reroute time. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> RerouteWorkOrderAsync(RerouteWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RerouteWorkOrderMethod, request, options);

    /// <summary>Records the outcome of the carrier's revisit of the customer. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> RecordRevisitAsync(RecordRevisitRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RecordRevisitMethod, request, options);

    /// <summary>Returns a resolved order to the partner to verify again, with a reason, and increments its return count. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> ReturnWorkOrderAsync(ReturnWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ReturnWorkOrderMethod, request, options);

    /// <summary>Closes an open order with a reason. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> CloseWorkOrderAsync(CloseWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(CloseWorkOrderMethod, request, options);

    /// <summary>Voids an order created in error; a voided complaint does not count in assessment. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> VoidWorkOrderAsync(VoidWorkOrderRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(VoidWorkOrderMethod, request, options);

    /// <summary>Adds a free-text note to an order in any state. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> AddNoteAsync(AddNoteRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(AddNoteMethod, request, options);

    /// <summary>Marks a complaint as major: a serious service or management failure, or unsolved after several rounds (rulebook section 2). See the contract for callers and errors.</summary>
    public AsyncUnaryCall<WorkOrder> MarkMajorAsync(MarkMajorRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(MarkMajorMethod, request, options);

    /// <summary>Streams work order events in cursor order: first every stored event after after_cursor, then new ones as they happen, until the caller cancels. See the contract for callers and errors.</summary>
    public AsyncServerStreamingCall<WorkOrderEvent> WatchWorkOrderEvents(WatchWorkOrderEventsRequest request, CallOptions options = default) =>
        _channel.AsyncServerStreamingCall(WatchWorkOrderEventsMethod, request, options);
}
