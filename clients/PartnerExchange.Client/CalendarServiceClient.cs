using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Client;

/// <summary>Typed client for <c>partnerexchange.v1.CalendarService</c>: keeps the business calendar that working-day clocks are computed on.</summary>
public sealed class CalendarServiceClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = CalendarServiceReflection.Descriptor.Services[0];
    private static readonly Method<SetCalendarDaysRequest, SetCalendarDaysResponse> SetCalendarDaysMethod = Method<SetCalendarDaysRequest, SetCalendarDaysResponse>.FromDescriptor(Service.FindMethodByName("SetCalendarDays"));
    private static readonly Method<GetCalendarRequest, GetCalendarResponse> GetCalendarMethod = Method<GetCalendarRequest, GetCalendarResponse>.FromDescriptor(Service.FindMethodByName("GetCalendar"));

    private readonly GrpcChannel _channel;

    /// <summary>Creates a client that calls through <paramref name="channel"/>.</summary>
    public CalendarServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Writes (inserts or replaces) calendar days, such as the next year's holiday schedule. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<SetCalendarDaysResponse> SetCalendarDaysAsync(SetCalendarDaysRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(SetCalendarDaysMethod, request, options);

    /// <summary>Gets the calendar for a date range, one day per date. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<GetCalendarResponse> GetCalendarAsync(GetCalendarRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetCalendarMethod, request, options);
}
