using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using NodaTime;
using PartnerExchange.Contracts.V1;
using D = PartnerExchange.Domain;
using E = PartnerExchange.Data.Entities;

namespace PartnerExchange.Server.Services;

/// <summary>How partner management's rows read as the contract's messages, and the contract's enums as the Domain's.</summary>
internal static class PartnerMessages
{
    private static readonly D.ContactKind[] SetKinds =
    [
        D.ContactKind.CompanyName, D.ContactKind.BusinessType, D.ContactKind.Hotline7x24, D.ContactKind.Mobile, D.ContactKind.CustomerService,
        D.ContactKind.Technical, D.ContactKind.OnlineChannel,
    ];

    /// <summary>The etag of a row version, as work orders write it.</summary>
    public static string EtagOf(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The partner as the contract shows it on <paramref name="today"/>: per kind the contact row in effect (latest
    /// effective date not after today, then latest written), and the pending change (rows effective later) with its notice.
    /// </summary>
    public static Partner Show(E.Partner row, LocalDate today, D.BusinessCalendar calendar)
    {
        var partner = new Partner
        {
            Name = "partners/" + row.Id,
            DisplayName = row.DisplayName,
            Kind = row.Kind == D.PartnerKind.ServiceIntegrator ? PartnerKind.ServiceIntegrator : PartnerKind.PlatformOperator,
            AssessmentMode = row.Mode switch { D.AssessmentMode.C => AssessmentMode.C, D.AssessmentMode.Emp => AssessmentMode.Emp, _ => AssessmentMode.Unspecified },
            Contacts = ContactsOf(row.Contacts.Where(c => ToLocal(c.EffectiveFrom) <= today)),
            State = (PartnerState)((int)row.Status + 1),
            SettlementStanding = row.Kind == D.PartnerKind.ServiceIntegrator ? (SettlementStanding)((int)row.SettlementState + 1) : SettlementStanding.Unspecified,
            StateReason = row.StatusReason ?? string.Empty,
            SuspensionReason = row.Status == D.PartnerStatus.Suspended && row.SuspensionReason is { } suspension ? (SuspensionReason)(int)suspension : SuspensionReason.Unspecified,
            CancellationReason = row.CancellationReason is { } cancellation ? (CancellationReason)(int)cancellation : CancellationReason.Unspecified,
            SettlementCurrencyCode = row.SettlementCurrency ?? string.Empty,
            CreateTime = Timestamp.FromDateTimeOffset(row.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(row.UpdatedAt),
            Etag = EtagOf(row.Version),
        };

        var pending = row.Contacts.Where(c => ToLocal(c.EffectiveFrom) > today).ToList();
        if (pending.Count > 0)
        {
            var effective = ToLocal(pending.Max(c => c.EffectiveFrom));
            var notifiedAt = pending.Max(c => c.NotifiedAt);
            var notice = D.ContactNotice.Of(calendar, D.BusinessCalendar.DateAt(Instant.FromDateTimeOffset(notifiedAt)), effective);
            partner.PendingContactChange = new PendingContactChange
            {
                Contacts = ContactsOf(pending),
                EffectiveDate = ProtoDates.Write(effective),
                AnnounceTime = Timestamp.FromDateTimeOffset(notifiedAt),
                NoticeWorkingDays = notice.WorkingDays,
                NoticeMet = notice.Met,
            };
        }

        return partner;
    }

    /// <summary>The contacts of the rows given: per kind the latest effective, then latest written row.</summary>
    public static PartnerContacts ContactsOf(IEnumerable<E.PartnerContact> rows)
    {
        var current = rows.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.EffectiveFrom).ThenByDescending(c => c.Id).First());
        string Value(D.ContactKind kind) => current.TryGetValue(kind, out var row) ? row.Value : string.Empty;
        ContactPerson? Person(D.ContactKind kind) =>
            current.TryGetValue(kind, out var row) ? new ContactPerson { Name = row.ContactName ?? string.Empty, PhoneNumber = row.Value } : null;
        return new PartnerContacts
        {
            CompanyName = Value(D.ContactKind.CompanyName),
            BusinessType = Value(D.ContactKind.BusinessType),
            HotlineNumber = Value(D.ContactKind.Hotline7x24),
            MobileNumber = Value(D.ContactKind.Mobile),
            ServiceContact = Person(D.ContactKind.CustomerService),
            TechnicalContact = Person(D.ContactKind.Technical),
            OnlineServiceUrl = Value(D.ContactKind.OnlineChannel),
        };
    }

    /// <summary>The Domain's contact set of a request's contacts, <c>null</c> when they are missing.</summary>
    public static D.ContactSet? ToDomain(PartnerContacts? contacts) => contacts is null ? null : new D.ContactSet(
        contacts.CompanyName.Trim(), contacts.BusinessType.Trim(), contacts.HotlineNumber, contacts.MobileNumber,
        contacts.ServiceContact is { } service ? new D.ContactPerson(service.Name.Trim(), service.PhoneNumber) : null,
        contacts.TechnicalContact is { } technical ? new D.ContactPerson(technical.Name.Trim(), technical.PhoneNumber) : null,
        contacts.OnlineServiceUrl);

    /// <summary>The rows of a complete contact set, one per kind, effective from <paramref name="effective"/>.</summary>
    public static IEnumerable<E.PartnerContact> Rows(string partnerId, D.ContactSet contacts, LocalDate effective, DateTimeOffset notifiedAt) =>
        SetKinds.Select(kind => new E.PartnerContact
        {
            PartnerId = partnerId,
            Kind = kind,
            Value = kind switch
            {
                D.ContactKind.CompanyName => contacts.CompanyName,
                D.ContactKind.BusinessType => contacts.BusinessType,
                D.ContactKind.Hotline7x24 => contacts.HotlineNumber,
                D.ContactKind.Mobile => contacts.MobileNumber,
                D.ContactKind.CustomerService => contacts.ServiceContact!.PhoneNumber,
                D.ContactKind.Technical => contacts.TechnicalContact!.PhoneNumber,
                _ => contacts.OnlineServiceUrl,
            },
            ContactName = kind switch
            {
                D.ContactKind.CustomerService => contacts.ServiceContact!.Name,
                D.ContactKind.Technical => contacts.TechnicalContact!.Name,
                _ => null,
            },
            EffectiveFrom = effective.ToDateOnly(),
            NotifiedAt = notifiedAt,
        });

    /// <summary>The subscriber base as the contract shows it.</summary>
    public static SubscriberBase Show(E.SubscriberBase row)
    {
        var month = D.PartnerNames.ParseMonth(row.Month)!.Value;
        return new SubscriberBase
        {
            Name = D.PartnerNames.SubscriberBase(row.PartnerId, row.Month),
            Period = new Contracts.V1.YearMonth { Year = month.Year, Month = month.Month },
            BilledUsers = row.BilledUsers,
            GroupCustomers = row.GroupCustomers,
            RecordTime = row.RecordedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            RecordedBy = row.RecordedBy is null ? null : new Actor { Subject = row.RecordedBy, Role = Actors.RoleOf(row.RecordedByRole) },
            Etag = EtagOf(row.Version),
        };
    }

    /// <summary>The response deduction as the contract shows it.</summary>
    public static ResponseDeduction Show(E.ResponseDeduction row)
    {
        var month = D.PartnerNames.ParseMonth(row.Month)!.Value;
        return new ResponseDeduction
        {
            Name = D.PartnerNames.ResponseDeduction(row.PartnerId, row.Id),
            Period = new Contracts.V1.YearMonth { Year = month.Year, Month = month.Month },
            Reason = (ResponseDeductionReason)(int)row.Reason,
            Points = row.Points,
            Description = row.Description,
            WorkOrder = row.WorkOrderId is { } order ? "workOrders/" + order.ToString(CultureInfo.InvariantCulture) : string.Empty,
            Automatic = row.Automatic,
            RecordedBy = new Actor
            {
                Subject = row.RecordedBy, Role = Actors.RoleOf(row.RecordedByRole), Partner = row.RecordedByPartnerId is null ? string.Empty : "partners/" + row.RecordedByPartnerId,
            },
            CreateTime = Timestamp.FromDateTimeOffset(row.CreatedAt),
            WithdrawTime = row.WithdrawnAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            WithdrawnBy = row.WithdrawnBy is null ? null : new Actor { Subject = row.WithdrawnBy, Role = Actors.RoleOf(row.WithdrawnByRole) },
            WithdrawReason = row.WithdrawReason ?? string.Empty,
        };
    }

    /// <summary>
    /// The month in <paramref name="value"/>, or <c>null</c> after adding a violation on <paramref name="field"/> when it
    /// is missing (and <paramref name="required"/>), outside the years 2000 to 9999, or after <paramref name="latest"/>.
    /// </summary>
    public static NodaTime.YearMonth? ReadMonth(Contracts.V1.YearMonth? value, string field, NodaTime.YearMonth latest, List<D.FieldViolation> violations, bool required = true)
    {
        if (value is null && !required)
        {
            return null;
        }

        if (ProtoDates.ReadMonth(value, field, violations) is not { } month)
        {
            return null;
        }

        if (month.CompareTo(latest) > 0)
        {
            violations.Add(new D.FieldViolation(field, $"must not be after the current month {D.PartnerNames.MonthText(latest)}."));
            return null;
        }

        return month;
    }

    /// <summary>The Domain's kind of a request's kind, <c>null</c> when unset or unknown.</summary>
    public static D.PartnerKind? ToDomain(PartnerKind kind) => kind switch
    {
        PartnerKind.ServiceIntegrator => D.PartnerKind.ServiceIntegrator,
        PartnerKind.PlatformOperator => D.PartnerKind.PlatformOperator,
        _ => null,
    };

    /// <summary>The Domain's mode of a request's mode, <c>null</c> when unset or unknown.</summary>
    public static D.AssessmentMode? ToDomain(AssessmentMode mode) => mode switch
    {
        AssessmentMode.C => D.AssessmentMode.C,
        AssessmentMode.Emp => D.AssessmentMode.Emp,
        _ => null,
    };

    /// <summary>The Domain's state of a request's state filter, <c>null</c> when unset or unknown.</summary>
    public static D.PartnerStatus? ToDomain(PartnerState state) => state switch
    {
        PartnerState.Active => D.PartnerStatus.Active,
        PartnerState.Suspended => D.PartnerStatus.Suspended,
        PartnerState.Cancelled => D.PartnerStatus.Cancelled,
        _ => null,
    };

    private static LocalDate ToLocal(DateOnly date) => LocalDate.FromDateOnly(date);
}
