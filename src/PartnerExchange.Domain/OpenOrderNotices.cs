using NodaTime;

namespace PartnerExchange.Domain;

/// <summary>Why an order is on the daily open-orders notice; numbers are the contract's <c>NoticeType</c>.</summary>
public enum NoticeType
{
    /// <summary>The latest reply deadline passed without a reply.</summary>
    ReplyOverdue = 1,

    /// <summary>A reroute request awaits the carrier, or on-site support awaits its second visit.</summary>
    SecondLineSupport = 2,

    /// <summary>Its creation day ended with it open.</summary>
    NotClosedSameDay = 3,

    /// <summary>The latest revisit was not satisfied (which returned it).</summary>
    CustomerDisagrees = 4,

    /// <summary>Open 72 h after creation.</summary>
    NotClosedInThreeDays = 5,

    /// <summary>A repeat complaint.</summary>
    RepeatReport = 6,
}

/// <summary>What the notice needs to know of one order as it stood at the notice's instant.</summary>
/// <param name="Created">When the order was created (the notices' clocks start here, as the escalation events' do).</param>
/// <param name="IsRepeat">Whether it is a repeat complaint.</param>
/// <param name="Status">Its state then.</param>
/// <param name="ReplyDue">When its latest reply clock was due; <c>null</c> when it has none.</param>
/// <param name="ReplyMet">Whether that reply clock was met.</param>
/// <param name="ReplyBreachRaised">Whether that reply clock's breach was raised (or it was read as breached).</param>
/// <param name="LatestSatisfaction">The satisfaction of its latest revisit; <c>null</c> before any.</param>
/// <param name="ReroutePending">Whether the partner's reroute request awaits the carrier.</param>
/// <param name="SecondVisitPending">Whether on-site support's second visit is still due (first visit did not solve it).</param>
public sealed record OpenOrderFacts(
    Instant Created, bool IsRepeat, WorkOrderStatus Status, Instant? ReplyDue, bool ReplyMet, bool ReplyBreachRaised, Satisfaction? LatestSatisfaction,
    bool ReroutePending, bool SecondVisitPending);

/// <summary>The notice types of the daily open-orders notice (rulebook section 8 and the escalation Decisions of section 3).</summary>
public static class OpenOrderNotices
{
    /// <summary>
    /// The reasons an order open at <paramref name="at"/> is on the notice, in <see cref="NoticeType"/> order; empty when
    /// it has none (it is then left off). Readings: "not closed same day" once the creation day (Asia/Shanghai) ended,
    /// "not closed in 3 days" from 72 h after creation, as the escalation events; "reply overdue" while the latest reply
    /// clock is unmet and past due (or its breach was raised), not while on hold or resolved; "customer disagrees" while
    /// the latest revisit is dissatisfied or very dissatisfied; "second-line support" while a reroute request awaits the
    /// carrier or a second on-site visit is due; "repeat report" for a repeat complaint.
    /// </summary>
    public static IReadOnlyList<NoticeType> At(OpenOrderFacts order, Instant at)
    {
        ArgumentNullException.ThrowIfNull(order);
        var types = new List<NoticeType>();
        var working = order.Status is not (WorkOrderStatus.OnHold or WorkOrderStatus.Resolved);
        if (order.ReplyDue is { } due && !order.ReplyMet && (order.ReplyBreachRaised || (working && due < at)))
        {
            types.Add(NoticeType.ReplyOverdue);
        }

        if (order.ReroutePending || order.SecondVisitPending)
        {
            types.Add(NoticeType.SecondLineSupport);
        }

        if (BusinessCalendar.StartOf(BusinessCalendar.DateAt(order.Created).PlusDays(1)) <= at)
        {
            types.Add(NoticeType.NotClosedSameDay);
        }

        if (order.LatestSatisfaction is { } satisfaction && WorkOrderState.IsNotSatisfied(satisfaction))
        {
            types.Add(NoticeType.CustomerDisagrees);
        }

        if (order.Created + Duration.FromHours(72) <= at)
        {
            types.Add(NoticeType.NotClosedInThreeDays);
        }

        if (order.IsRepeat)
        {
            types.Add(NoticeType.RepeatReport);
        }

        return types;
    }

    /// <summary>
    /// The instant a day's notice is judged at: the end of <paramref name="date"/> (24:00 Asia/Shanghai) for a past day,
    /// <paramref name="now"/> for today; <c>null</c> for a day in the future.
    /// </summary>
    public static Instant? JudgedAt(LocalDate date, Instant now)
    {
        var today = BusinessCalendar.DateAt(now);
        return date > today ? null : date == today ? now : BusinessCalendar.StartOf(date.PlusDays(1));
    }
}
