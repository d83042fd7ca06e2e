namespace PartnerExchange.Domain;

/// <summary>What kind of party a partner is (RULEBOOK section 1).</summary>
public enum PartnerKind
{
    /// <summary>A service integrator whose application or content service customers use; assessed and settled monthly.</summary>
    ServiceIntegrator,

    /// <summary>The builder/operator of the industry application platform; takes platform faults, not assessed or settled.</summary>
    PlatformOperator,
}

/// <summary>The monthly assessment mode of an SI, fixed per SI (RULEBOOK section 5).</summary>
public enum AssessmentMode
{
    /// <summary>C mode: services billed to individual users; assessed on complaints per 10,000 billed users and on-time completion.</summary>
    C,

    /// <summary>EMP mode: services for group/business customers; assessed on the group-customer complaint volume.</summary>
    Emp,
}

/// <summary>Whether a partner's cooperation with the carrier is running (RULEBOOK section 5).</summary>
public enum PartnerStatus
{
    /// <summary>Cooperation runs normally.</summary>
    Active,

    /// <summary>The partner's service is suspended (by assessment or by a partner manager); a reason is recorded.</summary>
    Suspended,

    /// <summary>Cooperation is cancelled; a reason is recorded. Terminal.</summary>
    Cancelled,
}

/// <summary>Whether a partner's monthly settlement is paid out (RULEBOOK sections 5 and 7).</summary>
public enum SettlementState
{
    /// <summary>Net payable amounts are paid out.</summary>
    Normal,

    /// <summary>Settlement is suspended until a later month is compliant; the net is withheld.</summary>
    SuspendedUntilCompliant,

    /// <summary>Settlement is suspended for one month (on-time completion below target); the net is withheld.</summary>
    SuspendedOneMonth,

    /// <summary>Cooperation is cancelled; withheld amounts stay frozen until a partner manager releases or forfeits them.</summary>
    Frozen,
}

/// <summary>The service contacts a partner must keep (RULEBOOK section 9).</summary>
public enum ContactKind
{
    /// <summary>A 7x24 staffed hotline on a fixed line (not an extension).</summary>
    Hotline7x24,

    /// <summary>A mobile contact number.</summary>
    Mobile,

    /// <summary>A customer-service contact on the carrier's mobile network.</summary>
    CustomerService,

    /// <summary>A named technical contact.</summary>
    Technical,

    /// <summary>An online service channel (web address or similar).</summary>
    OnlineChannel,

    /// <summary>The company name shown to customers; part of the customer-service facts the notice rule covers (section 3).</summary>
    CompanyName,

    /// <summary>The business type (e.g. "mobile office"); part of the customer-service facts the notice rule covers (section 3).</summary>
    BusinessType,
}

/// <summary>Why a partner manager suspended a partner's service (RULEBOOK section 5).</summary>
public enum SuspensionReason
{
    /// <summary>Mass strong complaints from customers.</summary>
    MassStrongComplaints = 1,

    /// <summary>Bad social impact.</summary>
    BadSocialImpact = 2,

    /// <summary>Another reason, explained in the free text.</summary>
    Other = 3,
}

/// <summary>Why cooperation with a partner was cancelled (RULEBOOK section 5).</summary>
public enum CancellationReason
{
    /// <summary>A serious case decided by a partner manager.</summary>
    SeriousCase = 1,

    /// <summary>The customer-service cost the partner causes exceeds the revenue it brings.</summary>
    CostExceedsRevenue = 2,

    /// <summary>Three consecutive months at or above the complaint threshold; set by the monthly close only.</summary>
    ThreeNonCompliantMonths = 3,

    /// <summary>Another reason, explained in the free text.</summary>
    Other = 4,
}
