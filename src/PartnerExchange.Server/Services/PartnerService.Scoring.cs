using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using YearMonth = NodaTime.YearMonth;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;
using E = PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Services;

/// <summary>The monthly inputs of an SI's assessment: subscriber bases (section 5) and response-rate deductions (section 6).</summary>
internal sealed partial class PartnerService
{
    /// <summary>PartnerService.RecordSubscriberBase: the month's counts, replacing earlier ones (etag optional).</summary>
    public override async Task<SubscriberBase> RecordSubscriberBase(RecordSubscriberBaseRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.PartnerName(request.Parent, "parent", violations);
        var month = PartnerMessages.ReadMonth(request.Period, "period", CurrentMonth, violations);
        if (request.BilledUsers < 0)
        {
            violations.Add(new D.FieldViolation("billed_users", "must be zero or more."));
        }

        if (request.GroupCustomers < 0)
        {
            violations.Add(new D.FieldViolation("group_customers", "must be zero or more."));
        }

        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "RecordSubscriberBase", request.RequestId, request, async () =>
        {
            var partner = await FindVisibleAsync(caller, id!, request.Parent, tracked: false, cancellationToken);
            CheckServiceIntegrator(partner, request.Parent, "has no subscriber base");
            var monthText = D.PartnerNames.MonthText(month!.Value);
            await ClosedMonths.ThrowIfClosedAsync(db, monthText, cancellationToken);
            var name = D.PartnerNames.SubscriberBase(partner.Id, monthText);
            var row = await db.SubscriberBases.SingleOrDefaultAsync(b => b.PartnerId == partner.Id && b.Month == monthText, cancellationToken);
            if (request.Etag.Length > 0 && (row is null || request.Etag != PartnerMessages.EtagOf(row.Version)))
            {
                throw new D.EtagMismatchException(name);
            }

            var now = clock.UtcNow;
            var before = row is null ? "none" : $"{row.BilledUsers} billed users, {row.GroupCustomers} group customers";
            if (row is null)
            {
                row = new E.SubscriberBase { PartnerId = partner.Id, Month = monthText };
                db.SubscriberBases.Add(row);
            }
            else
            {
                db.Entry(row).Property(b => b.RecordedAt).IsModified = true;
            }

            row.BilledUsers = request.BilledUsers;
            row.GroupCustomers = request.GroupCustomers;
            row.RecordedAt = now;
            row.RecordedBy = caller.Subject;
            row.RecordedByRole = caller.Role;
            AuditTrail.Record(db, caller, Prefix + "RecordSubscriberBase", name, partner.Id, request.RequestId,
                $"subscriber base {monthText}: {request.BilledUsers} billed users, {request.GroupCustomers} group customers (was {before})", now);
            await db.SaveChangesAsync(cancellationToken);
            return PartnerMessages.Show(row);
        }, cancellationToken);
    }

    /// <summary>PartnerService.GetSubscriberBase: one month's counts; another SI's answers NOT_FOUND.</summary>
    public override async Task<SubscriberBase> GetSubscriberBase(GetSubscriberBaseRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var name = D.PartnerNames.ReadSubscriberBase(request.Name, "name", violations);
        D.Requests.ThrowIfAny(violations);

        var (partnerId, month) = name!.Value;
        var monthText = D.PartnerNames.MonthText(month);
        var row = caller.IsPartnerBound && caller.PartnerId != partnerId
            ? null
            : await db.SubscriberBases.AsNoTracking().SingleOrDefaultAsync(b => b.PartnerId == partnerId && b.Month == monthText, context.CancellationToken);
        return row is null ? throw new D.ResourceNotFoundException(request.Name) : PartnerMessages.Show(row);
    }

    /// <summary>PartnerService.ListSubscriberBases: the partner's months, newest first.</summary>
    public override async Task<ListSubscriberBasesResponse> ListSubscriberBases(ListSubscriberBasesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.PartnerName(request.Parent, "parent", violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var after = D.Requests.ReadPageToken(request.PageToken, request.Parent + "/subscriberBases", violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        await CheckVisibleAsync(caller, id!, request.Parent, cancellationToken);
        var rows = db.SubscriberBases.AsNoTracking().Where(b => b.PartnerId == id);
        if (after is not null)
        {
            rows = rows.Where(b => string.Compare(b.Month, after) < 0);
        }

        var page = await rows.OrderByDescending(b => b.Month).Take(pageSize + 1).ToListAsync(cancellationToken);
        var response = new ListSubscriberBasesResponse();
        response.SubscriberBases.AddRange(page.Take(pageSize).Select(PartnerMessages.Show));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(request.Parent + "/subscriberBases", page[pageSize - 1].Month);
        }

        return response;
    }

    /// <summary>PartnerService.RecordResponseDeduction: points 0 take the reason's configured default.</summary>
    public override async Task<ResponseDeduction> RecordResponseDeduction(RecordResponseDeductionRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.PartnerName(request.Parent, "parent", violations);
        var source = request.Deduction;
        YearMonth? month = null;
        var reason = D.ResponseDeductionReason.PoorAttitude;
        var recordedPoints = 0;
        long? workOrderId = null;
        if (source is null)
        {
            violations.Add(new D.FieldViolation("deduction", "is required."));
        }
        else
        {
            month = PartnerMessages.ReadMonth(source.Period, "deduction.period", CurrentMonth, violations);
            if (!Enum.IsDefined((D.ResponseDeductionReason)(int)source.Reason))
            {
                violations.Add(new D.FieldViolation("deduction.reason", "is required: one of the section 6 reasons."));
            }
            else
            {
                reason = (D.ResponseDeductionReason)(int)source.Reason;
                recordedPoints = points.Resolve(reason, source.Points, "deduction.points", violations);
            }

            D.Requests.CheckText(source.Description, "deduction.description", 2000, required: true, violations);
            if (source.WorkOrder.Length > 0)
            {
                workOrderId = D.Requests.WorkOrderName(source.WorkOrder, "deduction.work_order", violations);
            }
        }

        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "RecordResponseDeduction", request.RequestId, request, async () =>
        {
            var partner = await FindVisibleAsync(caller, id!, request.Parent, tracked: false, cancellationToken);
            CheckServiceIntegrator(partner, request.Parent, "has no response-rate score");
            await ClosedMonths.ThrowIfClosedAsync(db, D.PartnerNames.MonthText(month!.Value), cancellationToken);
            if (workOrderId is { } orderId && !await db.WorkOrders.AnyAsync(o => o.Id == orderId && o.PartnerId == partner.Id, cancellationToken))
            {
                throw new D.ResourceNotFoundException(source!.WorkOrder);
            }

            var now = clock.UtcNow;
            var row = AddDeduction(caller, partner.Id, month!.Value, reason, recordedPoints, source!.Description.Trim(), workOrderId, automatic: false, now);
            await db.SaveChangesAsync(cancellationToken);
            var deduction = PartnerMessages.Show(row);
            AuditTrail.Record(db, caller, Prefix + "RecordResponseDeduction", deduction.Name, partner.Id, request.RequestId,
                $"{row.Points} points deducted from {row.Month}: {reason}", now);
            await db.SaveChangesAsync(cancellationToken);
            return deduction;
        }, cancellationToken);
    }

    /// <summary>PartnerService.ListResponseDeductions: newest first, withdrawn ones marked; an SI sees its own.</summary>
    public override async Task<ListResponseDeductionsResponse> ListResponseDeductions(ListResponseDeductionsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.PartnerName(request.Parent, "parent", violations);
        var month = PartnerMessages.ReadMonth(request.Period, "period", new YearMonth(9999, 12), violations, required: false);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var monthText = month is { } m ? D.PartnerNames.MonthText(m) : null;
        var query = $"{request.Parent}/responseDeductions?period={monthText}";
        var after = D.Requests.ReadPageToken(request.PageToken, query, violations);
        long? afterId = after is null ? null : long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        await CheckVisibleAsync(caller, id!, request.Parent, cancellationToken);
        var rows = db.ResponseDeductions.AsNoTracking().Where(d => d.PartnerId == id);
        if (monthText is not null)
        {
            rows = rows.Where(d => d.Month == monthText);
        }

        if (afterId is not null)
        {
            rows = rows.Where(d => d.Id < afterId);
        }

        var page = await rows.OrderByDescending(d => d.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var response = new ListResponseDeductionsResponse();
        response.ResponseDeductions.AddRange(page.Take(pageSize).Select(PartnerMessages.Show));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(query, page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>PartnerService.WithdrawResponseDeduction: it stays listed, marked, and no longer counts; audited with the reason.</summary>
    public override async Task<ResponseDeduction> WithdrawResponseDeduction(WithdrawResponseDeductionRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var name = D.PartnerNames.ReadResponseDeduction(request.Name, "name", violations);
        D.Requests.CheckText(request.ReasonText, "reason_text", D.PartnerRules.MaxReasonLength, required: true, violations);
        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var (partnerId, deductionId) = name!.Value;
        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "WithdrawResponseDeduction", request.RequestId, request, async () =>
        {
            var row = await db.ResponseDeductions.SingleOrDefaultAsync(d => d.Id == deductionId && d.PartnerId == partnerId, cancellationToken)
                ?? throw new D.ResourceNotFoundException(request.Name);
            await ClosedMonths.ThrowIfClosedAsync(db, row.Month, cancellationToken);
            if (row.WithdrawnAt is not null)
            {
                throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{request.Name} is already withdrawn.",
                    new D.PreconditionViolation("STATE", request.Name, "The deduction is withdrawn."));
            }

            var now = clock.UtcNow;
            row.WithdrawnAt = now;
            row.WithdrawnBy = caller.Subject;
            row.WithdrawnByRole = caller.Role;
            row.WithdrawReason = request.ReasonText.Trim();
            AuditTrail.Record(db, caller, Prefix + "WithdrawResponseDeduction", request.Name, partnerId, request.RequestId,
                $"deduction of {row.Points} points from {row.Month} withdrawn ({row.Reason})", now, row.WithdrawReason);
            await db.SaveChangesAsync(cancellationToken);
            return PartnerMessages.Show(row);
        }, cancellationToken);
    }

    /// <summary>Gets the current month in Asia/Shanghai on the business clock.</summary>
    private YearMonth CurrentMonth => new(Today.Year, Today.Month);

    private E.ResponseDeduction AddDeduction(
        D.Caller caller, string partnerId, YearMonth month, D.ResponseDeductionReason reason, int deducted, string description, long? workOrderId, bool automatic,
        DateTimeOffset now)
    {
        var row = new E.ResponseDeduction
        {
            PartnerId = partnerId,
            Month = D.PartnerNames.MonthText(month),
            Reason = reason,
            Points = deducted,
            Description = description,
            WorkOrderId = workOrderId,
            Automatic = automatic,
            RecordedBy = caller.Subject,
            RecordedByRole = caller.Role,
            RecordedByPartnerId = caller.PartnerId,
            CreatedAt = now,
        };
        db.ResponseDeductions.Add(row);
        return row;
    }

    private async Task CheckVisibleAsync(D.Caller caller, string id, string name, CancellationToken cancellationToken)
    {
        if ((caller.IsPartnerBound && caller.PartnerId != id) || !await db.Partners.AnyAsync(p => p.Id == id, cancellationToken))
        {
            throw new D.ResourceNotFoundException(name);
        }
    }

    private static void CheckServiceIntegrator(E.Partner partner, string name, string what)
    {
        if (partner.Kind != D.PartnerKind.ServiceIntegrator)
        {
            throw new D.PreconditionFailedException(D.ErrorReason.IllegalStateTransition, $"{name} is the platform operator, which is not assessed and {what}.",
                new D.PreconditionViolation("KIND", name, "The partner is the platform operator, not a service integrator."));
        }
    }
}
