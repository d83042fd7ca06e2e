namespace PartnerExchange.Domain;

/// <summary>Why a response-rate score deduction was made (rulebook section 6).</summary>
public enum ResponseDeductionReason
{
    /// <summary>Poor attitude or shirking responsibility.</summary>
    PoorAttitude = 1,

    /// <summary>Hiding facts.</summary>
    HidingFacts = 2,

    /// <summary>False feedback to the carrier, including a confirmed false report figure (section 8).</summary>
    FalseFeedback = 3,

    /// <summary>Delaying complaint handling.</summary>
    DelayedHandling = 4,

    /// <summary>Service or contact phone unreachable for a long time, unanswered, or a dead number.</summary>
    ContactUnreachable = 5,

    /// <summary>A contact change without the 15-working-day notice; recorded automatically by the server.</summary>
    ChangeNotNotified = 6,
}

/// <summary>
/// The default points a deduction of each reason takes when the caller gives none (rulebook section 6, configurable:
/// settings <c>ResponseRate:Points:&lt;Reason&gt;</c>, e.g. <c>ResponseRate:Points:ChangeNotNotified</c>).
/// </summary>
public sealed class ResponseDeductionPoints
{
    /// <summary>The most points one deduction may take: the month's whole score.</summary>
    public const int MaxPoints = ResponseScore.MonthlyStart;

    /// <summary>The defaults when nothing is configured: 10 for hiding facts and false feedback, 5 for every other reason.</summary>
    public static IReadOnlyDictionary<ResponseDeductionReason, int> Defaults { get; } = new Dictionary<ResponseDeductionReason, int>
    {
        [ResponseDeductionReason.PoorAttitude] = 5,
        [ResponseDeductionReason.HidingFacts] = 10,
        [ResponseDeductionReason.FalseFeedback] = 10,
        [ResponseDeductionReason.DelayedHandling] = 5,
        [ResponseDeductionReason.ContactUnreachable] = 5,
        [ResponseDeductionReason.ChangeNotNotified] = 5,
    };

    private readonly Dictionary<ResponseDeductionReason, int> _points;

    /// <summary>Creates the table from configured points per reason; reasons not given keep their default.</summary>
    public ResponseDeductionPoints(IReadOnlyDictionary<ResponseDeductionReason, int>? configured = null)
    {
        _points = new Dictionary<ResponseDeductionReason, int>(Defaults);
        foreach (var (reason, points) in configured ?? new Dictionary<ResponseDeductionReason, int>())
        {
            if (points is < 1 or > MaxPoints)
            {
                throw new ArgumentOutOfRangeException(nameof(configured), points, $"ResponseRate:Points:{reason} must be from 1 to {MaxPoints}.");
            }

            _points[reason] = points;
        }
    }

    /// <summary>The points a deduction of <paramref name="reason"/> takes when none are given.</summary>
    public int For(ResponseDeductionReason reason) => _points[reason];

    /// <summary>
    /// The points to record: <paramref name="requested"/> when positive, the default of the reason when zero; a violation
    /// on <paramref name="field"/> when negative or above <see cref="MaxPoints"/>.
    /// </summary>
    public int Resolve(ResponseDeductionReason reason, int requested, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (requested is < 0 or > MaxPoints)
        {
            violations.Add(new FieldViolation(field, $"must be from 1 to {MaxPoints}, or 0 for the reason's default."));
            return 0;
        }

        return requested == 0 ? For(reason) : requested;
    }
}

/// <summary>
/// An SI's monthly response-rate score (rulebook section 6 Decision): it starts at 100 each month and each recorded
/// deduction that was not withdrawn subtracts its points, never below 0 (the contract's Assessment.response_score).
/// </summary>
public static class ResponseScore
{
    /// <summary>The score every month starts at.</summary>
    public const int MonthlyStart = 100;

    /// <summary>The score of a month whose deductions (not withdrawn) total <paramref name="pointsDeducted"/>.</summary>
    public static long FromPointsDeducted(long pointsDeducted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pointsDeducted);
        return Math.Max(0, MonthlyStart - pointsDeducted);
    }

    /// <summary>The score of a month from its deductions: the points of each, and whether it was withdrawn.</summary>
    public static long Of(IEnumerable<(int Points, bool Withdrawn)> deductions)
    {
        ArgumentNullException.ThrowIfNull(deductions);
        return FromPointsDeducted(deductions.Where(d => !d.Withdrawn).Sum(d => (long)d.Points));
    }
}
