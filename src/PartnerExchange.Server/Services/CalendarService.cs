using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Server.Services;

/// <summary>The carrier's business calendar (Asia/Shanghai working days, holidays, make-up days).</summary>
internal sealed class CalendarService
{
    private const string Capability = "the business calendar service";

    /// <summary>CalendarService.SetCalendarDays: answers UNIMPLEMENTED until the business calendar service is built.</summary>
    public Task<SetCalendarDaysResponse> SetCalendarDays(SetCalendarDaysRequest request, ServerCallContext context) =>
        Task.FromException<SetCalendarDaysResponse>(NotBuilt.Rpc("CalendarService.SetCalendarDays", Capability));

    /// <summary>CalendarService.GetCalendar: answers UNIMPLEMENTED until the business calendar service is built.</summary>
    public Task<GetCalendarResponse> GetCalendar(GetCalendarRequest request, ServerCallContext context) =>
        Task.FromException<GetCalendarResponse>(NotBuilt.Rpc("CalendarService.GetCalendar", Capability));
}
