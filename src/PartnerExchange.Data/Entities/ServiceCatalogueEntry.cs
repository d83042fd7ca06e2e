namespace PartnerExchange.Data.Entities;

/// <summary>Maps a service code in the carrier's catalogue to the partner responsible for it.</summary>
public sealed class ServiceCatalogueEntry
{
    /// <summary>Gets or sets the carrier's service code.</summary>
    public required string ServiceCode { get; set; }

    /// <summary>Gets or sets the service name as shown to people.</summary>
    public required string ServiceName { get; set; }

    /// <summary>Gets or sets the responsible partner.</summary>
    public required string PartnerId { get; set; }
}
