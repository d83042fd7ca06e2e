using NodaTime;
using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

public sealed class ContactNoticeTests
{
    // Dates: the 2026 schedule of RULEBOOK appendix (Mid-Autumn Sep 25-27; National Day Oct 1-7 with make-up Sat Oct 10).
    [Theory]
    [InlineData("2026-09-23", "2026-10-21", 15, true, "2026-10-21")] // section 3: exactly the 15th working day, across both breaks and the make-up Saturday
    [InlineData("2026-09-23", "2026-10-20", 14, false, "2026-10-21")] // one working day short
    [InlineData("2026-09-22", "2026-10-20", 15, true, "2026-10-20")] // a notice one day earlier (a manager's notice date)
    [InlineData("2026-09-23", "2026-10-24", 17, true, "2026-10-21")] // Saturday after: more than enough
    [InlineData("2026-09-23", "2026-09-23", 0, false, "2026-10-21")] // effective the day of the notice
    [InlineData("2026-09-30", "2026-10-08", 1, false, "2026-10-27")] // National Day days do not count; the make-up Saturday does
    [InlineData("2026-12-04", "2026-12-25", 15, true, "2026-12-25")] // weekends only (section 3: the notice day itself does not count)
    public void Of_NoticeAndEffectiveDate_WorkingDaysAndMetAsSection3Reads(string notice, string effective, int workingDays, bool met, string earliest)
    {
        var result = ContactNotice.Of(Calendar2026.Full, Parse(notice), Parse(effective));

        Assert.Equal((workingDays, met, Parse(earliest)), (result.WorkingDays, result.Met, result.EarliestCompliantDate));
        Assert.False(result.Provisional);
    }

    [Fact]
    public void Of_PastTheEnteredCalendar_Provisional()
    {
        var result = ContactNotice.Of(Calendar2026.Through(new LocalDate(2026, 12, 31)), new LocalDate(2026, 12, 21), new LocalDate(2027, 1, 15));

        Assert.True(result.Provisional);
        Assert.True(result.Met);
    }

    private static LocalDate Parse(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}

public sealed class ResponseScoreTests
{
    // RULEBOOK section 6 Decision: 100 each month, minus the points of every recorded deduction (withdrawn ones excepted).
    [Theory]
    [InlineData(new int[0], new bool[0], 100)]
    [InlineData(new[] { 5 }, new[] { false }, 95)]
    [InlineData(new[] { 5, 10 }, new[] { false, false }, 85)]
    [InlineData(new[] { 5, 10 }, new[] { false, true }, 95)] // the withdrawn one no longer counts
    [InlineData(new[] { 60, 50 }, new[] { false, false }, 0)] // never below 0 (the contract's response_score)
    public void Of_Deductions_StartsAt100MinusPoints(int[] points, bool[] withdrawn, long score)
    {
        Assert.Equal(score, ResponseScore.Of(points.Zip(withdrawn)));
    }

    [Fact]
    public void Points_Configured_OverrideDefaultsAndZeroMeansDefault()
    {
        var table = new ResponseDeductionPoints(new Dictionary<ResponseDeductionReason, int> { [ResponseDeductionReason.PoorAttitude] = 7 });
        var violations = new List<FieldViolation>();

        Assert.Equal(7, table.Resolve(ResponseDeductionReason.PoorAttitude, 0, "points", violations));
        Assert.Equal(3, table.Resolve(ResponseDeductionReason.PoorAttitude, 3, "points", violations));
        Assert.Equal(5, table.For(ResponseDeductionReason.ChangeNotNotified));
        Assert.Empty(violations);
        table.Resolve(ResponseDeductionReason.HidingFacts, -1, "deduction.points", violations);
        Assert.Equal("deduction.points", Assert.Single(violations).Field);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResponseDeductionPoints(new Dictionary<ResponseDeductionReason, int> { [ResponseDeductionReason.HidingFacts] = 0 }));
    }
}

public sealed class PartnerSanctionTests
{
    [Theory]
    [InlineData(PartnerStatus.Active, true, false, true)]
    [InlineData(PartnerStatus.Suspended, false, true, true)]
    [InlineData(PartnerStatus.Cancelled, false, false, false)]
    public void Moves_ByState_OnlyTheLegalOnesPass(PartnerStatus status, bool suspend, bool reinstate, bool cancel)
    {
        Assert.Equal(suspend, Passes(() => PartnerSanctions.CheckSuspend("partners/p", status)));
        Assert.Equal(reinstate, Passes(() => PartnerSanctions.CheckReinstate("partners/p", status)));
        Assert.Equal(cancel, Passes(() => PartnerSanctions.CheckCancel("partners/p", status)));
    }

    [Theory]
    [InlineData("/partnerexchange.v1.SettlementService/GetStatement", PartnerStatus.Cancelled, true)]
    [InlineData("/partnerexchange.v1.SettlementService/ListRefunds", PartnerStatus.Cancelled, true)]
    [InlineData("/partnerexchange.v1.SettlementService/GetAssessment", PartnerStatus.Cancelled, true)]
    [InlineData("/partnerexchange.v1.PartnerService/GetPartner", PartnerStatus.Cancelled, false)]
    [InlineData("/partnerexchange.v1.WorkOrderService/ReplyToWorkOrder", PartnerStatus.Cancelled, false)]
    [InlineData("/partnerexchange.v1.WorkOrderService/ReplyToWorkOrder", PartnerStatus.Suspended, true)]
    public void CheckCaller_CancelledPartnersSi_OnlyItsMoneyReadOnly(string method, PartnerStatus status, bool allowed)
    {
        var si = new Caller("client", ClientRoles.Partner, "si-x");
        var manager = new Caller("person", ClientRoles.PartnerManager, null);

        Assert.Equal(allowed, Passes(() => CancelledPartners.CheckCaller(si, status, method)));
        Assert.True(Passes(() => CancelledPartners.CheckCaller(manager, PartnerStatus.Cancelled, method)));
    }

    [Fact]
    public void ContactsCheck_BadFields_OneViolationPerField()
    {
        var violations = new List<FieldViolation>();
        var contacts = new ContactSet("", "office", "13900001001", "057188001001", new ContactPerson("Desk", "057188001002"), null, "http://x.example");

        PartnerRules.CheckContacts(contacts, "contacts.", violations);

        Assert.Equal(
            ["contacts.company_name", "contacts.hotline_number", "contacts.mobile_number", "contacts.service_contact.phone_number", "contacts.technical_contact",
             "contacts.online_service_url"],
            violations.Select(v => v.Field));
    }

    private static bool Passes(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (PreconditionFailedException)
        {
            return false;
        }
    }
}
