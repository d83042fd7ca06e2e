using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

public sealed class WorkOrderStateTests
{
    private static readonly BusinessCalendar Calendar = Calendar2026.Full;
    private static readonly LifecycleSettings Settings = LifecycleSettings.Default;
    private static readonly ResponsibleParty Si = new(ResponsiblePartyKind.ServiceIntegrator, "partners/si-1");
    private static readonly ResponsibleParty OtherSi = new(ResponsiblePartyKind.ServiceIntegrator, "partners/si-2");

    private static readonly ClockRules.Subject OrdinaryComplaint = new(WorkOrderKind.Complaint, null, ComplaintUrgency.Ordinary, null, false);
    private static readonly ClockRules.Subject OnSiteSupport = new(WorkOrderKind.TechnicalSupport, null, null, TechnicalSupportType.OnSite, false);

    /// <summary>Mon 2026-10-12 09:00 Asia/Shanghai, an ordinary working day.</summary>
    private static readonly Instant T0 = Calendar2026.Local(2026, 10, 12, 9, 0);

    private static Instant Local(int year, int month, int day, int hour = 0, int minute = 0) => Calendar2026.Local(year, month, day, hour, minute);

    private static Instant At(double hours) => T0 + Duration.FromMinutes(hours * 60);

    private static WorkOrderState Create(ClockRules.Subject subject, Instant? needConfirmed = null) =>
        WorkOrderState.Create(subject, Si, T0, null, needConfirmed, false, Calendar).State;

    private static (OrderEventType Type, Instant At, ClockKind? Clock)[] Tuples(IEnumerable<OrderEvent> events) =>
        events.Select(e => (e.Type, e.At, e.Clock)).ToArray();

    /// <summary>An order of <paramref name="subject"/> brought to <paramref name="status"/> by legal moves from T0.</summary>
    private static WorkOrderState Reach(WorkOrderStatus status, ClockRules.Subject subject)
    {
        if (status == WorkOrderStatus.Recorded)
        {
            return WorkOrderState.Create(subject with { Kind = WorkOrderKind.DissatisfactionRecord }, null, T0, null, null, false, Calendar).State;
        }

        var state = Create(subject);
        switch (status)
        {
            case WorkOrderStatus.Dispatched:
                break;
            case WorkOrderStatus.Acknowledged:
                state.Acknowledge(At(1));
                break;
            case WorkOrderStatus.Replied:
                state.Acknowledge(At(1));
                state.Reply(At(2), Calendar);
                break;
            case WorkOrderStatus.OnHold:
                state.Acknowledge(At(1));
                state.RequestHold(At(2), At(10));
                state.DecideHold(At(3), true, null);
                break;
            case WorkOrderStatus.Resolved:
                state.Acknowledge(At(1));
                state.Resolve(At(2), Calendar);
                break;
            case WorkOrderStatus.Returned:
                state.Acknowledge(At(1));
                state.Resolve(At(2), Calendar);
                state.Return(At(3), Calendar);
                break;
            case WorkOrderStatus.Closed:
                state.Close(At(1), Calendar);
                break;
            case WorkOrderStatus.Voided:
                state.Void(At(1), Calendar);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        Assert.Equal(status, state.Status);
        return state;
    }

    /// <summary>Makes <paramref name="move"/> with plausible arguments.</summary>
    private static IReadOnlyList<OrderEvent> Make(WorkOrderState state, WorkOrderMove move, Instant now) => move switch
    {
        WorkOrderMove.AcknowledgeWorkOrder => state.Acknowledge(now),
        WorkOrderMove.ReplyToWorkOrder => state.Reply(now, Calendar),
        WorkOrderMove.RecordSiteVisit => state.RecordSiteVisit(now, now, false, Calendar),
        WorkOrderMove.RequestHold => state.RequestHold(now, now + Duration.FromHours(4)),
        WorkOrderMove.DecideHold => state.DecideHold(now, true, null),
        WorkOrderMove.ResolveWorkOrder => state.Resolve(now, Calendar),
        WorkOrderMove.RequestReroute => state.RequestReroute(now),
        WorkOrderMove.RerouteWorkOrder => state.Reroute(now, OtherSi, Calendar),
        WorkOrderMove.RecordRevisit => state.RecordRevisit(now, Satisfaction.Satisfied, Calendar),
        WorkOrderMove.ReturnWorkOrder => state.Return(now, Calendar),
        WorkOrderMove.CloseWorkOrder => state.Close(now, Calendar),
        WorkOrderMove.VoidWorkOrder => state.Void(now, Calendar),
        WorkOrderMove.AddNote => state.AddNote(now),
        WorkOrderMove.MarkMajor => state.MarkMajor(now),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
    };

    /// <summary>Every property a move could change, as text, to compare before and after a refused move.</summary>
    private static string Snapshot(WorkOrderState s)
    {
        var clocks = string.Join(" | ", s.Clocks.Select(c =>
            $"{c.Kind} {c.Limit} {c.Start} {c.Due} {c.WarnAt} {c.Provisional} {c.Met} {c.Stopped} {c.Paused} {c.PausedWorkingTime} {c.Warned} {c.BreachRaised}"));
        var hold = s.Hold is { } h ? $"{h.RequestedEnd} {h.Pending} {h.Approved} {h.Start} {h.End} {h.Ended} {h.StatusBefore}" : "none";
        var visits = string.Join(",", s.Visits);
        return $"{s.Status} {s.Party} {s.Created} {s.Dispatched} {s.Acknowledged} {s.FirstReply} {s.LastResolved} {s.Closed} {s.FaultDiscovered} "
            + $"{s.NeedConfirmed} [{visits}] [{clocks}] [{hold}] {s.ReroutePending} {s.ReturnCount} {s.Major} {s.SameDayNoticeDone} {s.ThreeDayNoticeDone}";
    }

    /// <summary>Every (state, move) the state machine refuses: the complement of AllowedFrom over both enums.</summary>
    public static TheoryData<WorkOrderStatus, WorkOrderMove> IllegalMoves()
    {
        var data = new TheoryData<WorkOrderStatus, WorkOrderMove>();
        foreach (var status in Enum.GetValues<WorkOrderStatus>())
        {
            foreach (var move in Enum.GetValues<WorkOrderMove>().Except(WorkOrderState.AllowedFrom(status)))
            {
                data.Add(status, move);
            }
        }

        return data;
    }

    // Contract state machine (work_order_service.proto header): an illegal move gives FAILED_PRECONDITION.
    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void Move_IllegalFromState_ThrowsIllegalStateTransitionAndChangesNothing(WorkOrderStatus status, WorkOrderMove move)
    {
        var state = Reach(status, OnSiteSupport);
        var before = Snapshot(state);

        var error = Assert.Throws<PreconditionFailedException>(() => Make(state, move, At(5)));

        Assert.Equal(ErrorReason.IllegalStateTransition, error.Reason);
        Assert.Equal(before, Snapshot(state));
    }

    [Fact]
    public void IllegalMoves_Matrix_CoversEveryStateWithRefusedMoves()
    {
        var statuses = IllegalMoves().Select(row => (WorkOrderStatus)row[0]).Distinct().Order().ToArray();

        Assert.Equal(Enum.GetValues<WorkOrderStatus>(), statuses);
        Assert.Equal(72, IllegalMoves().Count());
    }

    // Contract state machine: the moves the header draws, from each state, to the state they lead to.
    [Theory]
    [InlineData(WorkOrderStatus.Dispatched, WorkOrderMove.AcknowledgeWorkOrder, WorkOrderStatus.Acknowledged)]
    [InlineData(WorkOrderStatus.Returned, WorkOrderMove.AcknowledgeWorkOrder, WorkOrderStatus.Acknowledged)]
    [InlineData(WorkOrderStatus.Acknowledged, WorkOrderMove.ReplyToWorkOrder, WorkOrderStatus.Replied)]
    [InlineData(WorkOrderStatus.OnHold, WorkOrderMove.ReplyToWorkOrder, WorkOrderStatus.Replied)]
    [InlineData(WorkOrderStatus.Acknowledged, WorkOrderMove.RecordSiteVisit, WorkOrderStatus.Acknowledged)]
    [InlineData(WorkOrderStatus.Replied, WorkOrderMove.RecordSiteVisit, WorkOrderStatus.Replied)]
    [InlineData(WorkOrderStatus.Acknowledged, WorkOrderMove.ResolveWorkOrder, WorkOrderStatus.Resolved)]
    [InlineData(WorkOrderStatus.Replied, WorkOrderMove.ResolveWorkOrder, WorkOrderStatus.Resolved)]
    [InlineData(WorkOrderStatus.OnHold, WorkOrderMove.ResolveWorkOrder, WorkOrderStatus.Resolved)]
    [InlineData(WorkOrderStatus.Resolved, WorkOrderMove.RecordRevisit, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Resolved, WorkOrderMove.ReturnWorkOrder, WorkOrderStatus.Returned)]
    [InlineData(WorkOrderStatus.Dispatched, WorkOrderMove.RerouteWorkOrder, WorkOrderStatus.Dispatched)]
    [InlineData(WorkOrderStatus.Acknowledged, WorkOrderMove.RerouteWorkOrder, WorkOrderStatus.Dispatched)]
    [InlineData(WorkOrderStatus.Replied, WorkOrderMove.RerouteWorkOrder, WorkOrderStatus.Dispatched)]
    [InlineData(WorkOrderStatus.OnHold, WorkOrderMove.RerouteWorkOrder, WorkOrderStatus.Dispatched)]
    [InlineData(WorkOrderStatus.Resolved, WorkOrderMove.RerouteWorkOrder, WorkOrderStatus.Dispatched)]
    [InlineData(WorkOrderStatus.Returned, WorkOrderMove.RerouteWorkOrder, WorkOrderStatus.Dispatched)]
    [InlineData(WorkOrderStatus.Dispatched, WorkOrderMove.CloseWorkOrder, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Acknowledged, WorkOrderMove.CloseWorkOrder, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Replied, WorkOrderMove.CloseWorkOrder, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.OnHold, WorkOrderMove.CloseWorkOrder, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Resolved, WorkOrderMove.CloseWorkOrder, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Returned, WorkOrderMove.CloseWorkOrder, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Dispatched, WorkOrderMove.VoidWorkOrder, WorkOrderStatus.Voided)]
    [InlineData(WorkOrderStatus.Acknowledged, WorkOrderMove.VoidWorkOrder, WorkOrderStatus.Voided)]
    [InlineData(WorkOrderStatus.Replied, WorkOrderMove.VoidWorkOrder, WorkOrderStatus.Voided)]
    [InlineData(WorkOrderStatus.OnHold, WorkOrderMove.VoidWorkOrder, WorkOrderStatus.Voided)]
    [InlineData(WorkOrderStatus.Resolved, WorkOrderMove.VoidWorkOrder, WorkOrderStatus.Voided)]
    [InlineData(WorkOrderStatus.Returned, WorkOrderMove.VoidWorkOrder, WorkOrderStatus.Voided)]
    [InlineData(WorkOrderStatus.Closed, WorkOrderMove.AddNote, WorkOrderStatus.Closed)]
    [InlineData(WorkOrderStatus.Recorded, WorkOrderMove.AddNote, WorkOrderStatus.Recorded)]
    public void Move_LegalFromState_LeadsToTheContractsState(WorkOrderStatus from, WorkOrderMove move, WorkOrderStatus expected)
    {
        var state = Reach(from, OnSiteSupport);

        Make(state, move, At(5));

        Assert.Equal(expected, state.Status);
    }

    [Fact]
    public void RequestAndDecideHold_FromReplied_OnHoldThenBackToRepliedAtItsEnd()
    {
        var state = Reach(WorkOrderStatus.Replied, OrdinaryComplaint);

        state.RequestHold(At(3), At(6));
        state.DecideHold(At(4), true, null);
        var onHold = state.Status;
        var events = state.RunNextDue(At(6), Settings, Calendar);

        Assert.Equal(WorkOrderStatus.OnHold, onHold);
        Assert.Equal([(OrderEventType.HoldEnded, At(6), null)], Tuples(events));
        Assert.Equal(WorkOrderStatus.Replied, state.Status);
    }

    // RULEBOOK section 4: an order may go back to the partner as many times as it takes; closed when satisfied.
    [Fact]
    public void Complaint_ReturnedTwiceThenSatisfied_ClosedWithTheWholeEventList()
    {
        var (state, created) = WorkOrderState.Create(OrdinaryComplaint, Si, T0, null, null, false, Calendar);
        var events = new List<OrderEvent>(created);

        events.AddRange(state.Acknowledge(At(1)));
        events.AddRange(state.Reply(At(2), Calendar));
        events.AddRange(state.Resolve(At(3), Calendar));
        events.AddRange(state.RecordRevisit(At(4), Satisfaction.Dissatisfied, Calendar));
        events.AddRange(state.Acknowledge(At(5)));
        events.AddRange(state.Resolve(At(6), Calendar));
        events.AddRange(state.Return(At(7), Calendar));
        events.AddRange(state.Acknowledge(At(8)));
        events.AddRange(state.Resolve(At(9), Calendar));
        events.AddRange(state.RecordRevisit(At(10), Satisfaction.BasicallySatisfied, Calendar));

        Assert.Equal(
            [
                (OrderEventType.Created, T0, null), (OrderEventType.Acknowledged, At(1), null), (OrderEventType.Replied, At(2), null),
                (OrderEventType.Resolved, At(3), null), (OrderEventType.Revisited, At(4), null), (OrderEventType.Returned, At(4), null),
                (OrderEventType.Acknowledged, At(5), null), (OrderEventType.Resolved, At(6), null), (OrderEventType.Returned, At(7), null),
                (OrderEventType.Acknowledged, At(8), null), (OrderEventType.Resolved, At(9), null), (OrderEventType.Revisited, At(10), null),
                (OrderEventType.Closed, At(10), null),
            ],
            Tuples(events));
        Assert.Equal((WorkOrderStatus.Closed, At(10), 2, At(9)), (state.Status, state.Closed!.Value, state.ReturnCount, state.LastResolved!.Value));
        Assert.Equal(
            [
                (ClockKind.Reply, T0, At(2)), (ClockKind.Resolve, T0, At(3)), // first run
                (ClockKind.Reply, At(4), At(6)), (ClockKind.Resolve, At(4), At(6)), // fresh clocks from the revisit's return
                (ClockKind.Reply, At(7), At(9)), (ClockKind.Resolve, At(7), At(9)), // fresh clocks from ReturnWorkOrder
            ],
            state.Clocks.Select(c => (c.Kind, c.Start, c.Met!.Value)).ToArray());
        Assert.Null(state.NextDue(Settings)); // closed on the day it arrived: no notice is left
    }

    [Theory]
    [InlineData(Satisfaction.VerySatisfied, WorkOrderStatus.Closed)]
    [InlineData(Satisfaction.Satisfied, WorkOrderStatus.Closed)]
    [InlineData(Satisfaction.BasicallySatisfied, WorkOrderStatus.Closed)]
    [InlineData(Satisfaction.Dissatisfied, WorkOrderStatus.Returned)] // Decision: the last two levels are "not satisfied"
    [InlineData(Satisfaction.VeryDissatisfied, WorkOrderStatus.Returned)]
    public void RecordRevisit_Satisfaction_ClosesOrReturns(Satisfaction satisfaction, WorkOrderStatus expected)
    {
        var state = Reach(WorkOrderStatus.Resolved, OrdinaryComplaint);

        state.RecordRevisit(At(5), satisfaction, Calendar);

        Assert.Equal(expected, state.Status);
    }

    [Fact]
    public void Return_UrgentComplaint_FreshReplyClockOnlyAndOldRunsKept()
    {
        var state = WorkOrderState.Create(OrdinaryComplaint with { Urgency = ComplaintUrgency.Urgent }, Si, T0, null, null, false, Calendar).State;
        state.Acknowledge(At(1));
        state.Resolve(At(30), Calendar); // met late: the breach stands

        state.Return(At(31), Calendar);

        Assert.Equal([(ClockKind.Reply, T0, At(24)), (ClockKind.Reply, At(31), At(55))], state.Clocks.Select(c => (c.Kind, c.Start, c.Due)).ToArray());
        Assert.True(state.Clocks[0].IsBreachedAt(At(31)));
        Assert.True(state.Clocks[1].IsRunning);
    }

    // RULEBOOK section 3 Decision (holds): an approved hold pauses every running clock from the approval to its end.
    [Fact]
    public void Hold_EndsAtItsEndTimeViaRunNextDue_ClocksMovedByThePausedTime()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        state.RequestHold(At(1), At(5));
        state.DecideHold(At(2), true, null);

        var nextDue = state.NextDue(Settings);
        var early = state.RunNextDue(At(4.9), Settings, Calendar);
        var events = state.RunNextDue(At(100), Settings, Calendar);

        Assert.Equal(At(5), nextDue);
        Assert.Empty(early);
        Assert.Equal([(OrderEventType.HoldEnded, At(5), null)], Tuples(events));
        Assert.Equal(WorkOrderStatus.Acknowledged, state.Status);
        Assert.Equal(At(5), state.Hold!.Ended);
        Assert.Equal(
            [(ClockKind.Reply, At(15), At(9), Duration.FromHours(3)), (ClockKind.Resolve, At(27), At(15), Duration.FromHours(3))],
            state.Clocks.Select(c => (c.Kind, c.Due, c.WarnAt, c.Paused)).ToArray());
        Assert.Equal(At(9), state.NextDue(Settings)); // the reply warning, moved by the hold
    }

    [Fact]
    public void DecideHold_EarlierEnd_HoldEndsAtTheEarlierTime()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        state.RequestHold(At(1), At(5));

        state.DecideHold(At(2), true, At(3));

        Assert.Equal((At(2), At(3)), (state.Hold!.Start!.Value, state.Hold.End!.Value));
        Assert.Equal(At(3), state.NextDue(Settings));
    }

    [Fact]
    public void DecideHold_Rejected_StateAndClocksUnchanged()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        state.RequestHold(At(1), At(5));

        var events = state.DecideHold(At(2), false, null);
        state.CatchUp(At(5), Settings, Calendar);

        Assert.Equal([(OrderEventType.HoldDecided, At(2), null)], Tuples(events));
        Assert.Equal((WorkOrderStatus.Acknowledged, false, At(12)), (state.Status, state.Hold!.Approved, state.Clocks[0].Due));
    }

    [Fact]
    public void DecideHold_NothingPending_Refused()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);

        var error = Assert.Throws<PreconditionFailedException>(() => state.DecideHold(At(2), true, null));

        Assert.Equal(ErrorReason.IllegalStateTransition, error.Reason);
    }

    [Fact]
    public void RequestHold_AlreadyPending_Refused()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        state.RequestHold(At(1), At(5));

        Assert.Throws<PreconditionFailedException>(() => state.RequestHold(At(2), At(6)));
    }

    [Fact]
    public void Hold_EndedByAReply_PausedUntilTheReplyAndReplyClockMet()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        state.RequestHold(At(1), At(10));
        state.DecideHold(At(2), true, null);

        var events = state.Reply(At(4), Calendar);

        Assert.Equal([(OrderEventType.HoldEnded, At(4), null), (OrderEventType.Replied, At(4), null)], Tuples(events));
        Assert.Equal((WorkOrderStatus.Replied, At(4)), (state.Status, state.Hold!.Ended!.Value));
        Assert.Equal(At(4), state.Latest(ClockKind.Reply)!.Met);
        Assert.Equal((At(26), Duration.FromHours(2), true), (state.Latest(ClockKind.Resolve)!.Due, state.Latest(ClockKind.Resolve)!.Paused, state.Latest(ClockKind.Resolve)!.IsRunning));
    }

    [Fact]
    public void Hold_EndedByAResolution_HoldEndedThenResolved()
    {
        var state = Reach(WorkOrderStatus.OnHold, OrdinaryComplaint); // hold approved at At(3)

        var events = state.Resolve(At(7), Calendar);

        Assert.Equal([(OrderEventType.HoldEnded, At(7), null), (OrderEventType.Resolved, At(7), null)], Tuples(events));
        Assert.All(state.Clocks, c => Assert.Equal((At(7), Duration.FromHours(4)), (c.Met!.Value, c.Paused)));
    }

    [Fact]
    public void Hold_WrittenRequestOverAWeekend_WorkingDayReplyClockNotMoved()
    {
        var friday = Local(2026, 10, 16, 10, 0);
        var state = WorkOrderState.Create(OrdinaryComplaint with { ReceivedInWriting = true }, Si, friday, null, null, false, Calendar).State;
        state.Acknowledge(friday);
        state.RequestHold(friday, Local(2026, 10, 19));
        state.CatchUp(Local(2026, 10, 17), Settings, Calendar); // as the service does before every move
        state.DecideHold(Local(2026, 10, 17), true, null); // approved Saturday 00:00

        state.CatchUp(Local(2026, 10, 19), Settings, Calendar);

        var reply = state.Latest(ClockKind.Reply)!;
        var resolve = state.Latest(ClockKind.Resolve)!;
        Assert.Equal((Local(2026, 10, 20), Duration.FromHours(48), Duration.Zero), (reply.Due, reply.Paused, reply.PausedWorkingTime));
        Assert.Equal(friday + Duration.FromHours(24 + 48), resolve.Due); // the hour clock moves by the whole 48 h
    }

    [Fact]
    public void Hold_ClocksNotWarnedWhileOnHold_WarningComesAfterTheHold()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        state.RequestHold(At(1), At(10));
        state.DecideHold(At(2), true, null); // reply warning was due at At(6)

        var events = state.CatchUp(At(14), Settings, Calendar);

        Assert.Equal(
            [(OrderEventType.HoldEnded, At(10), null), (OrderEventType.DeadlineWarning, At(14), ClockKind.Reply)],
            Tuples(events));
    }

    // RULEBOOK section 3 Decision: warnings at 50% and breaches at 100% once per clock run; notices once each.
    [Fact]
    public void CatchUp_UntouchedComplaint_WarningsBreachesAndNoticesOnceInTimeOrder()
    {
        var state = Create(OrdinaryComplaint);

        var events = state.CatchUp(At(80), Settings, Calendar);
        var again = state.CatchUp(At(200), Settings, Calendar);

        Assert.Equal(
            [
                (OrderEventType.DeadlineWarning, At(6), ClockKind.Reply),
                (OrderEventType.DeadlineWarning, At(12), ClockKind.Resolve),
                (OrderEventType.DeadlineBreached, At(12), ClockKind.Reply),
                (OrderEventType.NoticeNotClosedSameDay, Local(2026, 10, 13), null), // 24:00 of the creation day
                (OrderEventType.DeadlineBreached, At(24), ClockKind.Resolve),
                (OrderEventType.NoticeOpenAfter3Days, At(72), null),
            ],
            Tuples(events));
        Assert.Empty(again);
        Assert.Null(state.NextDue(Settings));
        Assert.True(state.IsOverdue);
    }

    [Fact]
    public void CatchUp_InSteps_SameEventsAsAtOnce()
    {
        var atOnce = Create(OrdinaryComplaint).CatchUp(At(80), Settings, Calendar);
        var state = Create(OrdinaryComplaint);

        var inSteps = new[] { 5, 6, 11.9, 12, 15, 23, 24, 71, 72, 80 }.SelectMany(h => state.CatchUp(At(h), Settings, Calendar)).ToArray();

        Assert.Equal(Tuples(atOnce), Tuples(inSteps));
    }

    [Fact]
    public void RunNextDue_OneStepAtATime_NextDueFollows()
    {
        var state = Create(OrdinaryComplaint);

        var first = state.NextDue(Settings);
        var events = state.RunNextDue(At(100), Settings, Calendar);
        var second = state.NextDue(Settings);

        Assert.Equal(At(6), first);
        Assert.Equal([(OrderEventType.DeadlineWarning, At(6), ClockKind.Reply)], Tuples(events));
        Assert.Equal(At(12), second);
    }

    [Fact]
    public void Create_Repeat_RepeatNoticeAtCreation()
    {
        var (_, events) = WorkOrderState.Create(OrdinaryComplaint, Si, T0, null, null, true, Calendar);

        Assert.Equal([(OrderEventType.Created, T0, null), (OrderEventType.NoticeRepeatReport, T0, null)], Tuples(events));
    }

    [Fact]
    public void Close_NextDay_SameDayNoticeAlreadyRaisedThreeDayNoticeNever()
    {
        var state = Create(OrdinaryComplaint);
        state.Acknowledge(At(1));
        state.Resolve(At(2), Calendar);
        var events = state.CatchUp(At(16), Settings, Calendar);

        state.RecordRevisit(At(16), Satisfaction.Satisfied, Calendar);

        Assert.Equal([(OrderEventType.NoticeNotClosedSameDay, Local(2026, 10, 13), null)], Tuples(events));
        Assert.Null(state.NextDue(Settings));
    }

    // RULEBOOK section 4 Decision: 7 x 24 h after its latest resolution, by the system, satisfaction unset.
    [Fact]
    public void CatchUp_ResolvedNeverRevisited_ClosedSevenDaysAfterTheLatestResolution()
    {
        var state = Create(OrdinaryComplaint);
        state.Acknowledge(At(1));
        state.Resolve(At(2), Calendar);
        state.Return(At(3), Calendar);
        state.Acknowledge(At(4));
        state.Resolve(At(5), Calendar);

        var before = state.CatchUp(At(5 + 168) - Duration.FromTicks(1), Settings, Calendar);
        var events = state.CatchUp(At(500), Settings, Calendar);

        Assert.Equal(
            [(OrderEventType.NoticeNotClosedSameDay, Local(2026, 10, 13), null), (OrderEventType.NoticeOpenAfter3Days, At(72), null)],
            Tuples(before));
        Assert.Equal([(OrderEventType.Closed, At(5 + 168), null)], Tuples(events));
        Assert.Equal((WorkOrderStatus.Closed, At(5 + 168)), (state.Status, state.Closed!.Value));
        Assert.Null(state.NextDue(Settings));
    }

    [Fact]
    public void NextDue_ResolvedCustomSetting_AutoCloseAfterTheConfiguredTime()
    {
        var state = Create(OrdinaryComplaint);
        state.Acknowledge(At(1));
        state.Resolve(At(2), Calendar);
        state.CatchUp(At(72), Settings, Calendar);

        var next = state.NextDue(new LifecycleSettings(Duration.FromDays(10)));

        Assert.Equal(At(2 + 240), next);
    }

    // RULEBOOK section 2: a dissatisfaction record is recorded, never dispatched.
    [Fact]
    public void Create_DissatisfactionRecord_RecordedWithNoClocks()
    {
        var subject = new ClockRules.Subject(WorkOrderKind.DissatisfactionRecord, null, null, null, false);

        var (state, events) = WorkOrderState.Create(subject, null, T0, null, null, false, Calendar);

        Assert.Equal((WorkOrderStatus.Recorded, false, T0), (state.Status, state.IsOpen, state.Closed!.Value));
        Assert.Empty(state.Clocks);
        Assert.Equal([(OrderEventType.Created, T0, null)], Tuples(events));
        Assert.Null(state.NextDue(Settings));
        Assert.Empty(state.CatchUp(At(500), Settings, Calendar));
    }

    // Contract ReportDirectRequest; RULEBOOK section 3: direct complaint reply/resolve 12 h / 24 h from customer contact.
    [Fact]
    public void ReportDirect_SolvedOnFirstContact_ResolvedWithClocksMetAtReceipt()
    {
        var received = At(-2);

        var (state, events) = WorkOrderState.ReportDirect(
            new ClockRules.Subject(WorkOrderKind.Complaint, null, null, null, false), Si, T0, received, true, null, false, Calendar);

        Assert.Equal(WorkOrderStatus.Resolved, state.Status);
        Assert.Equal((received, received), (state.FirstReply!.Value, state.LastResolved!.Value));
        Assert.Equal(
            [(ClockKind.Reply, received, received, false), (ClockKind.Resolve, received, received, false)],
            state.Clocks.Select(c => (c.Kind, c.Start, c.Met!.Value, c.IsBreachedAt(At(100)))).ToArray());
        Assert.Equal([(OrderEventType.Created, T0, null)], Tuples(events));
    }

    [Fact]
    public void ReportDirect_Unsolved_AcknowledgedWithClocksFromReceipt()
    {
        var received = At(-2);

        var (state, _) = WorkOrderState.ReportDirect(OrdinaryComplaint, Si, T0, received, false, null, false, Calendar);

        Assert.Equal((WorkOrderStatus.Acknowledged, received), (state.Status, state.Acknowledged!.Value));
        Assert.Equal([(ClockKind.Reply, At(10)), (ClockKind.Resolve, At(22))], state.Clocks.Select(c => (c.Kind, c.Due)).ToArray());
    }

    [Fact]
    public void ReportDirect_ByEmailBeforeNationalDay_ReplyDueEndOfOctober8()
    {
        var received = Local(2026, 9, 30, 10, 0);
        var subject = new ClockRules.Subject(WorkOrderKind.Enquiry, null, null, null, true);

        var (state, _) = WorkOrderState.ReportDirect(subject, Si, Local(2026, 9, 30, 11, 0), received, false, null, false, Calendar);

        Assert.Equal(
            [(ClockKind.Reply, Local(2026, 10, 9)), (ClockKind.Resolve, received + Duration.FromHours(24))],
            state.Clocks.Select(c => (c.Kind, c.Due)).ToArray());
    }

    // RULEBOOK section 3 Decisions: arrival 1 working day from the confirmed need; an unsolved first visit starts a
    // second visit within 3 working days; both visits recorded by the SI.
    [Fact]
    public void RecordSiteVisit_FirstUnsolvedThenSecond_ArrivalMetSecondVisitClockStartedAndMet()
    {
        var state = Create(OnSiteSupport, needConfirmed: T0);
        state.Acknowledge(At(1));
        var arrivalDue = state.Latest(ClockKind.Arrival)!.Due;

        var first = state.RecordSiteVisit(At(30), Local(2026, 10, 13, 14, 0), false, Calendar);
        var secondVisit = state.Latest(ClockKind.SecondVisit)!;
        var second = state.RecordSiteVisit(At(100), Local(2026, 10, 16, 9, 0), true, Calendar);

        Assert.Equal(Local(2026, 10, 14), arrivalDue); // end of Tue Oct 13
        Assert.Equal(Local(2026, 10, 13, 14, 0), state.Latest(ClockKind.Arrival)!.Met);
        Assert.Equal((Local(2026, 10, 13, 14, 0), Local(2026, 10, 17)), (secondVisit.Start, secondVisit.Due)); // Wed, Thu, Fri
        Assert.Equal(Local(2026, 10, 16, 9, 0), secondVisit.Met);
        Assert.Equal([(OrderEventType.SiteVisited, At(30), null)], Tuples(first));
        Assert.Equal([(OrderEventType.SiteVisited, At(100), null)], Tuples(second));
        Assert.Equal(WorkOrderStatus.Acknowledged, state.Status);
    }

    [Fact]
    public void RecordSiteVisit_FirstSolved_NoSecondVisitClock()
    {
        var state = Create(OnSiteSupport, needConfirmed: T0);
        state.Acknowledge(At(1));

        state.RecordSiteVisit(At(5), At(4), true, Calendar);

        Assert.Equal([ClockKind.Arrival], state.Clocks.Select(c => c.Kind).ToArray());
        Assert.Equal(At(4), state.Clocks[0].Met);
    }

    [Fact]
    public void RecordSiteVisit_UnsolvedBeforeTheNationalDayBreak_SecondVisitDueOnTheMakeUpSaturday()
    {
        var confirmed = Local(2026, 9, 29, 9, 0);
        var state = WorkOrderState.Create(OnSiteSupport, Si, confirmed, null, confirmed, false, Calendar).State;
        state.Acknowledge(confirmed);

        state.RecordSiteVisit(Local(2026, 9, 30, 10, 0), Local(2026, 9, 30, 10, 0), false, Calendar);

        Assert.Equal(Local(2026, 10, 11), state.Latest(ClockKind.SecondVisit)!.Due); // Oct 8, Oct 9, Sat Oct 10
    }

    [Fact]
    public void RecordSiteVisit_NotOnSiteSupport_RefusedAndNothingChanges()
    {
        var state = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        var before = Snapshot(state);

        var error = Assert.Throws<PreconditionFailedException>(() => state.RecordSiteVisit(At(5), At(5), false, Calendar));

        Assert.Equal(ErrorReason.IllegalStateTransition, error.Reason);
        Assert.Equal(before, Snapshot(state));
    }

    [Fact]
    public void Reply_OnSiteSupport_DoesNotMeetTheArrivalClock()
    {
        var state = Create(OnSiteSupport, needConfirmed: T0);
        state.Acknowledge(At(1));

        state.Reply(At(2), Calendar);

        Assert.True(state.Latest(ClockKind.Arrival)!.IsRunning);
    }

    // Fault: the resolve clock of its severity from discovery / dispatch (the later of the two).
    [Theory]
    [InlineData(FaultSeverity.Severe, -5, 0, 2)] // discovered before dispatch: from dispatch
    [InlineData(FaultSeverity.Important, 1, 1, 5)] // discovered after dispatch: from discovery
    [InlineData(FaultSeverity.General, null, 0, 12)]
    public void Create_Fault_ResolveClockFromTheLaterOfDiscoveryAndDispatch(FaultSeverity severity, int? discoveredHour, int startHour, int dueHour)
    {
        var subject = new ClockRules.Subject(WorkOrderKind.FaultReport, severity, null, null, false);
        Instant? discovered = discoveredHour is { } h ? At(h) : null;

        var state = WorkOrderState.Create(subject, Si, T0, discovered, null, false, Calendar).State;

        Assert.Equal([(ClockKind.Resolve, At(startHour), At(dueHour))], state.Clocks.Select(c => (c.Kind, c.Start, c.Due)).ToArray());
    }

    // Contract RerouteWorkOrder: the new party gets the order DISPATCHED with every clock of the kind starting afresh.
    [Fact]
    public void Reroute_Replied_OldRunsStoppedFreshClocksFromTheReroute()
    {
        var state = Reach(WorkOrderStatus.Replied, OrdinaryComplaint); // replied at At(2)
        state.RequestReroute(At(3));

        var events = state.Reroute(At(5), OtherSi, Calendar);

        Assert.Equal([(OrderEventType.Rerouted, At(5), null)], Tuples(events));
        Assert.Equal((WorkOrderStatus.Dispatched, OtherSi, At(5), false), (state.Status, state.Party, state.Dispatched!.Value, state.ReroutePending));
        Assert.Equal(
            [
                (ClockKind.Reply, T0, (Instant?)At(2), (Instant?)null, At(12)),
                (ClockKind.Resolve, T0, null, At(5), At(24)),
                (ClockKind.Reply, At(5), null, null, At(17)),
                (ClockKind.Resolve, At(5), null, null, At(29)),
            ],
            state.Clocks.Select(c => (c.Kind, c.Start, c.Met, c.Stopped, c.Due)).ToArray());
    }

    [Fact]
    public void Reroute_OnHold_HoldEndedThenRerouted()
    {
        var state = Reach(WorkOrderStatus.OnHold, OrdinaryComplaint); // approved at At(3)

        var events = state.Reroute(At(5), OtherSi, Calendar);

        Assert.Equal([(OrderEventType.HoldEnded, At(5), null), (OrderEventType.Rerouted, At(5), null)], Tuples(events));
        Assert.Null(state.Hold);
        Assert.Equal(4, state.Clocks.Count);
    }

    [Fact]
    public void Reroute_Fault_ResolveClockRestartsAtTheReroute()
    {
        var subject = new ClockRules.Subject(WorkOrderKind.FaultReport, FaultSeverity.Severe, null, null, false);
        var state = WorkOrderState.Create(subject, Si, T0, At(-1), null, false, Calendar).State;

        state.Reroute(At(1), OtherSi, Calendar);

        Assert.Equal((At(1), At(3)), (state.Clocks[^1].Start, state.Clocks[^1].Due));
    }

    [Fact]
    public void Reroute_OnSiteSupport_ArrivalRestartsAtTheReroute()
    {
        var state = Create(OnSiteSupport, needConfirmed: T0);

        state.Reroute(At(1), OtherSi, Calendar);

        Assert.Equal((At(1), Local(2026, 10, 14), true), (state.Clocks[^1].Start, state.Clocks[^1].Due, state.Clocks[^1].IsRunning));
        Assert.Equal(At(1), state.Clocks[0].Stopped);
    }

    [Fact]
    public void Reroute_OnSiteSupportAfterAVisit_NewPartysFirstVisitMeetsTheFreshArrivalClock()
    {
        var state = Create(OnSiteSupport, needConfirmed: T0);
        state.Acknowledge(At(1));
        state.RecordSiteVisit(At(3), At(3), false, Calendar);
        state.Reroute(At(5), OtherSi, Calendar);
        state.Acknowledge(At(6));

        state.RecordSiteVisit(At(8), At(8), false, Calendar);

        Assert.Equal(At(8), state.Latest(ClockKind.Arrival)!.Met);
    }

    [Fact]
    public void Close_OnHold_HoldEndsAndPausedTimeCounts()
    {
        var state = Reach(WorkOrderStatus.OnHold, OrdinaryComplaint); // hold approved at At(3), reply due At(12)

        var events = state.Close(At(15), Calendar);

        Assert.Equal([(OrderEventType.HoldEnded, At(15), null), (OrderEventType.Closed, At(15), null)], Tuples(events));
        Assert.Equal(At(15), state.Hold!.Ended);
        Assert.False(state.Latest(ClockKind.Reply)!.IsBreachedAt(At(15))); // 12 h paused: due At(24)
    }

    // RULEBOOK appendix Decision: a provisional deadline is recomputed when the year is entered.
    [Fact]
    public void RecomputeProvisional_YearEntered_DueRecomputedOnceWithAnEvent()
    {
        var partial = Calendar2026.Through(new LocalDate(2026, 10, 9));
        var received = Local(2026, 10, 9, 10, 0);
        var subject = new ClockRules.Subject(WorkOrderKind.Enquiry, null, null, null, true);
        var state = WorkOrderState.Create(subject, Si, received, null, null, false, partial).State;
        var provisional = (state.Clocks[0].Due, state.Clocks[0].Provisional);

        var events = state.RecomputeProvisional(At(0), Calendar);
        var again = state.RecomputeProvisional(At(1), Calendar);

        Assert.Equal((Local(2026, 10, 13), true), provisional); // Sat Oct 10 unknown: skipped as a weekend day
        Assert.Equal([(OrderEventType.DeadlineRecomputed, At(0), ClockKind.Reply)], Tuples(events));
        Assert.Equal((Local(2026, 10, 11), false), (state.Clocks[0].Due, state.Clocks[0].Provisional)); // make-up Sat Oct 10
        Assert.Equal(received + ((Local(2026, 10, 11) - received) / 2), state.Clocks[0].WarnAt);
        Assert.Empty(again);
    }

    [Fact]
    public void RecomputeProvisional_StillPastTheCalendar_NoEvent()
    {
        var partial = Calendar2026.Through(new LocalDate(2026, 10, 9));
        var subject = new ClockRules.Subject(WorkOrderKind.Enquiry, null, null, null, true);
        var state = WorkOrderState.Create(subject, Si, Local(2026, 10, 9, 10, 0), null, null, false, partial).State;

        var events = state.RecomputeProvisional(At(0), partial);

        Assert.Empty(events);
        Assert.True(state.Clocks[0].Provisional);
    }

    [Fact]
    public void RecomputeProvisional_PausedClock_WarningKeepsTheHoldsShift()
    {
        var partial = Calendar2026.Through(new LocalDate(2026, 10, 9));
        var received = Local(2026, 10, 9, 10, 0);
        var subject = new ClockRules.Subject(WorkOrderKind.Enquiry, null, null, null, true);
        var state = WorkOrderState.Create(subject, Si, received, null, null, false, partial).State;
        state.Acknowledge(received);
        state.RequestHold(received, Local(2026, 10, 9, 14, 0));
        state.DecideHold(Local(2026, 10, 9, 12, 0), true, null);
        state.RunNextDue(Local(2026, 10, 9, 14, 0), Settings, partial); // 2 h of working time paused
        var expected = ClockRules.Start(ClockKind.Reply, ClockLimit.WorkingDays(1), received, Calendar);
        ClockRules.Pause(expected, Local(2026, 10, 9, 12, 0), Local(2026, 10, 9, 14, 0), Calendar);

        state.RecomputeProvisional(Local(2026, 10, 9, 15, 0), Calendar);

        Assert.Equal((expected.Due, expected.WarnAt), (state.Latest(ClockKind.Reply)!.Due, state.Latest(ClockKind.Reply)!.WarnAt));
    }

    [Fact]
    public void StateName_Status_ContractName()
    {
        Assert.Equal(["DISPATCHED", "ON_HOLD", "RECORDED"], new[] { WorkOrderStatus.Dispatched, WorkOrderStatus.OnHold, WorkOrderStatus.Recorded }.Select(WorkOrderState.StateName));
    }

    [Fact]
    public void MarkMajor_NotAComplaintOrTwice_Refused()
    {
        var support = Reach(WorkOrderStatus.Acknowledged, OnSiteSupport);
        var complaint = Reach(WorkOrderStatus.Acknowledged, OrdinaryComplaint);
        complaint.MarkMajor(At(2));

        Assert.Throws<PreconditionFailedException>(() => support.MarkMajor(At(3)));
        Assert.Throws<PreconditionFailedException>(() => complaint.MarkMajor(At(3)));
        Assert.True(complaint.Major);
    }
}
