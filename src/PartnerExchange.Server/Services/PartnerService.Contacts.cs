using Grpc.Core;
using NodaTime;
using YearMonth = NodaTime.YearMonth;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;
using E = PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Services;

/// <summary>Contact changes under the 15-working-day notice rule (rulebook sections 3, 6 and 9).</summary>
internal sealed partial class PartnerService
{
    /// <summary>
    /// PartnerService.UpdatePartnerContacts: the new contacts apply from the effective date (at once when it is today),
    /// replacing any pending change; a notice shorter than 15 working days records a "change not notified" deduction.
    /// </summary>
    public override async Task<UpdatePartnerContactsResponse> UpdatePartnerContacts(UpdatePartnerContactsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var today = Today;
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.PartnerName(request.Name, "name", violations);
        var contacts = PartnerMessages.ToDomain(request.Contacts);
        D.PartnerRules.CheckContacts(contacts, "contacts.", violations);
        var effective = ProtoDates.Read(request.EffectiveDate, "effective_date", violations);
        if (effective < today)
        {
            violations.Add(new D.FieldViolation("effective_date", $"must be today ({today:yyyy-MM-dd}) or later."));
        }

        LocalDate? noticeDate = null;
        if (request.NoticeDate is not null)
        {
            noticeDate = ProtoDates.Read(request.NoticeDate, "notice_date", violations);
            if (caller.Role != D.ClientRoles.PartnerManager)
            {
                violations.Add(new D.FieldViolation("notice_date", "is for a partner manager recording a change notified earlier; an SI's notice is its call."));
            }
            else if (noticeDate > today)
            {
                violations.Add(new D.FieldViolation("notice_date", $"must be today ({today:yyyy-MM-dd}) or earlier."));
            }
            else if (noticeDate > effective)
            {
                violations.Add(new D.FieldViolation("notice_date", "must not be after the effective date."));
            }
        }

        if (string.IsNullOrEmpty(request.Etag))
        {
            violations.Add(new D.FieldViolation("etag", "is required: the partner's current etag."));
        }

        D.Requests.CheckRequestId(request.RequestId, violations);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await WriteAsync(caller, "UpdatePartnerContacts", request.RequestId, request, async () =>
        {
            var row = await FindVisibleAsync(caller, id!, request.Name, tracked: true, cancellationToken);
            D.CancelledPartners.ThrowIfCancelled(request.Name, row.Status, "its contacts no longer change");
            CheckEtag(row, request.Etag, request.Name);

            var now = clock.UtcNow;
            var calendar = await calendars.GetAsync(db, cancellationToken);
            var notice = D.ContactNotice.Of(calendar, noticeDate ?? today, effective!.Value);
            var notifiedAt = noticeDate is { } given ? D.BusinessCalendar.StartOf(given).ToDateTimeOffset() : now;

            // A new announcement replaces the pending one: the new contacts are complete.
            var todayDate = today.ToDateOnly();
            var replaced = row.Contacts.Where(c => c.EffectiveFrom > todayDate).ToList();
            db.PartnerContacts.RemoveRange(replaced);
            row.Contacts.RemoveAll(replaced.Contains);
            row.Contacts.AddRange(PartnerMessages.Rows(row.Id, contacts!, effective.Value, notifiedAt));
            Touch(row, now);
            var summary = $"contacts changed effective {effective:yyyy-MM-dd}, notified {notice.NoticeDate:yyyy-MM-dd}: "
                + $"{notice.WorkingDays} working days' notice, {(notice.Met ? "met" : $"not met (earliest {notice.EarliestCompliantDate:yyyy-MM-dd})")}";
            AuditTrail.Record(db, caller, Prefix + "UpdatePartnerContacts", request.Name, row.Id, request.RequestId, summary, now);

            E.ResponseDeduction? deduction = null;
            if (!notice.Met && row.Kind == D.PartnerKind.ServiceIntegrator)
            {
                deduction = AddDeduction(caller, row.Id, new YearMonth(today.Year, today.Month), D.ResponseDeductionReason.ChangeNotNotified,
                    points.For(D.ResponseDeductionReason.ChangeNotNotified),
                    $"Contact change effective {effective:yyyy-MM-dd} notified on {notice.NoticeDate:yyyy-MM-dd}: {notice.WorkingDays} working days' notice, "
                    + $"{D.ContactNotice.RequiredWorkingDays} required (earliest compliant effective date {notice.EarliestCompliantDate:yyyy-MM-dd}).",
                    workOrderId: null, automatic: true, now);
            }

            await db.SaveChangesAsync(cancellationToken);
            var response = new UpdatePartnerContactsResponse
            {
                Partner = PartnerMessages.Show(row, today, calendar),
                NoticeWorkingDays = notice.WorkingDays,
                NoticeMet = notice.Met,
            };
            if (deduction is not null)
            {
                response.Deduction = PartnerMessages.Show(deduction);
                AuditTrail.Record(db, caller, Prefix + "UpdatePartnerContacts", response.Deduction.Name, row.Id, request.RequestId,
                    $"automatic deduction of {deduction.Points} points: change not notified", now);
                await db.SaveChangesAsync(cancellationToken);
            }

            return response;
        }, cancellationToken);
    }
}
