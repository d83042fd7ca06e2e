using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

/// <summary>An order's final completion and approved hold time, the inputs of C-mode on-time completion (RULEBOOK section 5 Decisions).</summary>
public sealed class WorkOrderCompletionTests
{
    private static readonly BusinessCalendar Calendar = Calendar2026.Full;
    private static readonly LifecycleSettings Settings = LifecycleSettings.Default;
    private static readonly ResponsibleParty Si = new(ResponsiblePartyKind.ServiceIntegrator, "partners/si-1");
    private static readonly ResponsibleParty OtherSi = new(ResponsiblePartyKind.ServiceIntegrator, "partners/si-2");
    private static readonly ClockRules.Subject OrdinaryComplaint = new(WorkOrderKind.Complaint, null, ComplaintUrgency.Ordinary, null, false);

    /// <summary>Mon 2026-10-12 09:00 Asia/Shanghai, an ordinary working day.</summary>
    private static readonly Instant T0 = Calendar2026.Local(2026, 10, 12, 9, 0);

    private static Instant At(double hours) => T0 + Duration.FromMinutes(hours * 60);

    /// <summary>A complaint created at T0 and acknowledged at 1 h.</summary>
    private static WorkOrderState Acknowledged()
    {
        var state = WorkOrderState.Create(OrdinaryComplaint, Si, T0, null, null, false, Calendar).State;
        state.Acknowledge(At(1));
        return state;
    }

    /// <summary>A complaint acknowledged at 1 h and on an approved hold from 2 h to 6 h, the hold ended at its end (4 h held).</summary>
    private static WorkOrderState AfterFourHourHold()
    {
        var state = Acknowledged();
        state.RequestHold(At(1.5), At(6));
        state.DecideHold(At(2), true, null);
        state.CatchUp(At(6), Settings, Calendar);
        Assert.Equal(WorkOrderStatus.Acknowledged, state.Status);
        return state;
    }

    // RULEBOOK section 5 Decision: "Completed" = resolved and not later returned.
    [Fact]
    public void Resolve_Acknowledged_CompletedAtTheResolution()
    {
        var state = Acknowledged();

        state.Resolve(At(2), Calendar);

        Assert.Equal(At(2), state.Completed);
    }

    [Fact]
    public void Create_Open_NotCompleted()
    {
        var state = Acknowledged();

        Assert.Equal((null, false), (state.Completed, state.CompletedOnTime));
    }

    // RULEBOOK section 5 Decision: a returned complaint is completed only when its final resolution is accepted.
    [Theory]
    [InlineData(WorkOrderMove.ReturnWorkOrder)]
    [InlineData(WorkOrderMove.RecordRevisit)] // dissatisfied: returned
    [InlineData(WorkOrderMove.RerouteWorkOrder)]
    public void Move_AfterResolution_ClearsCompleted(WorkOrderMove move)
    {
        var state = Acknowledged();
        state.Resolve(At(2), Calendar);

        _ = move switch
        {
            WorkOrderMove.ReturnWorkOrder => state.Return(At(3), Calendar),
            WorkOrderMove.RecordRevisit => state.RecordRevisit(At(3), Satisfaction.Dissatisfied, Calendar),
            _ => state.Reroute(At(3), OtherSi, Calendar),
        };

        Assert.Equal((null, false), (state.Completed, state.CompletedOnTime));
    }

    [Fact]
    public void Resolve_AfterAReturn_CompletedAtTheFinalResolution()
    {
        var state = Acknowledged();
        state.Resolve(At(2), Calendar);
        state.Return(At(3), Calendar);
        state.Acknowledge(At(4));

        state.Resolve(At(30), Calendar);

        Assert.Equal((At(30), false), (state.Completed!.Value, state.CompletedOnTime)); // 30 h after creation: late
    }

    // RULEBOOK section 5 Decision: one the carrier closed without a resolution completes at its close time.
    [Theory]
    [InlineData(false)] // closed while acknowledged
    [InlineData(true)] // resolved, returned, then closed without a new resolution
    public void Close_WithoutResolution_CompletedAtTheClose(bool returnedFirst)
    {
        var state = Acknowledged();
        if (returnedFirst)
        {
            state.Resolve(At(2), Calendar);
            state.Return(At(3), Calendar);
        }

        state.Close(At(5), Calendar);

        Assert.Equal((At(5), true), (state.Completed!.Value, state.CompletedOnTime));
    }

    [Fact]
    public void Close_DispatchedLate_CompletedAtTheCloseNotOnTime()
    {
        var state = WorkOrderState.Create(OrdinaryComplaint, Si, T0, null, null, false, Calendar).State;

        state.Close(At(30), Calendar);

        Assert.Equal((At(30), false), (state.Completed!.Value, state.CompletedOnTime));
    }

    // A close after a resolution keeps the resolution as the completion: satisfied revisit, carrier close, automatic close.
    [Theory]
    [InlineData(WorkOrderMove.RecordRevisit)]
    [InlineData(WorkOrderMove.CloseWorkOrder)]
    [InlineData(null)] // the automatic close 7 x 24 h after the resolution
    public void Close_AfterResolution_CompletedStaysAtTheResolution(WorkOrderMove? move)
    {
        var state = Acknowledged();
        state.Resolve(At(2), Calendar);

        _ = move switch
        {
            WorkOrderMove.RecordRevisit => state.RecordRevisit(At(40), Satisfaction.Satisfied, Calendar),
            WorkOrderMove.CloseWorkOrder => state.Close(At(40), Calendar),
            _ => state.CatchUp(At(2 + (7 * 24)), Settings, Calendar),
        };

        Assert.Equal((WorkOrderStatus.Closed, At(2), true), (state.Status, state.Completed!.Value, state.CompletedOnTime));
    }

    // RULEBOOK section 3 Decision: an approved hold pauses from the approval until its end, or the next reply or resolution.
    [Fact]
    public void HeldTotal_HoldEndedAtItsEnd_TheApprovedTime()
    {
        var state = AfterFourHourHold();

        Assert.Equal(Duration.FromHours(4), state.HeldTotal);
    }

    [Theory]
    [InlineData(WorkOrderMove.ReplyToWorkOrder)]
    [InlineData(WorkOrderMove.ResolveWorkOrder)]
    [InlineData(WorkOrderMove.CloseWorkOrder)]
    public void HeldTotal_SecondHoldEndedByAMove_Accumulates(WorkOrderMove move)
    {
        var state = AfterFourHourHold();
        state.RequestHold(At(7), At(20));
        state.DecideHold(At(8), true, null);

        _ = move switch
        {
            WorkOrderMove.ReplyToWorkOrder => state.Reply(At(10), Calendar),
            WorkOrderMove.ResolveWorkOrder => state.Resolve(At(10), Calendar),
            _ => state.Close(At(10), Calendar),
        };

        Assert.Equal(Duration.FromHours(6), state.HeldTotal); // 4 h + 2 h
    }

    [Fact]
    public void HeldTotal_HoldRejectedOrPending_Zero()
    {
        var state = Acknowledged();
        state.RequestHold(At(1.5), At(6));
        state.DecideHold(At(2), false, null);
        state.RequestHold(At(3), At(9));

        state.Resolve(At(10), Calendar);

        Assert.Equal(Duration.Zero, state.HeldTotal);
    }

    [Fact]
    public void HeldTotal_HoldStillRunning_NotCountedYet()
    {
        var state = Acknowledged();
        state.RequestHold(At(1.5), At(6));
        state.DecideHold(At(2), true, null);

        state.CatchUp(At(4), Settings, Calendar);

        Assert.Equal((WorkOrderStatus.OnHold, Duration.Zero), (state.Status, state.HeldTotal));
    }

    // RULEBOOK section 5 Decision: on time = final resolution within 24 h of creation plus any approved hold time.
    [Theory]
    [InlineData(86_400L, false, true)] // 24 h exactly
    [InlineData(86_401L, false, false)] // 24 h + 1 s
    [InlineData(100_800L, true, true)] // 4 h held: 28 h exactly
    [InlineData(100_801L, true, false)] // 4 h held: 28 h + 1 s
    public void CompletedOnTime_ResolvedAfter_WithinTwentyFourHoursPlusHeld(long resolvedAfterSeconds, bool withHold, bool expected)
    {
        var state = withHold ? AfterFourHourHold() : Acknowledged();

        state.Resolve(T0 + Duration.FromSeconds(resolvedAfterSeconds), Calendar);

        Assert.Equal(expected, state.CompletedOnTime);
    }
}
