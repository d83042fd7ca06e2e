namespace PartnerExchange.Domain;

// The work-order vocabulary of rulebook sections 1 to 4. Each enum's numbers are the contract's
// (work_order_service.proto), so a value crosses the API boundary by a cast; a test keeps names and numbers equal.

/// <summary>The kind of a work order (rulebook section 2).</summary>
public enum WorkOrderKind
{
    /// <summary>A customer question about the partner service.</summary>
    Enquiry = 1,

    /// <summary>A fault report ("annex 17"); carries a severity.</summary>
    FaultReport = 2,

    /// <summary>A non-fault technical-support request ("annex 18"): installation, training, on-site support.</summary>
    TechnicalSupport = 3,

    /// <summary>Customer dissatisfaction with a product or service; may count in the monthly assessment.</summary>
    Complaint = 4,

    /// <summary>The customer accepted the carrier's explanation: recorded, never dispatched, not a complaint.</summary>
    DissatisfactionRecord = 5,
}

/// <summary>Where a work order came from (rulebook sections 1 and 3).</summary>
public enum WorkOrderChannel
{
    /// <summary>The carrier's hotline (10086).</summary>
    Hotline = 1,

    /// <summary>A carrier business hall.</summary>
    BusinessHall = 2,

    /// <summary>The carrier's online hall.</summary>
    OnlineHall = 3,

    /// <summary>A carrier key-account desk.</summary>
    KeyAccountDesk = 4,

    /// <summary>A customer request received by e-mail: reply within 1 working day.</summary>
    Email = 5,

    /// <summary>A customer request received through a web form: reply within 1 working day.</summary>
    Web = 6,

    /// <summary>Made by the customer directly to the SI and reported by the SI (its <see cref="DirectChannel"/> says how).</summary>
    DirectToPartner = 7,
}

/// <summary>How a request reached the SI directly (ReportDirectRequest).</summary>
public enum DirectChannel
{
    /// <summary>By phone.</summary>
    Phone = 1,

    /// <summary>By e-mail: reply within 1 working day.</summary>
    Email = 2,

    /// <summary>Through a web form: reply within 1 working day.</summary>
    Web = 3,

    /// <summary>In person, on site.</summary>
    OnSite = 4,
}

/// <summary>Where a work order stands in its life: the state machine drawn at the top of work_order_service.proto.</summary>
public enum WorkOrderStatus
{
    /// <summary>Sent to the responsible party, not yet acknowledged; its clocks run.</summary>
    Dispatched = 1,

    /// <summary>The responsible party acknowledged it and works on it.</summary>
    Acknowledged = 2,

    /// <summary>The responsible party replied; the resolve clock still runs.</summary>
    Replied = 3,

    /// <summary>Clocks paused by an approved hold.</summary>
    OnHold = 4,

    /// <summary>Reported solved; awaiting the carrier's revisit (or the automatic close).</summary>
    Resolved = 5,

    /// <summary>Returned after a revisit found the customer not satisfied; must be acknowledged again.</summary>
    Returned = 6,

    /// <summary>Closed: the customer is satisfied, the carrier closed it with a reason, or it closed automatically; final.</summary>
    Closed = 7,

    /// <summary>Voided by the carrier as created in error; final, never counted.</summary>
    Voided = 8,

    /// <summary>A dissatisfaction record, stored and never dispatched; final.</summary>
    Recorded = 9,
}

/// <summary>Who is responsible for solving an order (rulebook section 1, responsibility routing).</summary>
public enum ResponsiblePartyKind
{
    /// <summary>A service integrator: the SI that owns the service in the catalogue.</summary>
    ServiceIntegrator = 1,

    /// <summary>The platform operator (platform faults).</summary>
    PlatformOperator = 2,

    /// <summary>The carrier's network department.</summary>
    CarrierNetwork = 3,

    /// <summary>The carrier's billing (BOSS) department.</summary>
    CarrierBilling = 4,

    /// <summary>The carrier's industry gateway department.</summary>
    CarrierGateway = 5,
}

/// <summary>Fault severity (rulebook section 3), which sets the resolve limit.</summary>
public enum FaultSeverity
{
    /// <summary>The fault does not stop the service: resolve within 12 h.</summary>
    General = 1,

    /// <summary>Users cannot use the service normally: resolve within 4 h.</summary>
    Important = 2,

    /// <summary>The service stopped: resolve within 2 h.</summary>
    Severe = 3,
}

/// <summary>Complaint urgency (rulebook sections 2 and 3), which sets the reply limit.</summary>
public enum ComplaintUrgency
{
    /// <summary>Urgent: reply within 24 h.</summary>
    Urgent = 1,

    /// <summary>Ordinary: the "SI can handle directly" clocks, reply 12 h and resolve 24 h (Decision).</summary>
    Ordinary = 2,

    /// <summary>Difficult: reply within 72 h.</summary>
    Difficult = 3,
}

/// <summary>The kind of non-fault technical support asked for ("annex 18").</summary>
public enum TechnicalSupportType
{
    /// <summary>Installation: reply 12 h, resolve 24 h.</summary>
    Installation = 1,

    /// <summary>Training: reply 12 h, resolve 24 h.</summary>
    Training = 2,

    /// <summary>On-site support: arrival within 1 working day, a second visit within 3 working days of an unsolved first.</summary>
    OnSite = 3,
}

/// <summary>Customer satisfaction on a revisit, five levels (rulebook section 4).</summary>
public enum Satisfaction
{
    /// <summary>Very satisfied: closes the order.</summary>
    VerySatisfied = 1,

    /// <summary>Satisfied: closes the order.</summary>
    Satisfied = 2,

    /// <summary>Basically satisfied: closes the order.</summary>
    BasicallySatisfied = 3,

    /// <summary>Dissatisfied: not satisfied (Decision), returns the order.</summary>
    Dissatisfied = 4,

    /// <summary>Very dissatisfied: not satisfied (Decision), returns the order.</summary>
    VeryDissatisfied = 5,
}

/// <summary>The responsible party of an order: a kind, and the partner for SI and platform-operator kinds.</summary>
/// <param name="Kind">The kind of party.</param>
/// <param name="PartnerId">The partner id for SI and platform operator; <c>null</c> for carrier departments.</param>
public sealed record ResponsibleParty(ResponsiblePartyKind Kind, string? PartnerId)
{
    /// <summary>Gets whether the party is one of the carrier's own departments (worked by carrier agents, never counted).</summary>
    public bool IsCarrierDepartment => Kind is ResponsiblePartyKind.CarrierNetwork or ResponsiblePartyKind.CarrierBilling or ResponsiblePartyKind.CarrierGateway;

    /// <summary>Gets whether the kind needs a partner (SI or platform operator).</summary>
    public static bool NeedsPartner(ResponsiblePartyKind kind) => kind is ResponsiblePartyKind.ServiceIntegrator or ResponsiblePartyKind.PlatformOperator;
}
