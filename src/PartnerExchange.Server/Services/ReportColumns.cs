using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PartnerExchange.Domain;
using Proto = PartnerExchange.Contracts.V1;

namespace PartnerExchange.Server.Services;

/// <summary>
/// Keeps the report columns of every work order saved in step with its document and lifecycle state: receipt time,
/// direct channel, solved on first contact, support type, latest satisfaction, return count and reply breached, which
/// the period reports aggregate in SQL (Data's ReportQueries). It runs on every save of a work order, whoever saves it
/// (the service's moves, the sweeper, calendar recomputation), so the columns never lag the order.
/// </summary>
/// <remarks>
/// Its natural home is <c>WorkOrderStore.Save</c>, next to the other projected columns; it is an interceptor only so
/// the report work did not touch the work-order files. Moving it there is a mechanical change.
/// </remarks>
internal sealed class ReportColumnsInterceptor : SaveChangesInterceptor
{
    /// <inheritdoc/>
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        ProjectAll(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    /// <inheritdoc/>
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        ProjectAll(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    /// <summary>Sets the report columns of <paramref name="row"/> from its document and lifecycle state.</summary>
    public static void Project(Data.Entities.WorkOrder row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var document = Proto.WorkOrder.Parser.ParseFrom(row.Document);
        var receipt = document.DirectReceipt;
        row.ReceivedAt = receipt?.ReceiveTime is { } received ? received.ToDateTimeOffset() : row.CreatedAt;
        row.DirectChannel = receipt is { Channel: not Proto.DirectChannel.Unspecified } ? (DirectChannel)(int)receipt.Channel : null;
        row.SolvedOnFirstContact = receipt?.SolvedOnFirstContact ?? false;
        row.SupportType = document.TechnicalSupport is { SupportType: not Proto.TechnicalSupportType.Unspecified } support
            ? (TechnicalSupportType)(int)support.SupportType : null;
        row.Satisfaction = document.Satisfaction == Proto.Satisfaction.Unspecified ? null : (Satisfaction)(int)document.Satisfaction;
        row.ReturnCount = document.ReturnCount;
        row.ReplyBreached = row.DetailJson.Length > 2
            && WorkOrderStore.ReadState(row).Clocks.Any(c => c.Kind == ClockKind.Reply && (c.BreachRaised || (c.Met is { } met && met > c.Due)));
    }

    private static void ProjectAll(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<Data.Entities.WorkOrder>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified && entry.Entity.Document.Length > 0)
            {
                Project(entry.Entity);
                entry.DetectChanges();
            }
        }
    }
}

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
        builder.Services.AddSingleton<IInterceptor, ReportColumnsInterceptor>();
    }

    private static int NotNegative(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration.GetValue(key, fallback);
        return value >= 0 ? value : throw new InvalidOperationException($"{key} is {value}: it must be zero or more, e.g. {fallback}.");
    }
}
