using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using YearMonth = NodaTime.YearMonth;
using NodaTime.Extensions;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Server.Identity;
using PartnerExchange.Server.Time;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>Settings of the monthly settlement (<c>Settlement</c> section).</summary>
/// <param name="Currency">The settlement currency of every SI (default CNY).</param>
/// <param name="EmpComplaintThreshold">The EMP complaint-volume threshold (default 5).</param>
internal sealed record SettlementSettings(string Currency, long EmpComplaintThreshold)
{
    /// <summary>Reads the settings, refusing bad values at start.</summary>
    public static SettlementSettings From(IConfiguration configuration)
    {
        var currency = configuration["Settlement:Currency"] ?? "CNY";
        var threshold = configuration.GetValue("Settlement:EmpComplaintThreshold", 5L);
        return D.Money.IsCurrencyCode(currency) && threshold > 0
            ? new SettlementSettings(currency, threshold)
            : throw new InvalidOperationException("Settlement:Currency must be an ISO 4217 code and Settlement:EmpComplaintThreshold positive.");
    }
}

/// <summary>
/// Monthly settlement of SIs (rulebook sections 5 and 7): the money facts (settlement bases, refunds), the assessment
/// and close of a month, and reading assessments and statements. An SI reads only its own partner's; a cancelled SI
/// keeps that read access and can do nothing else.
/// </summary>
internal sealed partial class SettlementService(PartnerExchangeDbContext db, BusinessClock clock, TimeProvider time, SettlementSettings settings)
    : Contracts.V1.SettlementService.SettlementServiceBase
{
    private const string Prefix = "/partnerexchange.v1.SettlementService/";

    /// <summary>SettlementService.RecordSettlementBasis: the month's gross amount of an SI, replaceable until the month closes.</summary>
    public override async Task<SettlementBasis> RecordSettlementBasis(RecordSettlementBasisRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var partnerId = D.Requests.PartnerName(request.Parent, "parent", violations);
        var month = ProtoDates.ReadMonth(request.Period, "period", violations);
        var gross = CheckMoney(request.GrossAmount, "gross_amount", allowZero: true, violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "RecordSettlementBasis", request.RequestId, request, SettlementBasis.Parser, async () =>
        {
            var partner = await FindSiAsync(partnerId!, request.Parent, cancellationToken);
            await CheckOpenAsync(month!.Value, cancellationToken);
            var key = D.PartnerNames.MonthText(month.Value);
            var basis = await db.SettlementBases.SingleOrDefaultAsync(b => b.PartnerId == partner.Id && b.Month == key, cancellationToken);
            var name = $"partners/{partner.Id}/settlementBases/{key}";
            if (request.Etag.Length > 0 && (basis is null || request.Etag != BasisEtag(basis)))
            {
                throw new D.EtagMismatchException(name);
            }

            var before = basis?.GrossAmountMinor;
            if (basis is null)
            {
                basis = new Data.Entities.SettlementBasis { PartnerId = partner.Id, Month = key, Currency = settings.Currency };
                db.SettlementBases.Add(basis);
            }

            basis.GrossAmountMinor = gross;
            basis.Currency = settings.Currency;
            basis.RecordedBy = caller.Subject;
            basis.RecordedAt = clock.UtcNow;
            AuditTrail.Record(db, caller, Prefix + "RecordSettlementBasis", name, partner.Id, request.RequestId,
                $"gross {Format(before)} -> {Format(gross)} {settings.Currency}", clock.UtcNow);
            var answer = ToMessage(basis);
            return (answer, answer);
        }, cancellationToken);
    }

    /// <summary>SettlementService.RecordRefund: a refund the carrier paid, deducted in its paid month or the earliest open one.</summary>
    public override async Task<Refund> RecordRefund(RecordRefundRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var partnerId = D.Requests.PartnerName(request.Parent, "parent", violations);
        var (kind, charged, workOrderId) = CheckRefund(request.Refund, violations);
        var paid = CheckPaidTime(request.Refund?.PaidTime, "refund.paid_time", violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "RecordRefund", request.RequestId, request, Refund.Parser, async () =>
        {
            var partner = await FindSiAsync(partnerId!, request.Parent, cancellationToken);
            await CheckWorkOrderAsync(workOrderId, partner.Id, cancellationToken);
            var refund = NewRefund(partner.Id, request.Refund!, kind, charged, workOrderId, caller, D.RefundState.Paid);
            await SetPaidAsync(refund, paid!.Value, cancellationToken);
            var answer = await AddRefundAsync(refund, caller, "RecordRefund", request.RequestId,
                $"{kind} refund of {Format(refund.RefundMinor)} {refund.Currency} paid {refund.PaidMonth}, deducted in {refund.DeductionMonth}", cancellationToken);
            return (answer, answer);
        }, cancellationToken);
    }

    /// <summary>SettlementService.ReportVerifiedRefund: an SI's verified double refund, a deduction once the carrier credits it.</summary>
    public override async Task<Refund> ReportVerifiedRefund(ReportVerifiedRefundRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var partnerId = D.Requests.PartnerName(request.Parent, "parent", violations);
        var (kind, charged, workOrderId) = CheckRefund(request.Refund, violations);
        if (request.Refund is not null && kind != D.RefundKind.Double)
        {
            violations.Add(new D.FieldViolation("refund.kind", "must be REFUND_KIND_DOUBLE: an SI reports the double refund of fees charged in error."));
        }

        if (request.Refund?.PaidTime is not null)
        {
            violations.Add(new D.FieldViolation("refund.paid_time", "must be unset: the carrier records when it credits the customer."));
        }

        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);
        if (partnerId != caller.PartnerId)
        {
            throw new D.NotResponsiblePartyException(request.Parent, "an SI reports only for its own partner, the one its token is bound to.");
        }

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "ReportVerifiedRefund", request.RequestId, request, Refund.Parser, async () =>
        {
            var partner = await FindSiAsync(partnerId!, request.Parent, cancellationToken);
            if (partner.Status == D.PartnerStatus.Cancelled)
            {
                throw new D.PreconditionFailedException(D.ErrorReason.PartnerCancelled, $"{request.Parent}'s cooperation is cancelled; it can only read.",
                    new D.PreconditionViolation("PARTNER_CANCELLED", request.Parent, "The partner's cooperation is cancelled."));
            }

            await CheckWorkOrderAsync(workOrderId, partner.Id, cancellationToken);
            var refund = NewRefund(partner.Id, request.Refund!, kind, charged, workOrderId, caller, D.RefundState.Reported);
            var answer = await AddRefundAsync(refund, caller, "ReportVerifiedRefund", request.RequestId,
                $"verified double refund of {Format(refund.RefundMinor)} {refund.Currency} reported", cancellationToken);
            return (answer, answer);
        }, cancellationToken);
    }

    /// <summary>SettlementService.RecordRefundCredit: the carrier credited an SI-reported refund, which becomes a deduction.</summary>
    public override async Task<Refund> RecordRefundCredit(RecordRefundCreditRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var name = D.Requests.RefundName(request.Name, "name", violations);
        var paid = CheckPaidTime(request.PaidTime, "paid_time", violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "RecordRefundCredit", request.RequestId, request, Refund.Parser, async () =>
        {
            var (partnerId, id) = name!.Value;
            var refund = await db.Refunds.SingleOrDefaultAsync(r => r.Id == id && r.PartnerId == partnerId, cancellationToken)
                ?? throw new D.ResourceNotFoundException(request.Name);
            if (request.Etag.Length > 0 && request.Etag != Etag(refund.Version))
            {
                throw new D.EtagMismatchException(request.Name);
            }

            if (refund.State != D.RefundState.Reported)
            {
                throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{request.Name} is already credited.",
                    new D.PreconditionViolation("STATE", request.Name, "The refund is PAID; only a REPORTED refund can be credited."));
            }

            refund.State = D.RefundState.Paid;
            await SetPaidAsync(refund, paid!.Value, cancellationToken);
            var answer = ToMessage(refund);
            answer.Etag = Etag(refund.Version + 1);
            AuditTrail.Record(db, caller, Prefix + "RecordRefundCredit", request.Name, partnerId, request.RequestId,
                $"REPORTED -> PAID {refund.PaidMonth}, deducted in {refund.DeductionMonth}", clock.UtcNow);
            return (answer, answer);
        }, cancellationToken);
    }

    /// <summary>SettlementService.ListRefunds: newest paid first, reported ones not yet credited first of all.</summary>
    public override async Task<ListRefundsResponse> ListRefunds(ListRefundsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var (partnerId, all) = Parent(request.Parent, caller, violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var month = request.PaidPeriod is null ? null : ProtoDates.ReadMonth(request.PaidPeriod, "paid_period", violations);
        var query = string.Join("\n", "refunds", partnerId, month is { } m ? D.PartnerNames.MonthText(m) : null);
        var after = D.Requests.ReadPageToken(request.PageToken, query, violations);
        var position = ReadPosition(after, violations);
        D.Requests.ThrowIfAny(violations);
        await CheckPartnerExistsAsync(partnerId, all, request.Parent, context.CancellationToken);

        var refunds = db.Refunds.AsNoTracking();
        if (!all)
        {
            refunds = refunds.Where(r => r.PartnerId == partnerId);
        }

        if (month is { } paidMonth)
        {
            var key = D.PartnerNames.MonthText(paidMonth);
            refunds = refunds.Where(r => r.PaidMonth == key);
        }

        // Reported refunds (no paid time) sort as the newest; then by paid time and id, both descending.
        var unpaid = DateTimeOffset.MaxValue;
        if (position is { } p)
        {
            var at = new DateTimeOffset(p.Ticks, TimeSpan.Zero);
            refunds = refunds.Where(r => (r.PaidAt ?? unpaid) < at || ((r.PaidAt ?? unpaid) == at && r.Id < p.Id));
        }

        var page = await refunds.OrderByDescending(r => r.PaidAt ?? unpaid).ThenByDescending(r => r.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListRefundsResponse();
        response.Refunds.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = D.Requests.PageToken(query, Position((last.PaidAt ?? unpaid).UtcTicks, last.Id));
        }

        return response;
    }

    /// <summary>SettlementService.GetSettlementBasis.</summary>
    public override async Task<SettlementBasis> GetSettlementBasis(GetSettlementBasisRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var name = D.Requests.PartnerMonthName(request.Name, "settlementBases", "name", violations);
        D.Requests.ThrowIfAny(violations);
        var (partnerId, month) = name!.Value;
        var key = D.PartnerNames.MonthText(month);
        var basis = Visible(caller, partnerId)
            ? await db.SettlementBases.AsNoTracking().SingleOrDefaultAsync(b => b.PartnerId == partnerId && b.Month == key, context.CancellationToken)
            : null;
        return basis is null ? throw new D.ResourceNotFoundException(request.Name) : ToMessage(basis);
    }

    /// <summary>SettlementService.ListSettlementBases: newest month first, then by partner.</summary>
    public override async Task<ListSettlementBasesResponse> ListSettlementBases(ListSettlementBasesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var (partnerId, all) = Parent(request.Parent, caller, violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var month = request.Period is null ? null : ProtoDates.ReadMonth(request.Period, "period", violations);
        var query = string.Join("\n", "settlementBases", partnerId, month is { } m ? D.PartnerNames.MonthText(m) : null);
        var after = MonthPosition(D.Requests.ReadPageToken(request.PageToken, query, violations), violations);
        D.Requests.ThrowIfAny(violations);
        await CheckPartnerExistsAsync(partnerId, all, request.Parent, context.CancellationToken);

        var bases = db.SettlementBases.AsNoTracking();
        if (!all)
        {
            bases = bases.Where(b => b.PartnerId == partnerId);
        }

        if (month is { } only)
        {
            var key = D.PartnerNames.MonthText(only);
            bases = bases.Where(b => b.Month == key);
        }

        if (after is { } a)
        {
            bases = bases.Where(b => string.Compare(b.Month, a.Month) < 0 || (b.Month == a.Month && string.Compare(b.PartnerId, a.PartnerId) > 0));
        }

        var page = await bases.OrderByDescending(b => b.Month).ThenBy(b => b.PartnerId).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListSettlementBasesResponse();
        response.SettlementBases.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(query, page[pageSize - 1].Month + "|" + page[pageSize - 1].PartnerId);
        }

        return response;
    }

    private static string Format(long? minor) => minor is { } m ? (m / 100m).ToString("0.00", CultureInfo.InvariantCulture) : "none";

    private static string Etag(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    private static string BasisEtag(Data.Entities.SettlementBasis basis) =>
        "\"" + basis.GrossAmountMinor.ToString(CultureInfo.InvariantCulture) + "-" + (basis.RecordedAt?.UtcTicks ?? 0).ToString(CultureInfo.InvariantCulture) + "\"";

    private static string Position(long ticks, long id) => ticks.ToString(CultureInfo.InvariantCulture) + ":" + id.ToString(CultureInfo.InvariantCulture);

    private static (long Ticks, long Id)? ReadPosition(string? after, List<D.FieldViolation> violations)
    {
        if (after is null)
        {
            return null;
        }

        var parts = after.Split(':');
        if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var id))
        {
            return (ticks, id);
        }

        violations.Add(new D.FieldViolation("page_token", "is not a page token of this query; start again with an empty page_token."));
        return null;
    }

    private static (string Month, string PartnerId)? MonthPosition(string? after, List<D.FieldViolation> violations)
    {
        if (after is null)
        {
            return null;
        }

        var parts = after.Split('|');
        if (parts.Length == 2)
        {
            return (parts[0], parts[1]);
        }

        violations.Add(new D.FieldViolation("page_token", "is not a page token of this query; start again with an empty page_token."));
        return null;
    }

    /// <summary>Whether <paramref name="caller"/> may see the partner's settlement: an SI only its own.</summary>
    private static bool Visible(D.Caller caller, string partnerId) => caller.Role != D.ClientRoles.Partner || caller.PartnerId == partnerId;

    /// <summary>
    /// The partner of a list parent for <paramref name="caller"/>: an SI always lists its own partner (also for
    /// <c>partners/-</c>, which is for carrier roles), and another partner's parent answers NOT_FOUND.
    /// </summary>
    private static (string? PartnerId, bool All) Parent(string parent, D.Caller caller, List<D.FieldViolation> violations)
    {
        var partnerId = D.Requests.PartnerParent(parent, "parent", violations, out var all);
        if (caller.Role == D.ClientRoles.Partner)
        {
            if (!all && partnerId is not null && partnerId != caller.PartnerId)
            {
                throw new D.ResourceNotFoundException(parent);
            }

            return (caller.PartnerId, false);
        }

        return (all ? null : partnerId, all);
    }

    private async Task CheckPartnerExistsAsync(string? partnerId, bool all, string parent, CancellationToken cancellationToken)
    {
        if (!all && partnerId is not null && !await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw new D.ResourceNotFoundException(parent);
        }
    }

    private long CheckMoney(Money? money, string field, bool allowZero, List<D.FieldViolation> violations)
    {
        if (money is null)
        {
            violations.Add(new D.FieldViolation(field, "is required."));
            return 0;
        }

        if (money.CurrencyCode != settings.Currency)
        {
            violations.Add(new D.FieldViolation(field + ".currency_code", $"must be the settlement currency {settings.Currency}."));
        }

        if (money.MinorUnits < 0 || (!allowZero && money.MinorUnits == 0))
        {
            violations.Add(new D.FieldViolation(field + ".minor_units", allowZero ? "must not be negative." : "must be positive."));
        }

        return money.MinorUnits;
    }

    private (D.RefundKind Kind, long Charged, long? WorkOrderId) CheckRefund(Refund? refund, List<D.FieldViolation> violations)
    {
        if (refund is null)
        {
            violations.Add(new D.FieldViolation("refund", "is required."));
            return (D.RefundKind.Double, 0, null);
        }

        var kind = D.RefundKind.Double;
        if (refund.Kind == RefundKind.Unspecified || !System.Enum.IsDefined(refund.Kind))
        {
            violations.Add(new D.FieldViolation("refund.kind", "is required."));
        }
        else
        {
            kind = (D.RefundKind)(int)refund.Kind;
        }

        var charged = CheckMoney(refund.ChargedAmount, "refund.charged_amount", allowZero: false, violations);
        if (refund.Customer is null)
        {
            violations.Add(new D.FieldViolation("refund.customer", "is required."));
        }
        else
        {
            D.Requests.CheckText(refund.Customer.DisplayName, "refund.customer.display_name", 100, required: true, violations);
        }

        D.Requests.CheckText(refund.Description, "refund.description", 2000, required: true, violations);
        var workOrderId = refund.WorkOrder.Length == 0 ? null : D.Requests.WorkOrderName(refund.WorkOrder, "refund.work_order", violations);
        if (charged > long.MaxValue / 2)
        {
            violations.Add(new D.FieldViolation("refund.charged_amount.minor_units", "is too large."));
        }

        return (kind, charged, workOrderId);
    }

    private DateTimeOffset? CheckPaidTime(Timestamp? value, string field, List<D.FieldViolation> violations)
    {
        if (value is null)
        {
            violations.Add(new D.FieldViolation(field, "is required."));
            return null;
        }

        var paid = ProtoDates.ReadInstant(value, field, violations);
        if (paid > clock.UtcNow)
        {
            violations.Add(new D.FieldViolation(field, "must not be in the future."));
        }

        return paid;
    }

    private async Task<Data.Entities.Partner> FindSiAsync(string partnerId, string name, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == partnerId, cancellationToken)
            ?? throw new D.ResourceNotFoundException(name);
        return partner.Kind == D.PartnerKind.ServiceIntegrator ? partner : throw new D.PreconditionFailedException(
            D.ErrorReason.IllegalStateTransition, $"{name} is the platform operator, which is not settled as an SI.",
            new D.PreconditionViolation("PARTNER_KIND", name, "The platform operator is not assessed or settled."));
    }

    private async Task CheckWorkOrderAsync(long? workOrderId, string partnerId, CancellationToken cancellationToken)
    {
        if (workOrderId is { } id && !await db.WorkOrders.AnyAsync(o => o.Id == id && o.PartnerId == partnerId, cancellationToken))
        {
            throw new D.ResourceNotFoundException(WorkOrderStore.NameOf(id));
        }
    }

    /// <summary>Month closed answers FAILED_PRECONDITION MONTH_CLOSED: a closed month never changes.</summary>
    private Task CheckOpenAsync(YearMonth month, CancellationToken cancellationToken) =>
        ClosedMonths.ThrowIfClosedAsync(db, D.PartnerNames.MonthText(month), cancellationToken);

    /// <summary>Sets the paid time and the month that bears the deduction: the paid month, or the earliest open month after it.</summary>
    private async Task SetPaidAsync(Data.Entities.Refund refund, DateTimeOffset paid, CancellationToken cancellationToken)
    {
        var paidMonth = D.BusinessCalendar.DateAt(paid.ToInstant()).ToYearMonth();
        refund.PaidAt = paid;
        refund.PaidMonth = D.PartnerNames.MonthText(paidMonth);
        refund.DeductionMonth = D.PartnerNames.MonthText(await EarliestOpenMonthAsync(paidMonth, cancellationToken));
    }

    /// <summary>The earliest month from <paramref name="from"/> on that is not closed (months close in order).</summary>
    private async Task<YearMonth> EarliestOpenMonthAsync(YearMonth from, CancellationToken cancellationToken)
    {
        var key = D.PartnerNames.MonthText(from);
        var lastClosed = await db.SettlementPeriods.Where(p => p.ClosedAt != null && string.Compare(p.Month, key) >= 0)
            .OrderByDescending(p => p.Month).Select(p => p.Month).FirstOrDefaultAsync(cancellationToken);
        return lastClosed is null ? from : MonthOf(lastClosed).PlusMonths(1);
    }

    /// <summary>The month of a stored <c>YYYY-MM</c> key.</summary>
    private static YearMonth MonthOf(string key) => D.PartnerNames.ParseMonth(key) ?? throw new InvalidDataException($"'{key}' is not a stored month.");

    private Data.Entities.Refund NewRefund(string partnerId, Refund source, D.RefundKind kind, long charged, long? workOrderId, D.Caller caller, D.RefundState state)
    {
        var now = clock.UtcNow;
        var document = new Refund
        {
            Kind = source.Kind,
            ChargedAmount = new Money { CurrencyCode = settings.Currency, MinorUnits = charged },
            RefundAmount = new Money { CurrencyCode = settings.Currency, MinorUnits = D.RefundRules.RefundAmount(kind, charged) },
            Customer = source.Customer,
            WorkOrder = source.WorkOrder,
            Description = source.Description,
            RecordedBy = Actors.Of(caller),
            CreateTime = Timestamp.FromDateTimeOffset(now),
        };
        return new Data.Entities.Refund
        {
            PartnerId = partnerId,
            Kind = kind,
            State = state,
            ChargedMinor = charged,
            RefundMinor = D.RefundRules.RefundAmount(kind, charged),
            Currency = settings.Currency,
            WorkOrderId = workOrderId,
            CreatedAt = now,
            Document = document.ToByteArray(),
            Version = 1,
        };
    }

    /// <summary>Stores a new refund (its id names it) with the audit entry of the call; returns it as the API shows it.</summary>
    private async Task<Refund> AddRefundAsync(
        Data.Entities.Refund refund, D.Caller caller, string method, string requestId, string summary, CancellationToken cancellationToken)
    {
        db.Refunds.Add(refund);
        await db.SaveChangesAsync(cancellationToken);
        var answer = ToMessage(refund);
        AuditTrail.Record(db, caller, Prefix + method, answer.Name, refund.PartnerId, requestId, summary, clock.UtcNow);
        return answer;
    }

    private static Refund ToMessage(Data.Entities.Refund refund)
    {
        var message = Refund.Parser.ParseFrom(refund.Document);
        message.Name = $"partners/{refund.PartnerId}/refunds/{refund.Id.ToString(CultureInfo.InvariantCulture)}";
        message.State = (RefundState)(int)refund.State;
        message.PaidTime = refund.PaidAt is { } paid ? Timestamp.FromDateTimeOffset(paid) : null;
        message.PaidPeriod = refund.PaidMonth is { } p ? ProtoDates.WriteMonth(MonthOf(p)) : null;
        message.DeductionPeriod = refund.DeductionMonth is { } d ? ProtoDates.WriteMonth(MonthOf(d)) : null;
        message.Etag = Etag(refund.Version);
        return message;
    }

    private static SettlementBasis ToMessage(Data.Entities.SettlementBasis basis) => new()
    {
        Name = $"partners/{basis.PartnerId}/settlementBases/{basis.Month}",
        Period = ProtoDates.WriteMonth(MonthOf(basis.Month)),
        GrossAmount = new Money { CurrencyCode = basis.Currency, MinorUnits = basis.GrossAmountMinor },
        RecordedBy = basis.RecordedBy is null ? null : new Actor { Subject = basis.RecordedBy },
        RecordTime = basis.RecordedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        Etag = BasisEtag(basis),
    };

    private async Task<TResponse> WriteAsync<TResponse>(
        D.Caller caller, string method, string requestId, IMessage request, MessageParser<TResponse> parser, Func<Task<(TResponse Stored, TResponse Answer)>> write,
        CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse> =>
        await Idempotency.WriteOnceAsync(db, caller, Prefix + method, requestId, request, parser, time, write, cancellationToken);
}
