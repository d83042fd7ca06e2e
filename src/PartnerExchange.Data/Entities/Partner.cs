using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>A partner of the carrier: a service integrator (SI) or the platform operator. Resource name <c>partners/{Id}</c>.</summary>
public sealed class Partner : IVersioned
{
    /// <summary>Gets or sets the slug that identifies the partner (lower-case letters, digits and '-', at most 63 characters).</summary>
    public required string Id { get; set; }

    /// <summary>Gets or sets the partner's company name as shown to people.</summary>
    public required string DisplayName { get; set; }

    /// <summary>Gets or sets whether the partner is an SI or the platform operator.</summary>
    public PartnerKind Kind { get; set; }

    /// <summary>Gets or sets the assessment mode of an SI; <c>null</c> for the platform operator, which is not assessed.</summary>
    public AssessmentMode? Mode { get; set; }

    /// <summary>Gets or sets whether cooperation runs, is suspended or cancelled. Defaults to <see cref="PartnerStatus.Active"/>.</summary>
    public PartnerStatus Status { get; set; }

    /// <summary>Gets or sets the reason for the current status; required when suspended or cancelled.</summary>
    public string? StatusReason { get; set; }

    /// <summary>Gets or sets whether the monthly settlement is paid, suspended or frozen.</summary>
    public SettlementState SettlementState { get; set; }

    /// <summary>Gets or sets the structured reason of the current manual suspension; <c>null</c> unless suspended.</summary>
    public SuspensionReason? SuspensionReason { get; set; }

    /// <summary>Gets or sets the structured reason of the cancellation; <c>null</c> unless cancelled.</summary>
    public CancellationReason? CancellationReason { get; set; }

    /// <summary>Gets or sets the ISO 4217 code of the currency an SI is settled in; <c>null</c> for the platform operator.</summary>
    public string? SettlementCurrency { get; set; }

    /// <summary>Gets or sets when the partner was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the partner was last changed (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <inheritdoc/>
    public int Version { get; set; }

    /// <summary>Gets the partner's service contacts, past and future.</summary>
    public List<PartnerContact> Contacts { get; } = [];
}
