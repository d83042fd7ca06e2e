using PartnerExchange.Domain;

namespace PartnerExchange.Data.Entities;

/// <summary>A revisit of a customer, kept as a row so monthly satisfaction figures are one query.</summary>
public sealed class WorkOrderRevisit
{
    /// <summary>Gets or sets the generated identifier.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the work order revisited.</summary>
    public long WorkOrderId { get; set; }

    /// <summary>Gets or sets the partner responsible for the order at the revisit.</summary>
    public string? PartnerId { get; set; }

    /// <summary>Gets or sets when the revisit took place.</summary>
    public DateTimeOffset RevisitedAt { get; set; }

    /// <summary>Gets or sets the customer's answer.</summary>
    public Satisfaction Satisfaction { get; set; }

    /// <summary>Gets or sets whether the customer is a group customer.</summary>
    public bool GroupCustomer { get; set; }
}
