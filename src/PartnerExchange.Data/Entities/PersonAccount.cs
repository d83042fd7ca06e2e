using Microsoft.AspNetCore.Identity;

namespace PartnerExchange.Data.Entities;

/// <summary>
/// A person's account (a carrier agent, partner manager, auditor, or an SI's staff bound to one partner) in ASP.NET
/// Core Identity: the user name is the subject of the person's tokens and the actor in the audit trail; Identity keeps
/// the password hash, the failed sign-in count and the lockout end.
/// </summary>
public sealed class PersonAccount : IdentityUser
{
    /// <summary>Gets or sets the role the person acts in, one of <c>ClientRoles</c> except the reconciliation job.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>Gets or sets the partner an SI person is bound to; <c>null</c> for the carrier's roles.</summary>
    public string? PartnerId { get; set; }

    /// <summary>Gets or sets when the account was made (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the account was disabled (UTC); a disabled account is locked out for good and gets no token.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
