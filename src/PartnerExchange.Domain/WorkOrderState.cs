using System.Text.RegularExpressions;
using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>A move of the state machine, named after the RPC that makes it.</summary>
public enum WorkOrderMove
{
    /// <summary>AcknowledgeWorkOrder.</summary>
    AcknowledgeWorkOrder,

    /// <summary>ReplyToWorkOrder.</summary>
    ReplyToWorkOrder,

    /// <summary>RecordSiteVisit.</summary>
    RecordSiteVisit,

    /// <summary>RequestHold.</summary>
    RequestHold,

    /// <summary>DecideHold.</summary>
    DecideHold,

    /// <summary>ResolveWorkOrder.</summary>
    ResolveWorkOrder,

    /// <summary>RequestReroute.</summary>
    RequestReroute,

    /// <summary>RerouteWorkOrder.</summary>
    RerouteWorkOrder,

    /// <summary>RecordRevisit.</summary>
    RecordRevisit,

    /// <summary>ReturnWorkOrder.</summary>
    ReturnWorkOrder,

    /// <summary>CloseWorkOrder.</summary>
    CloseWorkOrder,

    /// <summary>VoidWorkOrder.</summary>
    VoidWorkOrder,

    /// <summary>AddNote.</summary>
    AddNote,

    /// <summary>MarkMajor.</summary>
    MarkMajor,
}

/// <summary>What happened to an order; numbers are the contract's <c>WorkOrderEventType</c>.</summary>
public enum OrderEventType
{
    /// <summary>Created and dispatched (or recorded).</summary>
    Created = 1,

    /// <summary>Acknowledged.</summary>
    Acknowledged = 2,

    /// <summary>Replied to.</summary>
    Replied = 3,

    /// <summary>A hold was requested.</summary>
    HoldRequested = 4,

    /// <summary>A hold request was approved or rejected.</summary>
    HoldDecided = 5,

    /// <summary>A hold ended.</summary>
    HoldEnded = 6,

    /// <summary>Resolved.</summary>
    Resolved = 7,

    /// <summary>A reroute was requested.</summary>
    RerouteRequested = 8,

    /// <summary>Rerouted.</summary>
    Rerouted = 9,

    /// <summary>A revisit was recorded.</summary>
    Revisited = 10,

    /// <summary>Returned to the responsible party.</summary>
    Returned = 11,

    /// <summary>Closed.</summary>
    Closed = 12,

    /// <summary>Voided.</summary>
    Voided = 13,

    /// <summary>A note was added.</summary>
    NoteAdded = 14,

    /// <summary>Marked major.</summary>
    MarkedMajor = 15,

    /// <summary>A clock reached 50%.</summary>
    DeadlineWarning = 16,

    /// <summary>A clock passed its due time unmet.</summary>
    DeadlineBreached = 17,

    /// <summary>A provisional deadline was recomputed.</summary>
    DeadlineRecomputed = 18,

    /// <summary>Notice: not closed on the day it arrived.</summary>
    NoticeNotClosedSameDay = 19,

    /// <summary>Notice: open 72 h after creation.</summary>
    NoticeOpenAfter3Days = 20,

    /// <summary>Notice: a repeat report.</summary>
    NoticeRepeatReport = 21,

    /// <summary>An on-site visit was recorded.</summary>
    SiteVisited = 22,
}

/// <summary>One thing that happened to an order: its type, when, and the clock for deadline events.</summary>
public sealed record OrderEvent(OrderEventType Type, Instant At, ClockKind? Clock = null)
{
    /// <summary>Gets whether a due step of the clocks raised it (<see cref="WorkOrderState.RunNextDue"/>) rather than a caller's move.</summary>
    public bool Automatic { get; init; }
}

/// <summary>An on-site visit: when, and whether it solved the problem.</summary>
public sealed record SiteVisitRecord(Instant At, bool Solved);

/// <summary>A hold the responsible party asked for, pending or decided (rulebook section 3 Decision on holds).</summary>
public sealed class HoldState
{
    /// <summary>Gets or sets the end the party asked for.</summary>
    public Instant RequestedEnd { get; set; }

    /// <summary>Gets or sets whether it awaits the carrier's decision.</summary>
    public bool Pending { get; set; }

    /// <summary>Gets or sets whether the carrier approved it.</summary>
    public bool Approved { get; set; }

    /// <summary>Gets or sets when the approved hold started pausing the clocks (the approval; never retroactive).</summary>
    public Instant? Start { get; set; }

    /// <summary>Gets or sets when the approved hold ends at the latest.</summary>
    public Instant? End { get; set; }

    /// <summary>Gets or sets when it actually ended; <c>null</c> while it lasts.</summary>
    public Instant? Ended { get; set; }

    /// <summary>Gets or sets the state the order goes back to when the hold ends.</summary>
    public WorkOrderStatus StatusBefore { get; set; }
}

/// <summary>Settings of the lifecycle that a carrier may change.</summary>
/// <param name="AutoCloseAfter">How long after its latest resolution a resolved order never revisited closes (default 7 x 24 h).</param>
public sealed record LifecycleSettings(Duration AutoCloseAfter)
{
    /// <summary>Gets the rulebook's defaults.</summary>
    public static LifecycleSettings Default { get; } = new(Duration.FromDays(7));
}

/// <summary>
/// The life of one work order: its state, its clocks, its hold and notices, and every move of the state machine drawn
/// at the top of work_order_service.proto. Each move checks the state first and changes nothing when it refuses
/// (FAILED_PRECONDITION with <see cref="ErrorReason.IllegalStateTransition"/>, naming the state and the moves allowed
/// from it). Moves return what happened, in time order, for the event feed.
/// <para>
/// Compared with TM Forum TMF621 (see the contract's header): our ON_HOLD needs the carrier's approval because it pauses
/// contractual clocks, and RETURNED is kept apart from "inProgress" so the partner must acknowledge the order again.
/// </para>
/// <para>
/// Readings where the rulebook is silent: resolving meets every clock still running (arrival and second visit too: a
/// solved problem needs no visit); closing, voiding, returning and rerouting stop running clocks unmet (their breaches
/// stand); clocks are paused while ON_HOLD and do not run while RESOLVED; a returned order gets fresh reply and resolve
/// clocks only (on-site support has neither, so it gets none); a reroute starts every clock of the kind afresh.
/// </para>
/// </summary>
public sealed partial class WorkOrderState
{
    private static readonly Dictionary<WorkOrderStatus, WorkOrderMove[]> Moves = new()
    {
        [WorkOrderStatus.Dispatched] =
        [
            WorkOrderMove.AcknowledgeWorkOrder, WorkOrderMove.RequestReroute, WorkOrderMove.RerouteWorkOrder, WorkOrderMove.CloseWorkOrder,
            WorkOrderMove.VoidWorkOrder, WorkOrderMove.AddNote, WorkOrderMove.MarkMajor,
        ],
        [WorkOrderStatus.Acknowledged] =
        [
            WorkOrderMove.ReplyToWorkOrder, WorkOrderMove.RecordSiteVisit, WorkOrderMove.RequestHold, WorkOrderMove.DecideHold,
            WorkOrderMove.ResolveWorkOrder, WorkOrderMove.RequestReroute, WorkOrderMove.RerouteWorkOrder, WorkOrderMove.CloseWorkOrder,
            WorkOrderMove.VoidWorkOrder, WorkOrderMove.AddNote, WorkOrderMove.MarkMajor,
        ],
        [WorkOrderStatus.Replied] =
        [
            WorkOrderMove.ReplyToWorkOrder, WorkOrderMove.RecordSiteVisit, WorkOrderMove.RequestHold, WorkOrderMove.DecideHold,
            WorkOrderMove.ResolveWorkOrder, WorkOrderMove.RequestReroute, WorkOrderMove.RerouteWorkOrder, WorkOrderMove.CloseWorkOrder,
            WorkOrderMove.VoidWorkOrder, WorkOrderMove.AddNote, WorkOrderMove.MarkMajor,
        ],
        [WorkOrderStatus.OnHold] =
        [
            WorkOrderMove.ReplyToWorkOrder, WorkOrderMove.ResolveWorkOrder, WorkOrderMove.RequestReroute, WorkOrderMove.RerouteWorkOrder,
            WorkOrderMove.CloseWorkOrder, WorkOrderMove.VoidWorkOrder, WorkOrderMove.AddNote, WorkOrderMove.MarkMajor,
        ],
        [WorkOrderStatus.Resolved] =
        [
            WorkOrderMove.RecordRevisit, WorkOrderMove.ReturnWorkOrder, WorkOrderMove.RerouteWorkOrder, WorkOrderMove.CloseWorkOrder,
            WorkOrderMove.VoidWorkOrder, WorkOrderMove.AddNote, WorkOrderMove.MarkMajor,
        ],
        [WorkOrderStatus.Returned] =
        [
            WorkOrderMove.AcknowledgeWorkOrder, WorkOrderMove.RequestReroute, WorkOrderMove.RerouteWorkOrder, WorkOrderMove.CloseWorkOrder,
            WorkOrderMove.VoidWorkOrder, WorkOrderMove.AddNote, WorkOrderMove.MarkMajor,
        ],
        [WorkOrderStatus.Closed] = [WorkOrderMove.AddNote],
        [WorkOrderStatus.Voided] = [WorkOrderMove.AddNote],
        [WorkOrderStatus.Recorded] = [WorkOrderMove.AddNote],
    };

    /// <summary>Gets or sets the order's resource name, for error messages; not stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name { get; set; } = "workOrders/?";

    /// <summary>Gets or sets what chose the clocks (kind, severity, urgency, support type, channel).</summary>
    public required ClockRules.Subject Subject { get; set; }

    /// <summary>Gets or sets the state.</summary>
    public WorkOrderStatus Status { get; set; }

    /// <summary>Gets or sets the responsible party; <c>null</c> for a dissatisfaction record.</summary>
    public ResponsibleParty? Party { get; set; }

    /// <summary>Gets or sets when the order was created.</summary>
    public Instant Created { get; set; }

    /// <summary>Gets or sets when it was last dispatched.</summary>
    public Instant? Dispatched { get; set; }

    /// <summary>Gets or sets when it was last acknowledged.</summary>
    public Instant? Acknowledged { get; set; }

    /// <summary>Gets or sets when it was first replied to.</summary>
    public Instant? FirstReply { get; set; }

    /// <summary>Gets or sets when it was last resolved.</summary>
    public Instant? LastResolved { get; set; }

    /// <summary>Gets or sets when it was closed or voided.</summary>
    public Instant? Closed { get; set; }

    /// <summary>
    /// Gets or sets when it was finally completed (rulebook section 5 Decision): its latest resolution while not
    /// returned since, or the carrier's close when it closed without one; <c>null</c> while open or returned.
    /// </summary>
    public Instant? Completed { get; set; }

    /// <summary>Gets or sets the total time approved holds paused the order (ended holds).</summary>
    public Duration HeldTotal { get; set; }

    /// <summary>Gets or sets when a fault was discovered (faults): its resolve clock starts at the later of this and dispatch.</summary>
    public Instant? FaultDiscovered { get; set; }

    /// <summary>Gets or sets when the on-site need was confirmed (on-site support): the arrival clock starts here.</summary>
    public Instant? NeedConfirmed { get; set; }

    /// <summary>Gets or sets the on-site visits recorded, oldest first.</summary>
    public List<SiteVisitRecord> Visits { get; set; } = [];

    /// <summary>Gets or sets every clock run, oldest first.</summary>
    public List<Clock> Clocks { get; set; } = [];

    /// <summary>Gets or sets the latest hold, pending or decided.</summary>
    public HoldState? Hold { get; set; }

    /// <summary>Gets or sets whether a reroute request awaits the carrier.</summary>
    public bool ReroutePending { get; set; }

    /// <summary>Gets or sets how many times the order was returned.</summary>
    public int ReturnCount { get; set; }

    /// <summary>Gets or sets whether the carrier marked the complaint major.</summary>
    public bool Major { get; set; }

    /// <summary>Gets or sets whether the "not closed on the day it arrived" notice is settled (raised, or closed in time).</summary>
    public bool SameDayNoticeDone { get; set; }

    /// <summary>Gets or sets whether the "open after 3 days" notice is settled.</summary>
    public bool ThreeDayNoticeDone { get; set; }

    /// <summary>Gets whether the order is open (not closed, voided or recorded).</summary>
    public bool IsOpen => Status is not (WorkOrderStatus.Closed or WorkOrderStatus.Voided or WorkOrderStatus.Recorded);

    /// <summary>Gets whether the order was completed on time for C-mode assessment (24 h from creation plus approved hold time).</summary>
    public bool CompletedOnTime => AssessmentRules.IsOnTime(Created, Completed, HeldTotal);

    /// <summary>Gets whether a clock is past its due time unmet (breach raised, still running).</summary>
    public bool IsOverdue => Clocks.Any(c => c.IsRunning && c.BreachRaised);

    /// <summary>The latest run of <paramref name="kind"/>, or <c>null</c> when the order has none.</summary>
    public Clock? Latest(ClockKind kind) => Clocks.LastOrDefault(c => c.Kind == kind);

    /// <summary>The moves the state machine allows from <paramref name="status"/>.</summary>
    public static IReadOnlyList<WorkOrderMove> AllowedFrom(WorkOrderStatus status) => Moves[status];

    /// <summary>The contract's name of a state, e.g. <c>ON_HOLD</c>.</summary>
    public static string StateName(WorkOrderStatus status) => UpperSnake().Replace(status.ToString(), "$1_$2").ToUpperInvariant();

    /// <summary>
    /// A new order accepted by a carrier desk and dispatched at once to <paramref name="party"/>, or stored RECORDED
    /// when it is a dissatisfaction record. Clocks start at <paramref name="now"/> (the dispatch), a fault's at the
    /// later of its discovery and dispatch, on-site arrival at the confirmed need.
    /// </summary>
    public static (WorkOrderState State, IReadOnlyList<OrderEvent> Events) Create(
        ClockRules.Subject subject, ResponsibleParty? party, Instant now, Instant? faultDiscovered, Instant? needConfirmed, bool isRepeat,
        BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var state = new WorkOrderState
        {
            Subject = subject,
            Party = party,
            Created = now,
            FaultDiscovered = faultDiscovered,
            NeedConfirmed = needConfirmed,
        };
        var events = new List<OrderEvent> { new(OrderEventType.Created, now) };
        if (subject.Kind == WorkOrderKind.DissatisfactionRecord)
        {
            state.Status = WorkOrderStatus.Recorded;
            state.Closed = now;
            state.SameDayNoticeDone = state.ThreeDayNoticeDone = true;
            return (state, events);
        }

        state.Status = WorkOrderStatus.Dispatched;
        state.Dispatched = now;
        state.StartClocks(now, now, calendar);
        if (isRepeat)
        {
            events.Add(new OrderEvent(OrderEventType.NoticeRepeatReport, now));
        }

        return (state, events);
    }

    /// <summary>
    /// A request that reached the SI directly, reported by it: ACKNOWLEDGED with clocks from the receipt, or RESOLVED
    /// with every clock met at the receipt when solved on first contact.
    /// </summary>
    public static (WorkOrderState State, IReadOnlyList<OrderEvent> Events) ReportDirect(
        ClockRules.Subject subject, ResponsibleParty party, Instant now, Instant received, bool solvedOnFirstContact, Instant? faultDiscovered,
        bool isRepeat, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var state = new WorkOrderState
        {
            Subject = subject,
            Party = party,
            Created = now,
            Dispatched = received,
            Acknowledged = received,
            FaultDiscovered = faultDiscovered,
            NeedConfirmed = received,
            Status = WorkOrderStatus.Acknowledged,
        };
        state.StartClocks(received, received, calendar);
        var events = new List<OrderEvent> { new(OrderEventType.Created, now) };
        if (solvedOnFirstContact)
        {
            foreach (var clock in state.Clocks)
            {
                clock.Met = received;
            }

            state.FirstReply = received;
            state.LastResolved = received;
            state.Completed = received;
            state.Status = WorkOrderStatus.Resolved;
        }

        if (isRepeat)
        {
            events.Add(new OrderEvent(OrderEventType.NoticeRepeatReport, now));
        }

        return (state, events);
    }

    /// <summary>AcknowledgeWorkOrder: DISPATCHED or RETURNED to ACKNOWLEDGED.</summary>
    public IReadOnlyList<OrderEvent> Acknowledge(Instant now)
    {
        Require(WorkOrderMove.AcknowledgeWorkOrder);
        Status = WorkOrderStatus.Acknowledged;
        Acknowledged = now;
        return [new OrderEvent(OrderEventType.Acknowledged, now)];
    }

    /// <summary>ReplyToWorkOrder: meets an unmet reply clock and ends an approved hold.</summary>
    public IReadOnlyList<OrderEvent> Reply(Instant now, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.ReplyToWorkOrder);
        var events = new List<OrderEvent>();
        EndHold(now, calendar, events);
        MeetAt(ClockKind.Reply, now);
        FirstReply ??= now;
        Status = WorkOrderStatus.Replied;
        events.Add(new OrderEvent(OrderEventType.Replied, now));
        return events;
    }

    /// <summary>
    /// RecordSiteVisit (on-site support): the first visit meets the arrival clock; an unsolved first visit starts the
    /// second-visit clock (3 working days from the first visit), which the next visit meets.
    /// </summary>
    public IReadOnlyList<OrderEvent> RecordSiteVisit(Instant now, Instant visitTime, bool solved, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.RecordSiteVisit);
        if (Subject.SupportType != TechnicalSupportType.OnSite || Subject.Kind != WorkOrderKind.TechnicalSupport)
        {
            throw Refuse(WorkOrderMove.RecordSiteVisit, "only on-site technical support records site visits.");
        }

        Visits.Add(new SiteVisitRecord(visitTime, solved));
        if (Visits.Count == 1)
        {
            MeetAt(ClockKind.Arrival, visitTime);
            if (!solved)
            {
                Clocks.Add(ClockRules.Start(ClockKind.SecondVisit, ClockRules.SecondVisit, visitTime, calendar));
            }
        }
        else
        {
            MeetAt(ClockKind.SecondVisit, visitTime);
        }

        return [new OrderEvent(OrderEventType.SiteVisited, now)];
    }

    /// <summary>RequestHold: a pending hold until <paramref name="end"/>; one at a time.</summary>
    public IReadOnlyList<OrderEvent> RequestHold(Instant now, Instant end)
    {
        Require(WorkOrderMove.RequestHold);
        if (Hold is { Pending: true })
        {
            throw Refuse(WorkOrderMove.RequestHold, "a hold request is already pending.");
        }

        Hold = new HoldState { RequestedEnd = end, Pending = true, StatusBefore = Status };
        return [new OrderEvent(OrderEventType.HoldRequested, now)];
    }

    /// <summary>DecideHold: approval pauses every running clock from now until the approved end (or the next reply or resolution).</summary>
    public IReadOnlyList<OrderEvent> DecideHold(Instant now, bool approve, Instant? earlierEnd)
    {
        Require(WorkOrderMove.DecideHold);
        if (Hold is not { Pending: true } hold)
        {
            throw Refuse(WorkOrderMove.DecideHold, "no hold request is pending.");
        }

        hold.Pending = false;
        hold.Approved = approve;
        if (approve)
        {
            hold.Start = now;
            hold.End = earlierEnd is { } end && end < hold.RequestedEnd ? end : hold.RequestedEnd;
            hold.StatusBefore = Status;
            Status = WorkOrderStatus.OnHold;
        }

        return [new OrderEvent(OrderEventType.HoldDecided, now)];
    }

    /// <summary>ResolveWorkOrder: meets every running clock (and an unmet reply), ends a hold, waits for a revisit.</summary>
    public IReadOnlyList<OrderEvent> Resolve(Instant now, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.ResolveWorkOrder);
        var events = new List<OrderEvent>();
        EndHold(now, calendar, events);
        foreach (var clock in Clocks.Where(c => c.IsRunning))
        {
            clock.Met = now;
        }

        FirstReply ??= now;
        LastResolved = now;
        Completed = now;
        Status = WorkOrderStatus.Resolved;
        events.Add(new OrderEvent(OrderEventType.Resolved, now));
        return events;
    }

    /// <summary>RequestReroute: the party asks the carrier to route the order elsewhere; it stays responsible meanwhile.</summary>
    public IReadOnlyList<OrderEvent> RequestReroute(Instant now)
    {
        Require(WorkOrderMove.RequestReroute);
        if (ReroutePending)
        {
            throw Refuse(WorkOrderMove.RequestReroute, "a reroute request is already pending.");
        }

        ReroutePending = true;
        return [new OrderEvent(OrderEventType.RerouteRequested, now)];
    }

    /// <summary>RerouteWorkOrder: the new party gets the order DISPATCHED with every clock of the kind starting now.</summary>
    public IReadOnlyList<OrderEvent> Reroute(Instant now, ResponsibleParty target, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(target);
        Require(WorkOrderMove.RerouteWorkOrder);
        var events = new List<OrderEvent>();
        EndHold(now, calendar, events);
        StopClocks(now);
        Party = target;
        Completed = null;
        Visits = [];
        ReroutePending = false;
        Hold = null;
        Status = WorkOrderStatus.Dispatched;
        Dispatched = now;
        NeedConfirmed = NeedConfirmed is null ? null : now;
        StartClocks(now, now, calendar);
        events.Add(new OrderEvent(OrderEventType.Rerouted, now));
        return events;
    }

    /// <summary>RecordRevisit: the three satisfied levels close the order; dissatisfied and very dissatisfied return it (Decision).</summary>
    public IReadOnlyList<OrderEvent> RecordRevisit(Instant now, Satisfaction satisfaction, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.RecordRevisit);
        var events = new List<OrderEvent> { new(OrderEventType.Revisited, now) };
        if (IsNotSatisfied(satisfaction))
        {
            events.AddRange(ReturnToParty(now, calendar));
        }
        else
        {
            CloseNow(now);
            events.Add(new OrderEvent(OrderEventType.Closed, now));
        }

        return events;
    }

    /// <summary>ReturnWorkOrder: back to the party with fresh reply and resolve clocks from now.</summary>
    public IReadOnlyList<OrderEvent> Return(Instant now, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.ReturnWorkOrder);
        return ReturnToParty(now, calendar);
    }

    /// <summary>CloseWorkOrder: closed by the carrier with a reason; a hold ends (its paused time counts) and running clocks stop.</summary>
    public IReadOnlyList<OrderEvent> Close(Instant now, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.CloseWorkOrder);
        var events = new List<OrderEvent>();
        EndHold(now, calendar, events);
        CloseNow(now);
        events.Add(new OrderEvent(OrderEventType.Closed, now));
        return events;
    }

    /// <summary>VoidWorkOrder: created in error; never counted; a hold ends and running clocks stop.</summary>
    public IReadOnlyList<OrderEvent> Void(Instant now, BusinessCalendar calendar)
    {
        Require(WorkOrderMove.VoidWorkOrder);
        var events = new List<OrderEvent>();
        EndHold(now, calendar, events);
        StopClocks(now);
        Status = WorkOrderStatus.Voided;
        Closed = now;
        events.Add(new OrderEvent(OrderEventType.Voided, now));
        return events;
    }

    /// <summary>AddNote: allowed in every state.</summary>
    public IReadOnlyList<OrderEvent> AddNote(Instant now)
    {
        Require(WorkOrderMove.AddNote);
        return [new OrderEvent(OrderEventType.NoteAdded, now)];
    }

    /// <summary>MarkMajor: complaints only, once.</summary>
    public IReadOnlyList<OrderEvent> MarkMajor(Instant now)
    {
        Require(WorkOrderMove.MarkMajor);
        if (Subject.Kind != WorkOrderKind.Complaint)
        {
            throw Refuse(WorkOrderMove.MarkMajor, "only a complaint can be marked major.");
        }

        if (Major)
        {
            throw Refuse(WorkOrderMove.MarkMajor, "the complaint is already major.");
        }

        Major = true;
        return [new OrderEvent(OrderEventType.MarkedMajor, now)];
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may see the order: an SI only the orders its partner is responsible for (others
    /// answer NOT_FOUND as if missing); every carrier role all orders.
    /// </summary>
    public static bool IsVisibleTo(Caller caller, string? responsiblePartnerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role != ClientRoles.Partner || (caller.PartnerId is not null && caller.PartnerId == responsiblePartnerId);
    }

    /// <summary>
    /// Checks that <paramref name="caller"/> works the order for the moves of the responsible party (acknowledge, reply,
    /// visit, hold request, resolve, reroute request): the SI of the responsible partner, or a carrier agent when the
    /// order is routed to a carrier department (rulebook section 4 Decision). Other moves are the carrier's and the
    /// access matrix decides them.
    /// </summary>
    public void CheckWorker(Caller caller, WorkOrderMove move)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (move is not (WorkOrderMove.AcknowledgeWorkOrder or WorkOrderMove.ReplyToWorkOrder or WorkOrderMove.RecordSiteVisit
            or WorkOrderMove.RequestHold or WorkOrderMove.ResolveWorkOrder or WorkOrderMove.RequestReroute))
        {
            return;
        }

        if (Party is { IsCarrierDepartment: true } && caller.Role != ClientRoles.CarrierDesk)
        {
            throw new NotResponsiblePartyException(Name, $"the order is routed to the carrier's {Party.Kind} department; a carrier agent works it.");
        }

        if (Party is { IsCarrierDepartment: false } && caller.Role != ClientRoles.Partner)
        {
            throw new NotResponsiblePartyException(Name, "the order is routed to a partner; its SI works it.");
        }
    }

    /// <summary>Whether a satisfaction level counts as not satisfied (Decision: the last two levels).</summary>
    public static bool IsNotSatisfied(Satisfaction satisfaction) => satisfaction is Satisfaction.Dissatisfied or Satisfaction.VeryDissatisfied;

    /// <summary>
    /// When the next automatic step of the order is due: a clock's warning or breach, a hold's end, an escalation notice
    /// or the automatic close; <c>null</c> when nothing more will happen by itself. The sweeper finds orders by this.
    /// </summary>
    public Instant? NextDue(LifecycleSettings settings) => PendingSteps(settings).Select(s => (Instant?)s.At).DefaultIfEmpty().Min();

    /// <summary>
    /// Runs the earliest automatic step due at or before <paramref name="upTo"/>, if any, and returns what happened (at
    /// the step's own time); an empty list when nothing is due. Each step is marked done in the state, so it happens once.
    /// </summary>
    public IReadOnlyList<OrderEvent> RunNextDue(Instant upTo, LifecycleSettings settings, BusinessCalendar calendar)
    {
        var step = PendingSteps(settings).Where(s => s.At <= upTo).OrderBy(s => s.At).ThenBy(s => s.Order).FirstOrDefault();
        if (step.Run is null)
        {
            return [];
        }

        var events = new List<OrderEvent>();
        step.Run(calendar, events);
        return [.. events.Select(e => e with { Automatic = true })];
    }

    /// <summary>
    /// Runs every automatic step due at or before <paramref name="now"/>, in time order. A move runs this first, so an
    /// order never misses a warning, notice or close because the sweeper had not reached it yet.
    /// </summary>
    public IReadOnlyList<OrderEvent> CatchUp(Instant now, LifecycleSettings settings, BusinessCalendar calendar)
    {
        var events = new List<OrderEvent>();
        for (var step = RunNextDue(now, settings, calendar); step.Count > 0; step = RunNextDue(now, settings, calendar))
        {
            events.AddRange(step);
        }

        return events;
    }

    /// <summary>Recomputes the due times of running provisional working-day clocks with a newly entered calendar.</summary>
    public IReadOnlyList<OrderEvent> RecomputeProvisional(Instant now, BusinessCalendar calendar)
    {
        var events = new List<OrderEvent>();
        foreach (var clock in Clocks.Where(c => c.IsRunning && c.Provisional && c.Limit.InWorkingDays))
        {
            var fresh = ClockRules.Start(clock.Kind, clock.Limit, clock.Start, calendar);
            var (due, provisional) = calendar.AddWorkingTime(fresh.Due, clock.PausedWorkingTime);
            provisional |= fresh.Provisional;
            if (due != clock.Due || provisional != clock.Provisional)
            {
                clock.Due = due;
                clock.Provisional = provisional;
                if (!clock.Warned)
                {
                    clock.WarnAt = calendar.AddWorkingTime(fresh.WarnAt, clock.PausedWorkingTime).At;
                }

                events.Add(new OrderEvent(OrderEventType.DeadlineRecomputed, now, clock.Kind));
            }
        }

        return events;
    }

    private IEnumerable<(Instant At, int Order, Action<BusinessCalendar, List<OrderEvent>> Run)> PendingSteps(LifecycleSettings settings)
    {
        if (!IsOpen)
        {
            yield break;
        }

        if (Status == WorkOrderStatus.OnHold && Hold is { End: { } holdEnd })
        {
            yield return (holdEnd, 0, (calendar, events) => EndHold(holdEnd, calendar, events));
        }
        else if (Status != WorkOrderStatus.Resolved)
        {
            foreach (var clock in Clocks.Where(c => c.IsRunning))
            {
                var c = clock;
                if (!c.Warned)
                {
                    yield return (c.WarnAt, 1, (_, events) =>
                    {
                        c.Warned = true;
                        events.Add(new OrderEvent(OrderEventType.DeadlineWarning, c.WarnAt, c.Kind));
                    });
                }
                else if (!c.BreachRaised)
                {
                    yield return (c.Due, 2, (_, events) =>
                    {
                        c.BreachRaised = true;
                        events.Add(new OrderEvent(OrderEventType.DeadlineBreached, c.Due, c.Kind));
                    });
                }
            }
        }

        if (!SameDayNoticeDone)
        {
            var midnight = BusinessCalendar.StartOf(BusinessCalendar.DateAt(Created).PlusDays(1));
            yield return (midnight, 3, (_, events) =>
            {
                SameDayNoticeDone = true;
                events.Add(new OrderEvent(OrderEventType.NoticeNotClosedSameDay, midnight));
            });
        }

        if (!ThreeDayNoticeDone)
        {
            var at = Created + Duration.FromHours(72);
            yield return (at, 4, (_, events) =>
            {
                ThreeDayNoticeDone = true;
                events.Add(new OrderEvent(OrderEventType.NoticeOpenAfter3Days, at));
            });
        }

        if (Status == WorkOrderStatus.Resolved && LastResolved is { } resolved)
        {
            var at = resolved + settings.AutoCloseAfter;
            yield return (at, 5, (_, events) =>
            {
                CloseNow(at);
                events.Add(new OrderEvent(OrderEventType.Closed, at));
            });
        }
    }

    private IReadOnlyList<OrderEvent> ReturnToParty(Instant now, BusinessCalendar calendar)
    {
        StopClocks(now);
        Completed = null;
        ReturnCount++;
        Status = WorkOrderStatus.Returned;
        Dispatched = now;
        foreach (var (kind, limit) in ClockRules.For(Subject).Where(c => c.Kind is ClockKind.Reply or ClockKind.Resolve))
        {
            Clocks.Add(ClockRules.Start(kind, limit, now, calendar));
        }

        return [new OrderEvent(OrderEventType.Returned, now)];
    }

    private void StartClocks(Instant dispatch, Instant receipt, BusinessCalendar calendar)
    {
        foreach (var (kind, limit) in ClockRules.For(Subject))
        {
            var start = kind switch
            {
                ClockKind.Reply when limit.InWorkingDays => receipt,
                ClockKind.Resolve when FaultDiscovered is { } discovered && discovered > dispatch => discovered,
                ClockKind.Arrival when NeedConfirmed is { } confirmed => confirmed,
                _ => dispatch,
            };
            Clocks.Add(ClockRules.Start(kind, limit, start, calendar));
        }
    }

    private void EndHold(Instant at, BusinessCalendar calendar, List<OrderEvent> events)
    {
        if (Status != WorkOrderStatus.OnHold || Hold is not { Start: { } start } hold)
        {
            return;
        }

        foreach (var clock in Clocks.Where(c => c.IsRunning))
        {
            ClockRules.Pause(clock, start, at, calendar);
        }

        hold.Ended = at;
        HeldTotal += at - start;
        Status = hold.StatusBefore;
        events.Add(new OrderEvent(OrderEventType.HoldEnded, at));
    }

    private void CloseNow(Instant now)
    {
        StopClocks(now);
        Status = WorkOrderStatus.Closed;
        Closed = now;
        Completed ??= now;
        if (BusinessCalendar.DateAt(now) == BusinessCalendar.DateAt(Created))
        {
            SameDayNoticeDone = true;
        }
    }

    private void StopClocks(Instant now)
    {
        foreach (var clock in Clocks.Where(c => c.IsRunning))
        {
            clock.Stopped = now;
        }
    }

    private void MeetAt(ClockKind kind, Instant at)
    {
        if (Latest(kind) is { IsRunning: true } clock)
        {
            clock.Met = at;
        }
    }

    private void Require(WorkOrderMove move)
    {
        if (!Moves[Status].Contains(move))
        {
            throw Refuse(move, $"the order is {StateName(Status)}.");
        }
    }

    private PreconditionFailedException Refuse(WorkOrderMove move, string why)
    {
        var allowed = string.Join(", ", Moves[Status]);
        return new PreconditionFailedException(
            ErrorReason.IllegalStateTransition,
            $"{move} is not allowed: {why} Allowed from {StateName(Status)}: {allowed}.",
            new PreconditionViolation("STATE", Name, $"The order is {StateName(Status)}; {move} is not allowed: {why} Allowed moves: {allowed}."));
    }

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex UpperSnake();
}
