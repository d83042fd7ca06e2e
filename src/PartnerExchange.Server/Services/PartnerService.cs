using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;
using E = PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Services;

/// <summary>
/// Partner management: the registry of SIs and the platform operator, their section 9 contacts under the notice rule,
/// subscriber bases, response-rate deductions and the manual sanctions. An SI sees only its own partner; the rules are
/// the Domain's (<see cref="D.PartnerRules"/>, <see cref="D.ContactNotice"/>, <see cref="D.PartnerSanctions"/>).
/// </summary>
internal sealed partial class PartnerService : Contracts.V1.PartnerService.PartnerServiceBase
{
    private const string Prefix = "/partnerexchange.v1.PartnerService/";

    /// <summary>PartnerService.CreatePartner: a new SI or platform operator with its contacts in effect from today.</summary>
    public override async Task<Partner> CreatePartner(CreatePartnerRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        D.PartnerRules.CheckPartnerId(request.PartnerId, violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        var source = request.Partner;
        if (source is null)
        {
            violations.Add(new D.FieldViolation("partner", "is required."));
        }
        else
        {
            D.Requests.CheckText(source.DisplayName, "partner.display_name", D.PartnerRules.MaxDisplayNameLength, required: true, violations);
            D.PartnerRules.CheckKind(PartnerMessages.ToDomain(source.Kind), source.AssessmentMode == AssessmentMode.Unspecified ? null : PartnerMessages.ToDomain(source.AssessmentMode),
                source.SettlementCurrencyCode, "partner.", violations);
            if (source.AssessmentMode != AssessmentMode.Unspecified && PartnerMessages.ToDomain(source.AssessmentMode) is null)
            {
                violations.Add(new D.FieldViolation("partner.assessment_mode", "must be C or EMP."));
            }

            D.PartnerRules.CheckContacts(PartnerMessages.ToDomain(source.Contacts), "partner.contacts.", violations);
        }

        D.Requests.ThrowIfAny(violations);
        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "CreatePartner", request.RequestId, request, async () =>
        {
            var name = "partners/" + request.PartnerId;
            if (await db.Partners.AnyAsync(p => p.Id == request.PartnerId, cancellationToken))
            {
                throw new D.ResourceExistsException(name);
            }

            var now = clock.UtcNow;
            var kind = PartnerMessages.ToDomain(source!.Kind)!.Value;
            var row = new E.Partner
            {
                Id = request.PartnerId,
                DisplayName = source.DisplayName.Trim(),
                Kind = kind,
                Mode = PartnerMessages.ToDomain(source.AssessmentMode),
                Status = D.PartnerStatus.Active,
                SettlementState = D.SettlementState.Normal,
                SettlementCurrency = kind == D.PartnerKind.ServiceIntegrator ? source.SettlementCurrencyCode : null,
                CreatedAt = now,
                UpdatedAt = now,
            };
            row.Contacts.AddRange(PartnerMessages.Rows(row.Id, PartnerMessages.ToDomain(source.Contacts)!, Today, now));
            db.Partners.Add(row);
            AuditTrail.Record(db, caller, Prefix + "CreatePartner", name, row.Id, request.RequestId, $"partner created: {row.DisplayName} ({kind})", now);
            await db.SaveChangesAsync(cancellationToken);
            return await ShowAsync(row, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>PartnerService.GetPartner: another SI's partner answers NOT_FOUND as a missing one does.</summary>
    public override async Task<Partner> GetPartner(GetPartnerRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.PartnerName(request.Name, "name", violations);
        D.Requests.ThrowIfAny(violations);
        var row = await FindVisibleAsync(caller, id!, request.Name, tracked: false, context.CancellationToken);
        return await ShowAsync(row, context.CancellationToken);
    }

    /// <summary>PartnerService.ListPartners: by display name then name; an SI gets only its own partner.</summary>
    public override async Task<ListPartnersResponse> ListPartners(ListPartnersRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var kind = request.Kind == PartnerKind.Unspecified ? null : PartnerMessages.ToDomain(request.Kind);
        if (request.Kind != PartnerKind.Unspecified && kind is null)
        {
            violations.Add(new D.FieldViolation("kind", "must be SERVICE_INTEGRATOR, PLATFORM_OPERATOR or unset."));
        }

        var state = request.State == PartnerState.Unspecified ? null : PartnerMessages.ToDomain(request.State);
        if (request.State != PartnerState.Unspecified && state is null)
        {
            violations.Add(new D.FieldViolation("state", "must be ACTIVE, SUSPENDED, CANCELLED or unset."));
        }

        var query = $"partners?kind={request.Kind}&state={request.State}&caller={caller.PartnerId}";
        var after = D.Requests.ReadPageToken(request.PageToken, query, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        var partners = db.Partners.AsNoTracking();
        if (caller.IsPartnerBound)
        {
            partners = partners.Where(p => p.Id == caller.PartnerId);
        }

        if (kind is not null)
        {
            partners = partners.Where(p => p.Kind == kind);
        }

        if (state is not null)
        {
            partners = partners.Where(p => p.Status == state);
        }

        if (after is not null)
        {
            // Display names never change (no RPC renames a partner), so the last item's name places the page.
            var last = await db.Partners.AsNoTracking().Where(p => p.Id == after).Select(p => p.DisplayName).SingleOrDefaultAsync(cancellationToken) ?? string.Empty;
            partners = partners.Where(p => string.Compare(p.DisplayName, last) > 0 || (p.DisplayName == last && string.Compare(p.Id, after) > 0));
        }

        var page = await partners.OrderBy(p => p.DisplayName).ThenBy(p => p.Id).Include(p => p.Contacts).AsSplitQuery()
            .Take(pageSize + 1).ToListAsync(cancellationToken);
        var calendar = await calendars.GetAsync(db, cancellationToken);
        var response = new ListPartnersResponse();
        response.Partners.AddRange(page.Take(pageSize).Select(p => PartnerMessages.Show(p, Today, calendar)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(query, page[pageSize - 1].Id);
        }

        return response;
    }

    /// <summary>PartnerService.SuspendPartnerService: the service suspended at once, with a reason, audited.</summary>
    public override async Task<Partner> SuspendPartnerService(SuspendPartnerServiceRequest request, ServerCallContext context)
    {
        var violations = new List<D.FieldViolation>();
        if (request.Reason is not (SuspensionReason.MassStrongComplaints or SuspensionReason.BadSocialImpact or SuspensionReason.Other))
        {
            violations.Add(new D.FieldViolation("reason", "is required: MASS_STRONG_COMPLAINTS, BAD_SOCIAL_IMPACT or OTHER."));
        }

        return await SanctionAsync(context, "SuspendPartnerService", request.Name, request.ReasonText, request.Etag, request.RequestId, request, violations, (row, name) =>
        {
            D.PartnerSanctions.CheckSuspend(name, row.Status);
            row.Status = D.PartnerStatus.Suspended;
            row.SuspensionReason = (D.SuspensionReason)(int)request.Reason;
            return $"service suspended ({row.SuspensionReason})";
        });
    }

    /// <summary>PartnerService.ReinstatePartner: a manual suspension lifted, with a reason, audited.</summary>
    public override Task<Partner> ReinstatePartner(ReinstatePartnerRequest request, ServerCallContext context) =>
        SanctionAsync(context, "ReinstatePartner", request.Name, request.ReasonText, request.Etag, request.RequestId, request, [], (row, name) =>
        {
            D.PartnerSanctions.CheckReinstate(name, row.Status);
            row.Status = D.PartnerStatus.Active;
            row.SuspensionReason = null;
            return "reinstated";
        });

    /// <summary>PartnerService.CancelPartner: cooperation cancelled, withheld settlement frozen, with a reason, audited.</summary>
    public override async Task<Partner> CancelPartner(CancelPartnerRequest request, ServerCallContext context)
    {
        var violations = new List<D.FieldViolation>();
        if (request.Reason is not (CancellationReason.SeriousCase or CancellationReason.CostExceedsRevenue or CancellationReason.Other))
        {
            violations.Add(new D.FieldViolation("reason", "is required: SERIOUS_CASE, COST_EXCEEDS_REVENUE or OTHER (THREE_NON_COMPLIANT_MONTHS is set by the monthly close only)."));
        }

        return await SanctionAsync(context, "CancelPartner", request.Name, request.ReasonText, request.Etag, request.RequestId, request, violations, (row, name) =>
        {
            D.PartnerSanctions.CheckCancel(name, row.Status);
            row.Status = D.PartnerStatus.Cancelled;
            row.SuspensionReason = null;
            row.CancellationReason = (D.CancellationReason)(int)request.Reason;
            row.SettlementState = D.PartnerSanctions.StandingAfterCancel(row.Kind, row.SettlementState);
            return $"cooperation cancelled ({row.CancellationReason})";
        });
    }

    /// <summary>Gets today's date in Asia/Shanghai on the business clock.</summary>
    private LocalDate Today => D.BusinessCalendar.DateAt(clock.Now);

    private async Task<Partner> SanctionAsync(
        ServerCallContext context, string method, string name, string reasonText, string etag, string requestId, IMessage request,
        List<D.FieldViolation> violations, Func<E.Partner, string, string> move)
    {
        var caller = context.GetCaller();
        var id = D.Requests.PartnerName(name, "name", violations);
        D.Requests.CheckText(reasonText, "reason_text", D.PartnerRules.MaxReasonLength, required: true, violations);
        D.Requests.CheckRequestId(requestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, method, requestId, request, async () =>
        {
            var row = await FindVisibleAsync(caller, id!, name, tracked: true, cancellationToken);
            CheckEtag(row, etag, name);
            var summary = move(row, name);
            row.StatusReason = reasonText.Trim();
            var now = clock.UtcNow;
            Touch(row, now);
            AuditTrail.Record(db, caller, Prefix + method, name, row.Id, requestId, summary, now, row.StatusReason);
            await db.SaveChangesAsync(cancellationToken);
            return await ShowAsync(row, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Runs a write once per request id (common.proto), answering what it stored.</summary>
    private async Task<TResponse> WriteAsync<TResponse>(
        D.Caller caller, string method, string requestId, IMessage request, Func<Task<TResponse>> write, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var parser = new MessageParser<TResponse>(() => new TResponse());
        return await Idempotency.WriteOnceAsync(db, caller, Prefix + method, requestId, request, parser, time, async () =>
        {
            var response = await write();
            return (response, response);
        }, cancellationToken);
    }

    /// <summary>The partner <paramref name="id"/> if the caller may see it (an SI only its own); NOT_FOUND otherwise.</summary>
    private async Task<E.Partner> FindVisibleAsync(D.Caller caller, string id, string name, bool tracked, CancellationToken cancellationToken)
    {
        if (caller.IsPartnerBound && caller.PartnerId != id)
        {
            throw new D.ResourceNotFoundException(name);
        }

        var partners = tracked ? db.Partners : db.Partners.AsNoTracking();
        return await partners.Include(p => p.Contacts).SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new D.ResourceNotFoundException(name);
    }

    private async Task<Partner> ShowAsync(E.Partner row, CancellationToken cancellationToken) =>
        PartnerMessages.Show(row, Today, await calendars.GetAsync(db, cancellationToken));

    private static void CheckEtag(E.Partner row, string etag, string name)
    {
        if (etag.Length > 0 && etag != PartnerMessages.EtagOf(row.Version))
        {
            throw new D.EtagMismatchException(name);
        }
    }

    /// <summary>Marks the partner changed at <paramref name="now"/>, so that saving moves its version (and etag) on.</summary>
    private void Touch(E.Partner row, DateTimeOffset now)
    {
        row.UpdatedAt = now;
        db.Entry(row).Property(p => p.UpdatedAt).IsModified = true;
    }
}
