using NodaTime;
using PartnerExchange.Contracts.V1;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>The field checks of the report requests, and the conversions between the contract's figures and the Domain's.</summary>
internal static class ReportRequests
{
    /// <summary>The longest user-problem analysis, in characters.</summary>
    public const int AnalysisLength = 20000;

    /// <summary>The most work orders either list of a report may name.</summary>
    public const int MaxListed = 10000;

    /// <summary>The work orders a report lists: the unfinished ones and the complaints with their list index.</summary>
    public sealed record ListedOrders(IReadOnlyList<long> Unfinished, IReadOnlyList<(long Id, int Index)> Complaints);

    /// <summary>The month of <paramref name="period"/>, required and ended by <paramref name="now"/>, or <c>null</c> with a violation.</summary>
    public static D.ReportPeriod? EndedMonth(Contracts.V1.YearMonth? period, string field, Instant now, List<D.FieldViolation> violations)
    {
        if (period is null)
        {
            violations.Add(new D.FieldViolation(field, "is required."));
            return null;
        }

        if (D.ReportNames.ReadMonth(period.Year, period.Month) is not { } month)
        {
            violations.Add(new D.FieldViolation(field, "must be a month of the years 2000 to 9999 (month 1 to 12)."));
            return null;
        }

        if (month.End > now)
        {
            violations.Add(new D.FieldViolation(field, $"must have ended; {month.Key} ends at 24:00 Asia/Shanghai on its last day."));
        }

        return month;
    }

    /// <summary>Checks the report of a submission: the SI's figures, the analysis and both lists of work orders.</summary>
    public static ListedOrders CheckReport(ServiceAnalysisReport? report, List<D.FieldViolation> violations)
    {
        if (report is null)
        {
            violations.Add(new D.FieldViolation("report", "is required."));
            return new ListedOrders([], []);
        }

        CheckFigures(report.SiFigures, "report.si_figures", violations);
        D.Requests.CheckText(report.UserProblemAnalysis, "report.user_problem_analysis", AnalysisLength, required: true, violations);
        var unfinished = CheckList(report.UnfinishedWorkOrders, "report.unfinished_work_orders", violations);
        var complaints = CheckList(report.ComplaintWorkOrders, "report.complaint_work_orders", violations);
        return new ListedOrders(unfinished.Select(l => l.Id).ToList(), complaints);
    }

    /// <summary>
    /// Refuses a report for a partner that cannot report or a month whose report window ended: the platform operator
    /// (never assessed, rulebook section 1), a cancelled partner, and a month more than <paramref name="windowMonths"/>
    /// months past (FAILED_PRECONDITION MONTH_CLOSED).
    /// </summary>
    public static void CheckMayReport(Data.Entities.Partner partner, string name, D.ReportPeriod month, Instant now, int windowMonths)
    {
        if (partner.Kind == D.PartnerKind.PlatformOperator)
        {
            throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{name} is the platform operator, which makes no service analysis report.",
                new D.PreconditionViolation("PARTNER_KIND", name, "The platform operator is neither assessed nor settled and makes no service analysis report."));
        }

        if (partner.Status == D.PartnerStatus.Cancelled)
        {
            throw new D.PreconditionFailedException(D.ErrorReason.PartnerCancelled, $"{name}'s cooperation is cancelled; it submits no reports.",
                new D.PreconditionViolation("PARTNER_CANCELLED", name, "The partner's cooperation is cancelled."));
        }

        var closes = D.BusinessCalendar.StartOf(month.Next.PlusMonths(windowMonths));
        if (now >= closes)
        {
            throw new D.PreconditionFailedException(D.ErrorReason.MonthClosed,
                $"the report window of {month.Key} ended at {closes} ({windowMonths} month(s) after the month); the report can no longer change.",
                new D.PreconditionViolation("REPORT_WINDOW", $"{name}/serviceAnalysisReports/{month.Key}", "The month's report window has ended."));
        }
    }

    /// <summary>The SI's figures in the Domain's terms; the unfinished count is the length of its list.</summary>
    public static D.ServiceFigures ToDomain(ServiceAnalysisFigures figures, long unfinished) => new(
        figures.PhoneRequestCount, figures.EmailRequestCount, figures.InstallationTrainingCount, figures.PhoneResolutionRateBasisPoints,
        figures.FirstTimeCompletionRateBasisPoints, figures.AverageResolutionDuration?.Seconds ?? 0, figures.CustomerSatisfactionBasisPoints,
        figures.ComplaintCount, unfinished);

    /// <summary>The carrier's figures as the contract shows them; a figure not computed reads 0 (listed apart as not computed).</summary>
    public static ServiceAnalysisFigures ToProto(D.ServiceFigures figures) => new()
    {
        PhoneRequestCount = figures.PhoneRequestCount,
        EmailRequestCount = figures.EmailRequestCount,
        InstallationTrainingCount = figures.InstallationTrainingCount,
        PhoneResolutionRateBasisPoints = figures.PhoneResolutionRate ?? 0,
        FirstTimeCompletionRateBasisPoints = figures.FirstTimeCompletionRate ?? 0,
        AverageResolutionDuration = figures.AverageResolutionSeconds is { } seconds ? new Google.Protobuf.WellKnownTypes.Duration { Seconds = seconds } : null,
        CustomerSatisfactionBasisPoints = figures.CustomerSatisfaction ?? 0,
        ComplaintCount = figures.ComplaintCount,
    };

    private static void CheckFigures(ServiceAnalysisFigures? figures, string field, List<D.FieldViolation> violations)
    {
        if (figures is null)
        {
            violations.Add(new D.FieldViolation(field, "is required."));
            return;
        }

        Count(figures.PhoneRequestCount, field + ".phone_request_count", violations);
        Count(figures.EmailRequestCount, field + ".email_request_count", violations);
        Count(figures.InstallationTrainingCount, field + ".installation_training_count", violations);
        Count(figures.ComplaintCount, field + ".complaint_count", violations);
        Rate(figures.PhoneResolutionRateBasisPoints, field + ".phone_resolution_rate_basis_points", violations);
        Rate(figures.FirstTimeCompletionRateBasisPoints, field + ".first_time_completion_rate_basis_points", violations);
        Rate(figures.CustomerSatisfactionBasisPoints, field + ".customer_satisfaction_basis_points", violations);
        if (figures.AverageResolutionDuration is not { } duration)
        {
            violations.Add(new D.FieldViolation(field + ".average_resolution_duration", "is required."));
        }
        else if (duration.Seconds < 0 || duration.Nanos is < 0 or > 999_999_999 || duration.Seconds > 315_576_000_000)
        {
            violations.Add(new D.FieldViolation(field + ".average_resolution_duration", "must be a valid duration of zero or more."));
        }
    }

    private static void Count(long value, string field, List<D.FieldViolation> violations)
    {
        if (value < 0)
        {
            violations.Add(new D.FieldViolation(field, "must not be negative."));
        }
    }

    private static void Rate(int value, string field, List<D.FieldViolation> violations)
    {
        if (value is < 0 or > D.ServiceAnalysisRules.Whole)
        {
            violations.Add(new D.FieldViolation(field, "must be 0 to 10000 basis points."));
        }
    }

    private static List<(long Id, int Index)> CheckList(IReadOnlyList<string> names, string field, List<D.FieldViolation> violations)
    {
        var ids = new List<(long, int)>();
        if (names.Count > MaxListed)
        {
            violations.Add(new D.FieldViolation(field, $"must list at most {MaxListed} work orders."));
            return ids;
        }

        var seen = new HashSet<long>();
        for (var i = 0; i < names.Count; i++)
        {
            var item = $"{field}[{i}]";
            if (D.Requests.WorkOrderName(names[i], item, violations) is not { } id)
            {
                continue;
            }

            if (!seen.Add(id))
            {
                violations.Add(new D.FieldViolation(item, $"repeats {names[i]}."));
                continue;
            }

            ids.Add((id, i));
        }

        return ids;
    }
}
