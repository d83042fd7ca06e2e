using System.Net;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using IProvisionalDeadlines = PartnerExchange.Server.Services.IProvisionalDeadlines;

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

    [Fact]
    public async Task SetCalendarDays_2027NewYearSchedule_GetCalendarShowsThemEnteredAndAudited()
    {
        // An illustrative 2027 New Year break (the real one is announced in November 2026): Fri Jan 1 - Sun Jan 3 off,
        // Sat Jan 9 a make-up working day; written on a server of its own so the shared one keeps the seeded 2026.
        await using var server = await TestServer.StartAsync(null);
        var request = NewYear2027Request();

        var response = await SetAsync(server, request);
        var calendar = await new CalendarService.CalendarServiceClient(server.Channel)
            .GetCalendarAsync(new GetCalendarRequest { StartDate = Day(2026, 12, 31), EndDate = Day(2027, 1, 11) }, await server.AsAsync(ClientRoles.Auditor))
            .ResponseAsync.DefaultTimeout();

        Assert.Equal((10, 0, Day(2027, 1, 10)), (response.WrittenCount, response.RecomputedDeadlineCount, response.LastEnteredDate));
        Assert.Equal(TestServer.Now, response.UpdateTime.ToDateTimeOffset());
        Assert.Equal(Day(2027, 1, 10), calendar.LastEnteredDate);
        Assert.All(calendar.Days.SkipLast(1), d => Assert.False(d.Provisional));
        Assert.True(calendar.Days[^1].Provisional);
        var byDay = calendar.Days.Where(d => d.Date.Year == 2027).ToDictionary(d => d.Date.Day);
        Assert.All([1, 2, 3], d => Assert.Equal((DayKind.DayOff, "New Year", false), (byDay[d].Kind, byDay[d].HolidayName, byDay[d].MakeUpWorkingDay)));
        Assert.Equal((DayKind.WorkingDay, "New Year", true), (byDay[9].Kind, byDay[9].HolidayName, byDay[9].MakeUpWorkingDay));
        Assert.Equal((DayKind.WorkingDay, "", false), (byDay[4].Kind, byDay[4].HolidayName, byDay[4].MakeUpWorkingDay));
        Assert.Equal(DayKind.DayOff, byDay[10].Kind);

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "/partnerexchange.v1.CalendarService/SetCalendarDays").DefaultTimeout();
        Assert.Equal(("calendarDays", null, request.RequestId, request.Reason), (audit.ResourceName, audit.PartnerId, audit.RequestId, audit.Reason));
        Assert.Equal((TestServer.DemoClientOf(ClientRoles.PartnerManager), ClientRoles.PartnerManager), (audit.Actor, audit.ActorRole));
        Assert.Contains("10 day(s) written from 2027-01-01 to 2027-01-10", audit.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetCalendarDays_RetrySameRequestId_SameResponseWrittenOnce()
    {
        await using var server = await TestServer.StartAsync(null);
        var request = NewYear2027Request();
        var first = await SetAsync(server, request);
        server.Clock.Advance(TimeSpan.FromMinutes(5));

        var retry = await SetAsync(server, request);

        Assert.Equal(first, retry);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.RequestId == request.RequestId).DefaultTimeout());
    }

    [Fact]
    public async Task SetCalendarDays_RequestIdReusedForAnotherRequest_InvalidArgumentAndNothingWritten()
    {
        await using var server = await TestServer.StartAsync(null);
        var request = NewYear2027Request();
        await SetAsync(server, request);
        var other = request.Clone();
        other.Days[3].Kind = DayKind.DayOff;
        other.Days[3].HolidayName = "New Year";

        var ex = await Assert.ThrowsAsync<RpcException>(() => SetAsync(server, other));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(ErrorReason.RequestIdReused, ex.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        Assert.True((await db.CalendarDays.SingleAsync(d => d.Date == new DateOnly(2027, 1, 4)).DefaultTimeout()).IsWorkingDay);
    }

    [Fact]
    public async Task SetCalendarDays_DaysWritten_ProvisionalDeadlinesRecomputedInTheSameTransaction()
    {
        var deadlines = new RecordingDeadlines();
        await using var server = await TestServer.StartAsync(builder => builder.Services.AddSingleton<IProvisionalDeadlines>(deadlines));

        var response = await SetAsync(server, NewYear2027Request());

        Assert.Equal(3, response.RecomputedDeadlineCount);
        Assert.Equal((new LocalDate(2027, 1, 1), new LocalDate(2027, 1, 10), 10), (deadlines.First, deadlines.Last, deadlines.DaysSeen));
        Assert.True(deadlines.InTransaction);
    }

    [Fact]
    public async Task SetCalendarDays_CalendarReaches60DaysAhead_HealthCheckHealthy()
    {
        // On 2026-11-29 (Asia/Shanghai) the calendar must reach 2027-01-28 (rulebook appendix Decision).
        await using var server = await TestServer.StartAsync(null);
        var request = new SetCalendarDaysRequest { Reason = "2027 January", RequestId = Guid.NewGuid().ToString() };
        request.Days.AddRange(Enumerable.Range(0, 28).Select(i => OrdinaryDay(new LocalDate(2027, 1, 1).PlusDays(i))));
        request.Days[0] = Entry(2027, 1, 1, DayKind.DayOff, "New Year");
        Assert.Equal("Degraded", (await CalendarHealthAsync(server)).GetProperty("status").GetString());

        await SetAsync(server, request);

        Assert.Equal("Healthy", (await CalendarHealthAsync(server)).GetProperty("status").GetString());
    }

    public static TheoryData<string, string[]> BadSets() => new()
    {
        { "no days", ["days"] },
        { "801 days", ["days"] },
        { "duplicate date", ["days[1].date"] },
        { "no date", ["days[0].date"] },
        { "February 30", ["days[0].date.day"] },
        { "kind not set", ["days[0].kind"] },
        { "unnamed weekday day off", ["days[0].holiday_name"] },
        { "make-up flag on a day off", ["days[0].make_up_working_day"] },
        { "name on an ordinary working day", ["days[0].holiday_name"] },
        { "weekend working day not a make-up day", ["days[0].make_up_working_day"] },
        { "holiday name too long", ["days[0].holiday_name"] },
        { "no reason", ["reason"] },
        { "no request id", ["request_id"] },
        { "800 days without kind", [.. Enumerable.Range(0, 100).Select(i => $"days[{i}].kind")] }, // the first 100 (ErrorStatus.MaxViolations)
        { "several", ["days[0].kind", "days[1].holiday_name", "reason", "request_id"] },
    };

    [Theory]
    [MemberData(nameof(BadSets))]
    public async Task SetCalendarDays_BadRequest_InvalidArgumentNamingTheFieldAndNothingWritten(string scenario, string[] fields)
    {
        var request = BadSet(scenario);
        var before = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => SetAsync(_server, request));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var status = ex.GetRpcStatus()!;
        Assert.Equal(ErrorReason.InvalidRequest, status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(fields, status.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task SetCalendarDays_PastDayWouldChange_FailedPreconditionAndNothingWritten()
    {
        // Today is 2026-11-29 in Asia/Shanghai; Mon 2026-11-02 is a seeded working day.
        var request = new SetCalendarDaysRequest { Reason = "correction", RequestId = Guid.NewGuid().ToString() };
        request.Days.Add(Entry(2026, 11, 2, DayKind.DayOff, "Test Holiday"));
        var before = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => SetAsync(_server, request));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        var status = ex.GetRpcStatus()!;
        Assert.Equal(ErrorReason.IllegalStateTransition, status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal("calendarDays/2026-11-02", Assert.Single(status.GetDetail<PreconditionFailure>().Violations).Subject);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task SetCalendarDays_HundredsOfPastDaysWouldChange_FailedPreconditionWithTheFirstHundred()
    {
        // Every weekday from 2026-01-01 to 2026-11-27 made a day off: over 200 past days would change.
        var request = new SetCalendarDaysRequest { Reason = "correction", RequestId = Guid.NewGuid().ToString() };
        request.Days.AddRange(Enumerable.Range(0, 331).Select(i => new LocalDate(2026, 1, 1).PlusDays(i))
            .Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            .Select(d => Entry(d.Year, d.Month, d.Day, DayKind.DayOff, "Test Holiday")));

        var ex = await Assert.ThrowsAsync<RpcException>(() => SetAsync(_server, request));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(100, ex.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations.Count);
    }

    [Theory]
    [InlineData(ClientRoles.Partner)]
    [InlineData(ClientRoles.CarrierDesk)]
    [InlineData(ClientRoles.ReconciliationJob)]
    [InlineData(ClientRoles.Auditor)]
    public async Task SetCalendarDays_RoleNotAllowed_PermissionDeniedAndNothingWritten(string role)
    {
        var before = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _calendar.SetCalendarDaysAsync(NewYear2027Request(), await _server.AsAsync(role)).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(before, await CountsAsync());
    }

    private static Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    private static Date ProtoDay(LocalDate date) => Day(date.Year, date.Month, date.Day);

    private static Contracts.V1.CalendarDay Entry(int year, int month, int day, DayKind kind, string holidayName = "", bool makeUp = false) =>
        new() { Date = Day(year, month, day), Kind = kind, HolidayName = holidayName, MakeUpWorkingDay = makeUp };

    private static Contracts.V1.CalendarDay OrdinaryDay(LocalDate date) =>
        Entry(date.Year, date.Month, date.Day, date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? DayKind.DayOff : DayKind.WorkingDay);

    /// <summary>2027-01-01 to 2027-01-10: an illustrative New Year break (Fri Jan 1 - Sun Jan 3) and make-up Saturday Jan 9.</summary>
    private static SetCalendarDaysRequest NewYear2027Request()
    {
        var request = new SetCalendarDaysRequest { Reason = "2027 holiday schedule (test data)", RequestId = Guid.NewGuid().ToString() };
        request.Days.AddRange(Enumerable.Range(0, 10).Select(i => OrdinaryDay(new LocalDate(2027, 1, 1).PlusDays(i))));
        request.Days[0] = Entry(2027, 1, 1, DayKind.DayOff, "New Year");
        request.Days[1] = Entry(2027, 1, 2, DayKind.DayOff, "New Year");
        request.Days[2] = Entry(2027, 1, 3, DayKind.DayOff, "New Year");
        request.Days[8] = Entry(2027, 1, 9, DayKind.WorkingDay, "New Year", makeUp: true);
        return request;
    }

    private static SetCalendarDaysRequest BadSet(string scenario)
    {
        var request = new SetCalendarDaysRequest { Reason = "test", RequestId = Guid.NewGuid().ToString() };
        var monday = Entry(2027, 1, 4, DayKind.WorkingDay);
        switch (scenario)
        {
            case "no days":
                break;
            case "801 days":
                request.Days.AddRange(Enumerable.Range(0, CalendarEntries.MaxDays + 1).Select(i => OrdinaryDay(new LocalDate(2027, 1, 1).PlusDays(i))));
                break;
            case "duplicate date":
                request.Days.Add(monday);
                request.Days.Add(monday.Clone());
                break;
            case "no date":
                request.Days.Add(new Contracts.V1.CalendarDay { Kind = DayKind.WorkingDay });
                break;
            case "February 30":
                request.Days.Add(Entry(2027, 2, 30, DayKind.WorkingDay));
                break;
            case "kind not set":
                request.Days.Add(Entry(2027, 1, 4, DayKind.Unspecified));
                break;
            case "unnamed weekday day off":
                request.Days.Add(Entry(2027, 1, 4, DayKind.DayOff));
                break;
            case "make-up flag on a day off":
                request.Days.Add(Entry(2027, 1, 2, DayKind.DayOff, "New Year", makeUp: true));
                break;
            case "name on an ordinary working day":
                request.Days.Add(Entry(2027, 1, 4, DayKind.WorkingDay, "New Year"));
                break;
            case "weekend working day not a make-up day":
                request.Days.Add(Entry(2027, 1, 9, DayKind.WorkingDay, "New Year"));
                break;
            case "holiday name too long":
                request.Days.Add(Entry(2027, 1, 1, DayKind.DayOff, new string('x', CalendarEntries.MaxHolidayNameLength + 1)));
                break;
            case "no reason":
                request.Days.Add(monday);
                request.Reason = " ";
                break;
            case "no request id":
                request.Days.Add(monday);
                request.RequestId = string.Empty;
                break;
            case "800 days without kind":
                request.Days.AddRange(Enumerable.Range(0, CalendarEntries.MaxDays).Select(i => Entry(2027, 1, 1, DayKind.Unspecified)));
                for (var i = 0; i < request.Days.Count; i++)
                {
                    request.Days[i].Date = ProtoDay(new LocalDate(2027, 1, 1).PlusDays(i));
                }

                break;
            case "several":
                request.Days.Add(Entry(2027, 1, 4, DayKind.Unspecified));
                request.Days.Add(Entry(2027, 1, 5, DayKind.DayOff));
                request.Reason = string.Empty;
                request.RequestId = string.Empty;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        return request;
    }

    private static async Task<SetCalendarDaysResponse> SetAsync(TestServer server, SetCalendarDaysRequest request) =>
        await new CalendarService.CalendarServiceClient(server.Channel)
            .SetCalendarDaysAsync(request, await server.AsAsync(ClientRoles.PartnerManager)).ResponseAsync.DefaultTimeout();

    private static async Task<JsonElement> CalendarHealthAsync(TestServer server)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.WebAddress, "/healthz")).DefaultTimeout());
        return document.RootElement.GetProperty("checks").GetProperty("calendar").Clone();
    }

    private async Task<(int Days, DateOnly LastDay, int Audit, int Idempotency)> CountsAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        return (await db.CalendarDays.CountAsync().DefaultTimeout(), await db.CalendarDays.MaxAsync(d => d.Date).DefaultTimeout(),
            await db.AuditEntries.CountAsync().DefaultTimeout(), await db.IdempotencyRecords.CountAsync().DefaultTimeout());
    }

    /// <summary>Stands in for the work-order clocks: records the range it is asked about and what the transaction shows.</summary>
    private sealed class RecordingDeadlines : IProvisionalDeadlines
    {
        public LocalDate First { get; private set; }

        public LocalDate Last { get; private set; }

        public int DaysSeen { get; private set; }

        public bool InTransaction { get; private set; }

        public async Task<int> RecomputeProvisionalAsync(PartnerExchangeDbContext db, LocalDate firstDate, LocalDate lastDate, Instant now, CancellationToken cancellationToken)
        {
            (First, Last, InTransaction) = (firstDate, lastDate, db.Database.CurrentTransaction is not null);
            var (first, last) = (firstDate.ToDateOnly(), lastDate.ToDateOnly());
            DaysSeen = await db.CalendarDays.CountAsync(d => d.Date >= first && d.Date <= last, cancellationToken);
            return 3;
        }
    }

    private async Task<GetCalendarResponse> GetAsync(Date start, Date end) =>
        await _calendar.GetCalendarAsync(new GetCalendarRequest { StartDate = start, EndDate = end }, await _server.AsAsync(ClientRoles.Partner)).ResponseAsync.DefaultTimeout();
}
