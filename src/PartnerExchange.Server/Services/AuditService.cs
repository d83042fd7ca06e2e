using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Identity;

namespace PartnerExchange.Server.Services;

/// <summary>The audit trail of every change and who made it: read-only, newest first.</summary>
internal sealed class AuditService(PartnerExchangeDbContext db) : Contracts.V1.AuditService.AuditServiceBase
{
    /// <summary>
    /// AuditService.ListAuditEntries: entries newest first (by commit order), filtered; an SI sees only the entries of
    /// its own partner's resources, whatever partner it asks for.
    /// </summary>
    public override async Task<ListAuditEntriesResponse> ListAuditEntries(ListAuditEntriesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<FieldViolation>();
        var pageSize = Requests.PageSize(request.PageSize, violations);
        var partnerId = caller.PartnerId
            ?? (request.Partner.Length > 0 ? Requests.PartnerName(request.Partner, "partner", violations) : null);
        var (start, end) = (ProtoDates.ReadInstant(request.StartTime, "start_time", violations), ProtoDates.ReadInstant(request.EndTime, "end_time", violations));
        if (start is { } s && end is { } e && e <= s)
        {
            violations.Add(new FieldViolation("end_time", "must be after start_time."));
        }

        var query = string.Join("\n", partnerId, request.Resource, request.ActorSubject, start?.UtcTicks, end?.UtcTicks);
        var after = Requests.ReadPageToken(request.PageToken, query, violations);
        long? afterId = after is null ? null : long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        if (after is not null && afterId is null)
        {
            violations.Add(new FieldViolation("page_token", "is not a page token of this query; start again with an empty page_token."));
        }

        Requests.ThrowIfAny(violations);

        var entries = db.AuditEntries.AsNoTracking();
        entries = partnerId is null ? entries : entries.Where(a => a.PartnerId == partnerId);
        entries = request.Resource.Length == 0 ? entries : entries.Where(a => a.ResourceName == request.Resource);
        entries = request.ActorSubject.Length == 0 ? entries : entries.Where(a => a.Actor == request.ActorSubject);
        entries = start is null ? entries : entries.Where(a => a.OccurredAt >= start);
        entries = end is null ? entries : entries.Where(a => a.OccurredAt < end);
        entries = afterId is null ? entries : entries.Where(a => a.Id < afterId);
        var page = await entries.OrderByDescending(a => a.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);

        var response = new ListAuditEntriesResponse();
        response.AuditEntries.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Requests.PageToken(query, page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static AuditEntry ToMessage(Data.Entities.AuditEntry entry) => new()
    {
        Name = $"auditEntries/{entry.Id.ToString(CultureInfo.InvariantCulture)}",
        Actor = new Actor
        {
            Subject = entry.Actor,
            Role = Actors.RoleOf(entry.ActorRole),
            Partner = entry.ActorPartnerId is null ? string.Empty : $"partners/{entry.ActorPartnerId}",
        },
        Action = entry.Action,
        Resource = entry.ResourceName,
        Partner = entry.PartnerId is null ? string.Empty : $"partners/{entry.PartnerId}",
        CreateTime = Timestamp.FromDateTimeOffset(entry.OccurredAt),
        Reason = entry.Reason ?? string.Empty,
        RequestId = entry.RequestId ?? string.Empty,
        Summary = entry.Summary ?? string.Empty,
    };
}
