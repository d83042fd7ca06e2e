namespace PartnerExchange.Data.Entities;

/// <summary>
/// An SI's monthly service analysis report ("annex 19", RULEBOOK section 8), one per partner and month; a resubmission
/// replaces it. <see cref="Document"/> holds what the SI submitted, protobuf bytes of
/// <c>partnerexchange.v1.ServiceAnalysisReport</c> (figures, lists, analysis, submitter and time); the carrier's figures
/// are computed from the work orders when the report is read, never stored.
/// </summary>
public sealed class ServiceAnalysisReport : IVersioned
{
    /// <summary>Gets or sets the reporting partner.</summary>
    public required string PartnerId { get; set; }

    /// <summary>Gets or sets the month reported, <c>YYYY-MM</c> (Asia/Shanghai).</summary>
    public required string Month { get; set; }

    /// <summary>Gets or sets the subject of the caller who last submitted it.</summary>
    public required string SubmittedBy { get; set; }

    /// <summary>Gets or sets when it was last submitted (UTC).</summary>
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>Gets or sets the report as submitted, protobuf bytes.</summary>
    public byte[] Document { get; set; } = [];

    /// <inheritdoc/>
    public int Version { get; set; }
}
