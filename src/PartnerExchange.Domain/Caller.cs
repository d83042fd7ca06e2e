namespace PartnerExchange.Domain;

/// <summary>
/// Who is calling, as the validated access token says: the subject (a client id, or later a person), the role it acts
/// in, and for the SI role the one partner it is bound to. Never taken from a request field.
/// </summary>
/// <param name="Subject">The token's subject: the machine client's id.</param>
/// <param name="Role">One of <see cref="ClientRoles"/>.</param>
/// <param name="PartnerId">The partner an SI is bound to; <c>null</c> for the carrier's roles.</param>
public sealed record Caller(string Subject, string Role, string? PartnerId)
{
    /// <summary>Gets whether the caller is bound to one partner and may only see that partner's resources.</summary>
    public bool IsPartnerBound => PartnerId is not null;
}
