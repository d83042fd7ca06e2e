using Google.Rpc;
using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

public sealed class CalendarServiceTests : IClassFixture<TestServer>
{
    private readonly TestServer _server;
    private readonly CalendarService.CalendarServiceClient _calendar;

    public CalendarServiceTests(TestServer server)
    {
        _server = server;
        _calendar = new CalendarService.CalendarServiceClient(server.Channel);
    }

    [Fact]
    public async Task GetCalendar_SpringFestival2026_EnteredDaysAsSeeded()
    {
        // RULEBOOK appendix: Spring Festival days off Feb 15 - Feb 23, make-up working days Sat Feb 14 and Sat Feb 28.
        var response = await GetAsync(Day(2026, 2, 13), Day(2026, 2, 24));

        Assert.Equal("Asia/Shanghai", response.TimeZone);
        Assert.Equal(12, response.Days.Count);
        Assert.Equal(Day(2026, 1, 1), response.FirstEnteredDate);
        Assert.Equal(Day(2026, 12, 31), response.LastEnteredDate);
        var byDay = response.Days.ToDictionary(d => d.Date.Day);
        Assert.Equal((DayKind.WorkingDay, "Spring Festival", true), (byDay[14].Kind, byDay[14].HolidayName, byDay[14].MakeUpWorkingDay));
        Assert.All(Enumerable.Range(15, 9), d => Assert.Equal(DayKind.DayOff, byDay[d].Kind));
        Assert.Equal("Spring Festival", byDay[15].HolidayName);
        Assert.Equal(DayKind.WorkingDay, byDay[24].Kind);
        Assert.DoesNotContain(response.Days, d => d.Provisional);
    }

    [Fact]
    public async Task GetCalendar_PastTheLastEnteredDay_WeekendsOffAndProvisional()
    {
        // RULEBOOK appendix Decision: past the last known day only Saturdays and Sundays are days off.
        var response = await GetAsync(Day(2026, 12, 31), Day(2027, 1, 4));

        Assert.False(response.Days[0].Provisional);
        Assert.All(response.Days.Skip(1), d => Assert.True(d.Provisional));
        Assert.Equal(
            [DayKind.WorkingDay, DayKind.WorkingDay, DayKind.DayOff, DayKind.DayOff, DayKind.WorkingDay],
            response.Days.Select(d => d.Kind));
    }

    [Fact]
    public async Task GetCalendar_ExactlyTheLongestRange_Answers()
    {
        var response = await GetAsync(Day(2026, 1, 1), Day(2027, 1, 2));

        Assert.Equal(BusinessCalendar.MaxQueryDays + 1, response.Days.Count);
    }

    public static TheoryData<Date?, Date?, string[]> BadRanges() => new()
    {
        { Day(2026, 3, 2), Day(2026, 3, 1), ["end_date"] },
        { Day(2026, 1, 1), Day(2027, 1, 3), ["end_date"] },
        { null, Day(2026, 3, 1), ["start_date"] },
        { null, null, ["start_date", "end_date"] },
        { Day(2026, 2, 1), Day(2026, 2, 30), ["end_date.day"] },
        { Day(2026, 13, 1), Day(2026, 12, 1), ["start_date.month"] },
        { Day(1999, 12, 31), Day(2000, 1, 1), ["start_date.year"] },
        { Day(2026, 0, 1), Day(2026, 1, 0), ["start_date.month", "end_date.day"] },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public async Task GetCalendar_BadRange_InvalidArgumentWithOneViolationPerBadField(Date? start, Date? end, string[] fields)
    {
        var request = new GetCalendarRequest { StartDate = start, EndDate = end };

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _calendar.GetCalendarAsync(request, await _server.AsAsync(ClientRoles.Auditor)).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var status = ex.GetRpcStatus()!;
        Assert.Equal(ErrorReason.InvalidRequest, status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(fields, status.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
    }

    private static Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    private async Task<GetCalendarResponse> GetAsync(Date start, Date end) =>
        await _calendar.GetCalendarAsync(new GetCalendarRequest { StartDate = start, EndDate = end }, await _server.AsAsync(ClientRoles.Partner)).ResponseAsync.DefaultTimeout();
}
