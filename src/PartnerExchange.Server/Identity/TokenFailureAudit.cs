using OpenIddict.Server;
using PartnerExchange.Data;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// Records every refused token request in the audit trail: the client id it named (unverified, cut to fit), the
/// OAuth error, and when. Never the secret. Partner managers and auditors see these with AuditService.
/// </summary>
internal sealed class TokenFailureAudit(PartnerExchangeDbContext db, TimeProvider time) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public const string Action = "/connect/token";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
        .UseScopedHandler<TokenFailureAudit>()
        .SetOrder(int.MinValue + 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(context.Error))
        {
            return;
        }

        var clientId = context.Request?.ClientId is { Length: > 0 } id ? id[..Math.Min(id.Length, 100)] : "(none)";
        db.AuditEntries.Add(new Data.Entities.AuditEntry
        {
            Actor = clientId,
            Action = Action,
            ResourceName = $"clients/{clientId}",
            Summary = $"token refused: {context.Error}",
            OccurredAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
