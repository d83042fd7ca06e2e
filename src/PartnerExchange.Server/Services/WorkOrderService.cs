using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Extensions;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Server.Identity;
using PartnerExchange.Server.Time;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>
/// Work orders between the carrier and its partners: creation and routing, the moves of the state machine, reading,
/// and the resumable event feed. Every call knows its caller's role and partner: an SI sees and moves only the orders
/// its partner is responsible for; the rules themselves (moves, clocks) are <see cref="D.WorkOrderState"/>'s.
/// </summary>
internal sealed partial class WorkOrderService(
    IServiceProvider services, WorkOrderReads reads, BusinessClock clock, TimeProvider time, EventSignal signal, EventFeedSettings feed)
    : Contracts.V1.WorkOrderService.WorkOrderServiceBase
{
    private const string Prefix = "/partnerexchange.v1.WorkOrderService/";

    /// <summary>
    /// Gets the call's database context, leased from the pool at its first use: <see cref="GetWorkOrder"/> reads through
    /// <see cref="WorkOrderReads"/> and never needs one.
    /// </summary>
    private PartnerExchangeDbContext Db => field ??= services.GetRequiredService<PartnerExchangeDbContext>();

    /// <summary>Gets the call's work-order store, made at its first use (see <see cref="Db"/>).</summary>
    private WorkOrderStore Store => field ??= services.GetRequiredService<WorkOrderStore>();

    /// <summary>WorkOrderService.CreateWorkOrder: accepted by a carrier desk, dispatched at once (or RECORDED).</summary>
    public override async Task<WorkOrder> CreateWorkOrder(CreateWorkOrderRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var checkedOrder = WorkOrderRequests.CheckCreate(request, clock.Now, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "CreateWorkOrder", request.RequestId, request, async (db, store) =>
        {
            var now = clock.Now;
            var source = request.WorkOrder;
            var document = new WorkOrder
            {
                Summary = source.Summary.Trim(),
                Customer = source.Customer?.Clone(),
                Channel = source.Channel,
                AcceptingDesk = caller.Subject,
            };
            CopyDetail(source, document);
            await RouteAsync(db, store, checkedOrder.Party, checkedOrder.ServiceName, document, "work_order.responsible_party", cancellationToken);
            var repeatOf = await CheckRepeatAsync(db, checkedOrder.RepeatOf, document, caller, "work_order.complaint.repeat_of", cancellationToken);
            var calendar = await store.CalendarAsync(cancellationToken);
            var (state, events) = D.WorkOrderState.Create(
                checkedOrder.Subject, checkedOrder.Party, now, checkedOrder.FaultDiscovered, checkedOrder.NeedConfirmed ?? now, repeatOf is not null, calendar);
            return await InsertAsync(store, state, events, document, repeatOf, caller, "CreateWorkOrder", request.RequestId, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>WorkOrderService.ReportDirectRequest: a request that reached the SI directly, with clocks from its receipt.</summary>
    public override async Task<WorkOrder> ReportDirectRequest(ReportDirectRequestRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var (checkedOrder, received) = WorkOrderRequests.CheckDirect(request, clock.Now, violations);
        D.Requests.ThrowIfAny(violations);
        var partnerId = request.Partner["partners/".Length..];
        if (partnerId != caller.PartnerId)
        {
            throw new D.NotResponsiblePartyException(request.Partner, "an SI reports only for its own partner, the one its token is bound to.");
        }

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "ReportDirectRequest", request.RequestId, request, async (db, store) =>
        {
            var now = clock.Now;
            var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == partnerId, cancellationToken)
                ?? throw new D.ResourceNotFoundException(request.Partner);
            CheckNotCancelled(partner, request.Partner);
            var party = new D.ResponsibleParty(
                partner.Kind == D.PartnerKind.PlatformOperator ? D.ResponsiblePartyKind.PlatformOperator : D.ResponsiblePartyKind.ServiceIntegrator, partner.Id);
            var document = new WorkOrder
            {
                Summary = request.Summary.Trim(),
                Customer = request.Customer?.Clone(),
                Channel = Channel.DirectToSi,
                ResponsibleParty = new ResponsibleParty { Kind = (ResponsiblePartyKind)(int)party.Kind, Partner = request.Partner, DisplayName = partner.DisplayName },
                DirectReceipt = new DirectReceipt { Channel = request.Channel, ReceiveTime = request.ReceiveTime, SolvedOnFirstContact = request.SolvedOnFirstContact },
            };
            switch (request.DetailCase)
            {
                case ReportDirectRequestRequest.DetailOneofCase.Enquiry:
                    document.Enquiry = request.Enquiry.Clone();
                    break;
                case ReportDirectRequestRequest.DetailOneofCase.FaultReport:
                    document.FaultReport = request.FaultReport.Clone();
                    break;
                case ReportDirectRequestRequest.DetailOneofCase.TechnicalSupport:
                    // A copy: the write must leave the request as it came (a write may run twice, and its hash is its identity).
                    document.TechnicalSupport = request.TechnicalSupport.Clone();
                    document.TechnicalSupport.SiteVisits.Clear();
                    document.TechnicalSupport.FirstVisitTime = null;
                    break;
                case ReportDirectRequestRequest.DetailOneofCase.Complaint:
                    document.Complaint = new Complaint
                    {
                        Description = request.Complaint.Description,
                        Urgency = ComplaintUrgency.Ordinary,
                        RepeatOf = request.Complaint.RepeatOf,
                        RepeatReason = request.Complaint.RepeatReason,
                        RepeatReasonText = request.Complaint.RepeatReasonText,
                        DirectToSi = true,
                        CustomerContactTime = request.ReceiveTime,
                    };
                    break;
            }

            var repeatOf = await CheckRepeatAsync(db, checkedOrder.RepeatOf, document, caller, "complaint.repeat_of", cancellationToken);
            var calendar = await store.CalendarAsync(cancellationToken);
            var (state, events) = D.WorkOrderState.ReportDirect(
                checkedOrder.Subject, party, now, received!.Value, request.SolvedOnFirstContact, checkedOrder.FaultDiscovered, repeatOf is not null, calendar);
            if (request.SolvedOnFirstContact)
            {
                document.ReplyText = document.ResolutionText = "Solved on first contact.";
            }

            return await InsertAsync(store, state, events, document, repeatOf, caller, "ReportDirectRequest", request.RequestId, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>WorkOrderService.GetWorkOrder: one order; another partner's answers NOT_FOUND as a missing one does.</summary>
    public override async Task<WorkOrder> GetWorkOrder(GetWorkOrderRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.WorkOrderName(request.Name, "name", violations);
        D.Requests.ThrowIfAny(violations);
        var stored = await reads.ReadAsync(id!.Value, context.CancellationToken);
        if (stored is null || !D.WorkOrderState.IsVisibleTo(caller, stored.PartnerId))
        {
            throw new D.ResourceNotFoundException(request.Name);
        }

        return WorkOrderStore.Show(stored, clock.Now);
    }

    /// <summary>WorkOrderService.AcknowledgeWorkOrder.</summary>
    public override Task<WorkOrder> AcknowledgeWorkOrder(AcknowledgeWorkOrderRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.AcknowledgeWorkOrder, request.Name, request.Etag, request.RequestId, request, [],
            (order, now, _) => order.State.Acknowledge(now));

    /// <summary>WorkOrderService.ReplyToWorkOrder: meets the reply clock, ends a hold.</summary>
    public override Task<WorkOrder> ReplyToWorkOrder(ReplyToWorkOrderRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.ReplyToWorkOrder, request.Name, request.Etag, request.RequestId, request,
            Text(request.ReplyText, "reply_text", WorkOrderRequests.TextLength),
            (order, now, calendar) =>
            {
                var events = order.State.Reply(now, calendar);
                order.Document.ReplyText = request.ReplyText;
                return events;
            });

    /// <summary>WorkOrderService.RecordSiteVisit: on-site visits meet the arrival and second-visit clocks.</summary>
    public override Task<WorkOrder> RecordSiteVisit(RecordSiteVisitRequest request, ServerCallContext context)
    {
        var violations = Text(request.Note, "note", WorkOrderRequests.TextLength, required: false);
        var visit = ProtoDates.ReadInstant(request.VisitTime, "visit_time", violations)?.ToInstant();
        if (request.VisitTime is null)
        {
            violations.Add(new D.FieldViolation("visit_time", "is required."));
        }
        else if (visit > clock.Now)
        {
            violations.Add(new D.FieldViolation("visit_time", "must not be in the future."));
        }

        var caller = context.GetCaller();
        return MoveAsync(context, D.WorkOrderMove.RecordSiteVisit, request.Name, request.Etag, request.RequestId, request, violations,
            (order, now, calendar) =>
            {
                if (order.State.NeedConfirmed is { } confirmed && visit < confirmed && order.State.Subject.SupportType == D.TechnicalSupportType.OnSite)
                {
                    throw new D.InvalidRequestException([new D.FieldViolation("visit_time", "must not be before the need was confirmed.")]);
                }

                var events = order.State.RecordSiteVisit(now, visit!.Value, request.Solved, calendar);
                order.Document.TechnicalSupport.SiteVisits.Add(new SiteVisit
                {
                    VisitTime = request.VisitTime, Solved = request.Solved, Note = request.Note, RecordedBy = Actors.Of(caller),
                });
                return events;
            });
    }

    /// <summary>WorkOrderService.RequestHold: a pending hold the carrier decides.</summary>
    public override Task<WorkOrder> RequestHold(RequestHoldRequest request, ServerCallContext context)
    {
        var violations = Text(request.Reason, "reason", WorkOrderRequests.ReasonLength);
        var end = WorkOrderRequests.CheckHoldEnd(request.HoldEndTime, "hold_end_time", required: true, clock.Now, violations);
        return MoveAsync(context, D.WorkOrderMove.RequestHold, request.Name, request.Etag, request.RequestId, request, violations,
            (order, now, _) =>
            {
                var events = order.State.RequestHold(now, end!.Value);
                order.Document.Hold = new Hold { Reason = request.Reason, RequestedEndTime = request.HoldEndTime, RequestTime = now.ToTimestamp() };
                return events;
            });
    }

    /// <summary>WorkOrderService.DecideHold: approval pauses every running clock.</summary>
    public override Task<WorkOrder> DecideHold(DecideHoldRequest request, ServerCallContext context)
    {
        var violations = Text(request.Reason, "reason", WorkOrderRequests.ReasonLength);
        var end = WorkOrderRequests.CheckHoldEnd(request.HoldEndTime, "hold_end_time", required: false, clock.Now, violations);
        if (end is not null && !request.Approve)
        {
            violations.Add(new D.FieldViolation("hold_end_time", "is only for an approval."));
        }

        var caller = context.GetCaller();
        return MoveAsync(context, D.WorkOrderMove.DecideHold, request.Name, request.Etag, request.RequestId, request, violations,
            (order, now, _) =>
            {
                var events = order.State.DecideHold(now, request.Approve, end);
                order.Document.Hold.DecisionReason = request.Reason;
                order.Document.Hold.DecidedBy = Actors.Of(caller);
                order.Document.Hold.DecideTime = now.ToTimestamp();
                return events;
            });
    }

    /// <summary>WorkOrderService.ResolveWorkOrder: meets the running clocks, waits for the revisit.</summary>
    public override Task<WorkOrder> ResolveWorkOrder(ResolveWorkOrderRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.ResolveWorkOrder, request.Name, request.Etag, request.RequestId, request,
            Text(request.ResolutionText, "resolution_text", WorkOrderRequests.TextLength),
            (order, now, calendar) =>
            {
                var events = order.State.Resolve(now, calendar);
                order.Document.ResolutionText = request.ResolutionText;
                return events;
            });

    /// <summary>WorkOrderService.RequestReroute: the SI asks; only the carrier reroutes.</summary>
    public override Task<WorkOrder> RequestReroute(RequestRerouteRequest request, ServerCallContext context)
    {
        var violations = Text(request.Reason, "reason", WorkOrderRequests.ReasonLength);
        if (request.SuggestedParty is not null)
        {
            WorkOrderRequests.CheckParty(request.SuggestedParty, "suggested_party", violations);
        }

        return MoveAsync(context, D.WorkOrderMove.RequestReroute, request.Name, request.Etag, request.RequestId, request, violations,
            (order, now, _) =>
            {
                var events = order.State.RequestReroute(now);
                order.Document.PendingReroute = new PendingReroute { Reason = request.Reason, SuggestedParty = request.SuggestedParty, RequestTime = now.ToTimestamp() };
                return events;
            });
    }

    /// <summary>WorkOrderService.RerouteWorkOrder: another party, dispatched again with fresh clocks.</summary>
    public override async Task<WorkOrder> RerouteWorkOrder(RerouteWorkOrderRequest request, ServerCallContext context)
    {
        var violations = Text(request.Reason, "reason", WorkOrderRequests.ReasonLength);
        var target = WorkOrderRequests.CheckParty(request.Target, "target", violations);
        var partyMessage = new WorkOrder();
        return await MoveAsync(context, D.WorkOrderMove.RerouteWorkOrder, request.Name, request.Etag, request.RequestId, request, violations,
            (order, now, calendar) =>
            {
                if (order.State.Party == target)
                {
                    throw new D.InvalidRequestException([new D.FieldViolation("target", "must differ from the current responsible party.")]);
                }

                var events = order.State.Reroute(now, target!, calendar);
                order.Document.ResponsibleParty = partyMessage.ResponsibleParty;
                order.Document.PendingReroute = null;
                order.Document.Hold = null;
                order.Document.TechnicalSupport?.SiteVisits.Clear();
                return events;
            },
            async (db, store, cancellationToken) => await RouteAsync(db, store, target, null, partyMessage, "target", cancellationToken));
    }

    /// <summary>WorkOrderService.RecordRevisit: satisfied levels close, the two not-satisfied levels return.</summary>
    public override Task<WorkOrder> RecordRevisit(RecordRevisitRequest request, ServerCallContext context)
    {
        var violations = Text(request.Comment, "comment", WorkOrderRequests.TextLength, required: false);
        if (request.Satisfaction is Satisfaction.Unspecified || !Enum.IsDefined(request.Satisfaction))
        {
            violations.Add(new D.FieldViolation("satisfaction", "is required."));
        }

        var caller = context.GetCaller();
        return MoveAsync(context, D.WorkOrderMove.RecordRevisit, request.Name, request.Etag, request.RequestId, request, violations,
            (order, now, calendar) =>
            {
                var events = order.State.RecordRevisit(now, (D.Satisfaction)(int)request.Satisfaction, calendar);
                order.Document.Satisfaction = request.Satisfaction;
                order.Document.Revisits.Add(new Revisit
                {
                    Satisfaction = request.Satisfaction, Comment = request.Comment, RevisitTime = now.ToTimestamp(), RevisitedBy = Actors.Of(caller),
                });
                return events;
            });
    }

    /// <summary>WorkOrderService.ReturnWorkOrder: back to the party with fresh reply and resolve clocks.</summary>
    public override Task<WorkOrder> ReturnWorkOrder(ReturnWorkOrderRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.ReturnWorkOrder, request.Name, request.Etag, request.RequestId, request,
            Text(request.Reason, "reason", WorkOrderRequests.ReasonLength),
            (order, now, calendar) => order.State.Return(now, calendar));

    /// <summary>WorkOrderService.CloseWorkOrder: closed by the carrier with a reason.</summary>
    public override Task<WorkOrder> CloseWorkOrder(CloseWorkOrderRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.CloseWorkOrder, request.Name, request.Etag, request.RequestId, request,
            Text(request.Reason, "reason", WorkOrderRequests.ReasonLength),
            (order, now, calendar) =>
            {
                var events = order.State.Close(now, calendar);
                order.Document.CloseReason = request.Reason;
                return events;
            });

    /// <summary>WorkOrderService.VoidWorkOrder: created in error, never counted.</summary>
    public override Task<WorkOrder> VoidWorkOrder(VoidWorkOrderRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.VoidWorkOrder, request.Name, request.Etag, request.RequestId, request,
            Text(request.Reason, "reason", WorkOrderRequests.ReasonLength),
            (order, now, calendar) =>
            {
                var events = order.State.Void(now, calendar);
                order.Document.CloseReason = request.Reason;
                return events;
            });

    /// <summary>WorkOrderService.AddNote: a note in any state.</summary>
    public override Task<WorkOrder> AddNote(AddNoteRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return MoveAsync(context, D.WorkOrderMove.AddNote, request.Name, string.Empty, request.RequestId, request,
            Text(request.Text, "text", WorkOrderRequests.TextLength),
            (order, now, _) =>
            {
                var events = order.State.AddNote(now);
                order.Document.Notes.Add(new Note { Text = request.Text, Author = Actors.Of(caller), CreateTime = now.ToTimestamp() });
                return events;
            });
    }

    /// <summary>WorkOrderService.MarkMajor: a complaint marked major by the carrier.</summary>
    public override Task<WorkOrder> MarkMajor(MarkMajorRequest request, ServerCallContext context) =>
        MoveAsync(context, D.WorkOrderMove.MarkMajor, request.Name, request.Etag, request.RequestId, request,
            Text(request.Reason, "reason", WorkOrderRequests.ReasonLength),
            (order, now, _) =>
            {
                var events = order.State.MarkMajor(now);
                order.Document.Complaint.MajorReason = request.Reason;
                order.Document.Complaint.MajorMarkTime = now.ToTimestamp();
                return events;
            });

    private static List<D.FieldViolation> Text(string value, string field, int maxLength, bool required = true)
    {
        var violations = new List<D.FieldViolation>();
        D.Requests.CheckText(value, field, maxLength, required, violations);
        return violations;
    }

    /// <summary>Puts the request's detail onto <paramref name="document"/> as copies: a write leaves its request as it came (it may run twice, and the request's bytes are its identity for its request id).</summary>
    private static void CopyDetail(WorkOrder source, WorkOrder document)
    {
        switch (source.DetailCase)
        {
            case WorkOrder.DetailOneofCase.Enquiry:
                document.Enquiry = source.Enquiry.Clone();
                break;
            case WorkOrder.DetailOneofCase.FaultReport:
                document.FaultReport = source.FaultReport.Clone();
                break;
            case WorkOrder.DetailOneofCase.TechnicalSupport:
                document.TechnicalSupport = source.TechnicalSupport.Clone();
                document.TechnicalSupport.SiteVisits.Clear();
                document.TechnicalSupport.FirstVisitTime = null;
                break;
            case WorkOrder.DetailOneofCase.Complaint:
                document.Complaint = new Complaint
                {
                    Description = source.Complaint.Description,
                    Urgency = source.Complaint.Urgency,
                    RepeatOf = source.Complaint.RepeatOf,
                    RepeatReason = source.Complaint.RepeatReason,
                    RepeatReasonText = source.Complaint.RepeatReasonText,
                };
                break;
            case WorkOrder.DetailOneofCase.DissatisfactionRecord:
                document.DissatisfactionRecord = source.DissatisfactionRecord.Clone();
                break;
        }
    }

    private static void CheckNotCancelled(Data.Entities.Partner partner, string name)
    {
        if (partner.Status == D.PartnerStatus.Cancelled)
        {
            throw new D.PreconditionFailedException(D.ErrorReason.PartnerCancelled, $"{name}'s cooperation is cancelled; it gets no new orders.",
                new D.PreconditionViolation("PARTNER_CANCELLED", name, "The partner's cooperation is cancelled."));
        }
    }

    /// <summary>
    /// Checks the responsible party against the registry and the service catalogue (rulebook section 1, responsibility
    /// routing): the partner exists and is of the party's kind and not cancelled, and a service of the catalogue goes
    /// to the SI that owns it. Writes the party onto <paramref name="document"/>.
    /// </summary>
    private static async Task RouteAsync(PartnerExchangeDbContext db, WorkOrderStore store, D.ResponsibleParty? responsible, string? serviceName, WorkOrder document, string field, CancellationToken cancellationToken)
    {
        if (responsible is not { } party)
        {
            document.ResponsibleParty = null;
            return;
        }

        var shown = new ResponsibleParty { Kind = (ResponsiblePartyKind)(int)party.Kind };
        if (party.PartnerId is null)
        {
            shown.DisplayName = party.Kind switch
            {
                D.ResponsiblePartyKind.CarrierNetwork => "Carrier network department",
                D.ResponsiblePartyKind.CarrierBilling => "Carrier billing (BOSS) department",
                _ => "Carrier industry gateway department",
            };
            document.ResponsibleParty = shown;
            return;
        }

        var name = "partners/" + party.PartnerId;
        var partner = await store.FindPartnerAsync(party.PartnerId, cancellationToken) ?? throw new D.ResourceNotFoundException(name);
        var expected = party.Kind == D.ResponsiblePartyKind.PlatformOperator ? D.PartnerKind.PlatformOperator : D.PartnerKind.ServiceIntegrator;
        if (partner.Kind != expected)
        {
            throw new D.InvalidRequestException([new D.FieldViolation(field + ".partner", $"{name} is a {partner.Kind}, not a {expected}.")]);
        }

        CheckNotCancelled(partner, name);
        if (party.Kind == D.ResponsiblePartyKind.ServiceIntegrator && serviceName is { Length: > 0 } service)
        {
            var owner = await db.ServiceCatalogue.AsNoTracking()
                .Where(s => s.ServiceName == service || s.ServiceCode == service)
                .Select(s => s.PartnerId)
                .FirstOrDefaultAsync(cancellationToken);
            if (owner is not null && owner != partner.Id)
            {
                throw new D.InvalidRequestException([new D.FieldViolation(field + ".partner", $"the service \"{service}\" belongs to partners/{owner} in the catalogue.")]);
            }
        }

        shown.Partner = name;
        shown.DisplayName = partner.DisplayName;
        document.ResponsibleParty = shown;
    }

    /// <summary>The earlier complaint a repeat links to: it must exist, be visible to the caller and be a complaint.</summary>
    private static async Task<long?> CheckRepeatAsync(PartnerExchangeDbContext db, long? repeatOf, WorkOrder document, D.Caller caller, string field, CancellationToken cancellationToken)
    {
        if (repeatOf is not { } id)
        {
            return null;
        }

        var earlier = await db.WorkOrders.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Kind, o.PartnerId }).SingleOrDefaultAsync(cancellationToken);
        if (earlier is null || !D.WorkOrderState.IsVisibleTo(caller, earlier.PartnerId))
        {
            throw new D.ResourceNotFoundException(WorkOrderStore.NameOf(id));
        }

        if (earlier.Kind != D.WorkOrderKind.Complaint)
        {
            throw new D.InvalidRequestException([new D.FieldViolation(field, $"{WorkOrderStore.NameOf(id)} is a {earlier.Kind}, not a complaint.")]);
        }

        return id;
    }

    private static async Task<(WorkOrder Stored, WorkOrder Answer)> InsertAsync(
        WorkOrderStore store, D.WorkOrderState state, IReadOnlyList<D.OrderEvent> events, WorkOrder document, long? repeatOf, D.Caller caller, string method, string requestId,
        Instant now, CancellationToken cancellationToken)
    {
        var id = await store.NextIdAsync(cancellationToken);
        var localDate = D.BusinessCalendar.DateAt(now);
        document.OrderNumber = string.Create(CultureInfo.InvariantCulture, $"WO{localDate:yyyyMMdd}{id:D6}");
        var row = new Data.Entities.WorkOrder
        {
            Id = id,
            Number = document.OrderNumber,
            Kind = state.Subject.Kind,
            Channel = (D.WorkOrderChannel)(int)document.Channel,
            RepeatOfId = repeatOf,
            CreatedAt = now.ToDateTimeOffset(),
            DetailJson = "{}",
            Version = 1,
        };
        state.Name = WorkOrderStore.NameOf(id);
        document.Kind = (WorkOrderKind)(int)state.Subject.Kind;
        var order = new LoadedWorkOrder(row, state, document);
        var happened = store.Snapshots(order, events, now);
        var summary = $"created {D.WorkOrderState.StateName(state.Status)} for {document.ResponsibleParty?.DisplayName ?? "the record"}";
        var shown = store.Save(order, happened, Actors.Of(caller), caller, Prefix + method, requestId, summary, now);
        return (shown, shown);
    }

    /// <summary>
    /// One move: the field checks, then in one transaction the order (NOT_FOUND if not the caller's), the etag, every
    /// automatic step already due, the worker check, the move itself, and the new state with its events and audit entry.
    /// </summary>
    private async Task<WorkOrder> MoveAsync(
        ServerCallContext context, D.WorkOrderMove move, string name, string etag, string requestId, IMessage request, List<D.FieldViolation> violations,
        Func<LoadedWorkOrder, Instant, D.BusinessCalendar, IReadOnlyList<D.OrderEvent>> apply, Func<PartnerExchangeDbContext, WorkOrderStore, CancellationToken, Task>? prepare = null)
    {
        var caller = context.GetCaller();
        var id = D.Requests.WorkOrderName(name, "name", violations);
        D.Requests.CheckRequestId(requestId, violations);
        D.Requests.ThrowIfAny(violations);
        var cancellationToken = context.CancellationToken;
        var method = move.ToString();
        return await WriteAsync(caller, method, requestId, request, async (db, store) =>
        {
            var order = await store.FindAsync(id!.Value, caller, cancellationToken);
            if (etag.Length > 0 && etag != WorkOrderStore.EtagOf(order.Row.Version))
            {
                throw new D.EtagMismatchException(order.Name);
            }

            if (prepare is not null)
            {
                await prepare(db, store, cancellationToken);
            }

            var now = clock.Now;
            var calendar = await store.CalendarAsync(cancellationToken);
            var before = order.State.Status;
            var happened = store.CatchUp(order, now, calendar);
            order.State.CheckWorker(caller, move);
            happened.AddRange(store.Snapshots(order, apply(order, now, calendar), now));
            var summary = $"{method}: {D.WorkOrderState.StateName(before)} -> {D.WorkOrderState.StateName(order.State.Status)}";
            var shown = store.Save(order, happened, Actors.Of(caller), caller, Prefix + method, requestId, summary, now);
            return (shown, shown);
        }, cancellationToken);
    }

    /// <summary>
    /// One write of a work order, once per request id: on SQLite in a commit shared with the writes waiting beside it
    /// (<see cref="WorkOrderStore.WriteSharedAsync"/>), on PostgreSQL in its own transaction under the writer lock.
    /// <paramref name="write"/> does all its database work through the context and store it is given. In a shared commit
    /// the write first runs without looking for an earlier call with its request id (a lookup in the writers' turn
    /// for every write, where almost none is a retry): when there was one, the request id's unique key refuses the
    /// idempotency record, or the write fails on what the earlier call changed, and either way the shared commit undoes
    /// the write whole. Any failed first run therefore runs once more, looking first: a retry gets the earlier answer
    /// (or INVALID_ARGUMENT for another request under the same id), any other failure fails again as it would have.
    /// </summary>
    private async Task<WorkOrder> WriteAsync(
        D.Caller caller, string method, string requestId, IMessage request,
        Func<PartnerExchangeDbContext, WorkOrderStore, Task<(WorkOrder Stored, WorkOrder Answer)>> write, CancellationToken cancellationToken)
    {
        WorkOrder answer;
        if (Store.SharesCommits)
        {
            // The request's hash is taken once, before either run, so that both compare the request as it came.
            var hash = Idempotency.Hash(request);
            Task<WorkOrder> Shared(bool lookFirst) => Store.WriteSharedAsync(
                (shared, sharedStore) => Idempotency.WriteInTransactionAsync(
                    shared, caller, Prefix + method, requestId, request, WorkOrder.Parser, time, () => write(shared, sharedStore), cancellationToken, lookFirst, hash),
                cancellationToken);
            try
            {
                answer = await Shared(lookFirst: false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                answer = await Shared(lookFirst: true);
            }
        }
        else
        {
            answer = await Idempotency.WriteOnceAsync(
                Db, caller, Prefix + method, requestId, request, WorkOrder.Parser, time, () => write(Db, Store), cancellationToken, Store.SerializeWritersAsync);
        }

        signal.Pulse();
        return answer;
    }
}
