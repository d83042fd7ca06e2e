using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>Which clock of a work order (rulebook section 3); numbers are the contract's <c>DeadlineClock</c>.</summary>
public enum ClockKind
{
    /// <summary>The reply clock.</summary>
    Reply = 1,

    /// <summary>The resolve clock.</summary>
    Resolve = 2,

    /// <summary>The on-site arrival clock.</summary>
    Arrival = 3,

    /// <summary>The on-site second-visit clock.</summary>
    SecondVisit = 4,
}

/// <summary>The limit of a clock: elapsed hours (partners serve 7x24) or working days on the business calendar.</summary>
/// <param name="Amount">How many hours or working days.</param>
/// <param name="InWorkingDays">Whether <paramref name="Amount"/> counts working days rather than hours.</param>
public sealed record ClockLimit(int Amount, bool InWorkingDays)
{
    /// <summary>An hour limit.</summary>
    public static ClockLimit Hours(int hours) => new(hours, false);

    /// <summary>A working-day limit.</summary>
    public static ClockLimit WorkingDays(int days) => new(days, true);

    /// <inheritdoc/>
    public override string ToString() => InWorkingDays ? $"{Amount} working day(s)" : $"{Amount} h";
}

/// <summary>
/// One run of a clock: started at <see cref="Start"/> with its <see cref="Limit"/>, due at <see cref="Due"/> (moved by
/// holds), met or not. A returned or rerouted order gets new runs; each run raises its warning and breach once.
/// </summary>
public sealed class Clock
{
    /// <summary>Gets or sets which clock.</summary>
    public ClockKind Kind { get; set; }

    /// <summary>Gets or sets the limit.</summary>
    public required ClockLimit Limit { get; set; }

    /// <summary>Gets or sets when the run started.</summary>
    public Instant Start { get; set; }

    /// <summary>Gets or sets when it expires, shifted by approved holds.</summary>
    public Instant Due { get; set; }

    /// <summary>Gets or sets whether <see cref="Due"/> was computed over days past the entered calendar.</summary>
    public bool Provisional { get; set; }

    /// <summary>Gets or sets when the clock was met; <c>null</c> while running.</summary>
    public Instant? Met { get; set; }

    /// <summary>Gets or sets when the clock stopped unmet (order closed, voided, rerouted or returned); <c>null</c> otherwise.</summary>
    public Instant? Stopped { get; set; }

    /// <summary>Gets or sets the total time approved holds paused it.</summary>
    public Duration Paused { get; set; }

    /// <summary>Gets or sets the working time approved holds paused it (working-day clocks), to recompute it on a new calendar.</summary>
    public Duration PausedWorkingTime { get; set; }

    /// <summary>Gets or sets whether its 50% warning was raised.</summary>
    public bool Warned { get; set; }

    /// <summary>Gets or sets whether its breach was raised (it passed <see cref="Due"/> unmet).</summary>
    public bool BreachRaised { get; set; }

    /// <summary>Gets whether the clock still runs (neither met nor stopped).</summary>
    public bool IsRunning => Met is null && Stopped is null;

    /// <summary>
    /// Gets or sets when 50% of the clock has passed: halfway from start to the first due time, moved by holds as the
    /// due time is.
    /// </summary>
    public Instant WarnAt { get; set; }

    /// <summary>Whether the clock is breached at <paramref name="now"/>: met after its due time, or still running past it.</summary>
    public bool IsBreachedAt(Instant now) => Met is { } met ? met > Due : (Stopped ?? now) > Due;
}

/// <summary>
/// Which clocks an order runs and their limits (rulebook section 3 and its Decisions):
/// <list type="bullet">
/// <item>enquiry, installation and training support: reply 12 h, resolve 24 h;</item>
/// <item>fault: resolve only, 12 h (general), 4 h (important), 2 h (severe), from the later of discovery and dispatch;</item>
/// <item>complaint: urgent reply 24 h, difficult reply 72 h, ordinary (and every direct complaint) reply 12 h and resolve 24 h;</item>
/// <item>on-site support: arrival 1 working day from the confirmed need; second visit 3 working days from an unsolved first visit;</item>
/// <item>a request received by e-mail or web (by the carrier or directly by the SI): the reply clock is 1 working day
/// from receipt instead of an hour clock. Our reading: this holds for every kind, so a fault received by e-mail gets a
/// reply clock beside its resolve clock.</item>
/// </list>
/// </summary>
public static class ClockRules
{
    /// <summary>The limit of the second on-site visit, from the first visit.</summary>
    public static readonly ClockLimit SecondVisit = ClockLimit.WorkingDays(3);

    /// <summary>What a new order needs to know to choose its clocks.</summary>
    /// <param name="Kind">The kind.</param>
    /// <param name="Severity">The fault severity (faults).</param>
    /// <param name="Urgency">The complaint urgency (complaints; direct complaints are ordinary).</param>
    /// <param name="SupportType">The technical-support type (technical support).</param>
    /// <param name="ReceivedInWriting">Whether it was received by e-mail or web.</param>
    public sealed record Subject(
        WorkOrderKind Kind, FaultSeverity? Severity, ComplaintUrgency? Urgency, TechnicalSupportType? SupportType, bool ReceivedInWriting);

    /// <summary>The clocks (and their limits) an order of <paramref name="subject"/> starts with, in a stable order.</summary>
    public static IReadOnlyList<(ClockKind Kind, ClockLimit Limit)> For(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var clocks = new List<(ClockKind, ClockLimit)>();
        switch (subject.Kind)
        {
            case WorkOrderKind.Enquiry:
            case WorkOrderKind.TechnicalSupport when subject.SupportType is not TechnicalSupportType.OnSite:
                clocks.Add((ClockKind.Reply, ClockLimit.Hours(12)));
                clocks.Add((ClockKind.Resolve, ClockLimit.Hours(24)));
                break;
            case WorkOrderKind.TechnicalSupport:
                clocks.Add((ClockKind.Arrival, ClockLimit.WorkingDays(1)));
                break;
            case WorkOrderKind.FaultReport:
                clocks.Add((ClockKind.Resolve, ClockLimit.Hours(subject.Severity switch
                {
                    FaultSeverity.Severe => 2,
                    FaultSeverity.Important => 4,
                    _ => 12,
                })));
                break;
            case WorkOrderKind.Complaint:
                switch (subject.Urgency)
                {
                    case ComplaintUrgency.Urgent:
                        clocks.Add((ClockKind.Reply, ClockLimit.Hours(24)));
                        break;
                    case ComplaintUrgency.Difficult:
                        clocks.Add((ClockKind.Reply, ClockLimit.Hours(72)));
                        break;
                    default:
                        clocks.Add((ClockKind.Reply, ClockLimit.Hours(12)));
                        clocks.Add((ClockKind.Resolve, ClockLimit.Hours(24)));
                        break;
                }

                break;
            case WorkOrderKind.DissatisfactionRecord:
                return clocks;
        }

        if (subject.ReceivedInWriting)
        {
            clocks.RemoveAll(c => c.Item1 == ClockKind.Reply);
            clocks.Insert(0, (ClockKind.Reply, ClockLimit.WorkingDays(1)));
        }

        return clocks;
    }

    /// <summary>A new run of a clock started at <paramref name="start"/>.</summary>
    public static Clock Start(ClockKind kind, ClockLimit limit, Instant start, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(calendar);
        var (due, provisional) = limit.InWorkingDays
            ? calendar.AddWorkingDays(start, limit.Amount)
            : (start + Duration.FromHours(limit.Amount), false);
        return new Clock { Kind = kind, Limit = limit, Start = start, Due = due, WarnAt = start + ((due - start) / 2), Provisional = provisional };
    }

    /// <summary>
    /// Moves a clock by a hold that paused it from <paramref name="from"/> to <paramref name="to"/> (Decision): an hour
    /// clock by the elapsed paused time; a working-day clock by the paused working time, counted forward from its due
    /// time over working days only.
    /// </summary>
    public static void Pause(Clock clock, Instant from, Instant to, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(calendar);
        if (to <= from)
        {
            return;
        }

        if (clock.Limit.InWorkingDays)
        {
            var workingTime = calendar.WorkingTimeBetween(from, to);
            var (due, provisional) = calendar.AddWorkingTime(clock.Due, workingTime);
            clock.PausedWorkingTime += workingTime;
            clock.Due = due;
            clock.Provisional |= provisional;
            if (!clock.Warned)
            {
                clock.WarnAt = calendar.AddWorkingTime(clock.WarnAt, workingTime).At;
            }
        }
        else
        {
            clock.Due += to - from;
            if (!clock.Warned)
            {
                clock.WarnAt += to - from;
            }
        }

        clock.Paused += to - from;
    }
}
