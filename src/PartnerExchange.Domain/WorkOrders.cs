namespace PartnerExchange.Domain;

/// <summary>The kind of a work order (RULEBOOK section 2).</summary>
public enum WorkOrderKind
{
    /// <summary>A customer question about the partner service.</summary>
    Enquiry,

    /// <summary>A fault report ("annex 17"); carries a severity.</summary>
    FaultReport,

    /// <summary>A non-fault technical-support request ("annex 18"): installation, training, on-site support.</summary>
    TechnicalSupport,

    /// <summary>Customer dissatisfaction with a product or service; counts in the monthly assessment.</summary>
    Complaint,

    /// <summary>The customer accepted the carrier's explanation: recorded, never dispatched, not a complaint.</summary>
    DissatisfactionRecord,
}

/// <summary>Where a work order came from (RULEBOOK sections 1 and 3).</summary>
public enum WorkOrderChannel
{
    /// <summary>The carrier's hotline (10086).</summary>
    Hotline,

    /// <summary>A carrier business hall.</summary>
    BusinessHall,

    /// <summary>The carrier's online hall.</summary>
    OnlineHall,

    /// <summary>A carrier key-account desk.</summary>
    KeyAccountDesk,

    /// <summary>A customer request received by e-mail.</summary>
    Email,

    /// <summary>A customer request received through a web form.</summary>
    Web,

    /// <summary>Made by the customer directly to the SI and reported by the SI; tracked for clocks, not counted in the assessment.</summary>
    DirectToPartner,
}

/// <summary>Where a work order stands in its life (RULEBOOK sections 3 and 4).</summary>
public enum WorkOrderStatus
{
    /// <summary>Accepted by the carrier, not yet dispatched to a partner.</summary>
    Accepted,

    /// <summary>Dispatched to the responsible partner; its clocks run.</summary>
    Dispatched,

    /// <summary>The partner has replied.</summary>
    Replied,

    /// <summary>The partner has resolved it; awaiting the carrier's revisit.</summary>
    Resolved,

    /// <summary>Returned to the partner after a revisit found the customer not satisfied.</summary>
    Returned,

    /// <summary>Closed: the customer is satisfied, or the carrier closed it with a reason.</summary>
    Closed,

    /// <summary>Voided by the carrier; never counted.</summary>
    Voided,
}
