using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>An SI's assessment for one month (rulebook section 5): the inputs, the figures and the verdict.</summary>
public sealed class Assessment
{
    /// <summary>Gets or sets the SI.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month, <c>YYYY-MM</c>.</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the SI's assessment mode.</summary>
    public AssessmentMode Mode { get; set; }

    /// <summary>Gets or sets the complaints counted.</summary>
    public long ComplaintCount { get; set; }

    /// <summary>Gets or sets the counted complaints completed on time.</summary>
    public long OnTimeCount { get; set; }

    /// <summary>Gets or sets the complaints naming the SI that did not count.</summary>
    public long ExcludedCount { get; set; }

    /// <summary>Gets or sets the billed users used (C mode); <c>null</c> when none was recorded.</summary>
    public long? BilledUsers { get; set; }

    /// <summary>Gets or sets the group customers recorded (EMP mode).</summary>
    public long? GroupCustomers { get; set; }

    /// <summary>Gets or sets the group-customer revisits answered satisfied or better.</summary>
    public long SatisfiedGroupRevisits { get; set; }

    /// <summary>Gets or sets all group-customer revisits of the month.</summary>
    public long GroupRevisits { get; set; }

    /// <summary>Gets or sets the EMP complaint threshold in force.</summary>
    public long EmpThreshold { get; set; }

    /// <summary>Gets or sets complaints per 10,000 users in hundredths, rounded down.</summary>
    public int PerTenThousandHundredths { get; set; }

    /// <summary>Gets or sets the on-time rate in basis points, rounded down.</summary>
    public int OnTimeBasisPoints { get; set; }

    /// <summary>Gets or sets the group satisfaction in basis points, rounded down.</summary>
    public int GroupSatisfactionBasisPoints { get; set; }

    /// <summary>Gets or sets the response-rate score.</summary>
    public int ResponseScore { get; set; }

    /// <summary>Gets or sets the month's response-rate deductions.</summary>
    public int ResponseDeductions { get; set; }

    /// <summary>Gets or sets the consecutive months at or above the complaint threshold.</summary>
    public int Consecutive { get; set; }

    /// <summary>Gets or sets whether the complaint threshold was reached.</summary>
    public bool ThresholdReached { get; set; }

    /// <summary>Gets or sets whether the on-time rate was below 75%.</summary>
    public bool OnTimeBelow { get; set; }

    /// <summary>Gets or sets the verdict.</summary>
    public SanctionOutcome Outcome { get; set; }

    /// <summary>Gets or sets when it was computed.</summary>
    public DateTimeOffset AssessedAt { get; set; }

    /// <summary>Gets or sets whether the month is closed and the assessment final.</summary>
    public bool Final { get; set; }
}
