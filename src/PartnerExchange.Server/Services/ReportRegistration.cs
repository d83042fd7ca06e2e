using PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>Settings of the reports (<c>Reports</c> section).</summary>
/// <param name="Tolerance">How far an SI's figure may be from the carrier's (2 percentage points for rates, 10% for counts and times).</param>
/// <param name="Targets">The report targets of rulebook section 8.</param>
/// <param name="SubmissionWindowMonths">For how many months after the reported one a report may be submitted or resubmitted (default 1).</param>
internal sealed record ReportSettings(ReportTolerance Tolerance, ReportTargets Targets, int SubmissionWindowMonths);

/// <summary>The services of the reports.</summary>
internal static class ReportRegistration
{
    /// <summary>
    /// Registers the report settings, <c>Reports:RateToleranceBasisPoints</c> (200), <c>Reports:CountTolerancePercent</c>
    /// (10), <c>Reports:TimeTolerancePercent</c> (10) and <c>Reports:SubmissionWindowMonths</c> (1), and the interceptor
    /// that keeps the work orders' report columns in step.
    /// </summary>
    public static void AddReports(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var tolerance = new ReportTolerance(
            NotNegative(configuration, "Reports:RateToleranceBasisPoints", ReportTolerance.Default.RateBasisPoints),
            NotNegative(configuration, "Reports:CountTolerancePercent", ReportTolerance.Default.CountPercent),
            NotNegative(configuration, "Reports:TimeTolerancePercent", ReportTolerance.Default.TimePercent));
        builder.Services.AddSingleton(new ReportSettings(tolerance, ReportTargets.Default, NotNegative(configuration, "Reports:SubmissionWindowMonths", 1)));
    }

    private static int NotNegative(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration.GetValue(key, fallback);
        return value >= 0 ? value : throw new InvalidOperationException($"{key} is {value}: it must be zero or more, e.g. {fallback}.");
    }
}
