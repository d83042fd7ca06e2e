using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace PartnerExchange.Server.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Calls_OverTheClientsBurst_ResourceExhaustedWithRetryInfoForThatClientOnly()
    {
        // One permit a minute after a burst of three: the fourth call in a row is refused, whatever the machine's speed.
        await using var server = await TestServer.StartAsync(null, "--RateLimiting:PermitsPerMinute=1", "--RateLimiting:Burst=3");
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);
        var request = new GetCalendarRequest { StartDate = new Date { Year = 2026, Month = 5, Day = 1 }, EndDate = new Date { Year = 2026, Month = 5, Day = 1 } };
        var limited = await server.AsAsync(ClientRoles.Partner);
        var other = await server.AsAsync(ClientRoles.CarrierDesk);
        for (var i = 0; i < 3; i++)
        {
            await calendar.GetCalendarAsync(request, limited).ResponseAsync.DefaultTimeout();
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => calendar.GetCalendarAsync(request, limited).ResponseAsync.DefaultTimeout());
        var otherClient = await calendar.GetCalendarAsync(request, other).ResponseAsync.DefaultTimeout();
        var health = await new HealthClient(server.Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        var status = ex.GetRpcStatus()!;
        Assert.Equal(ErrorReason.RateLimited, status.GetDetail<ErrorInfo>().Reason);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Single(otherClient.Days);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task TokenRequests_OverTheAddressBurst_429EvenWithWrongSecrets()
    {
        await using var server = await TestServer.StartAsync(null, "--RateLimiting:TokenRequestsPerMinute=1", "--RateLimiting:TokenBurst=2");
        var clientId = TestServer.DemoClientOf(ClientRoles.Partner);

        var first = await server.RequestTokenAsync(clientId, "guess-1");
        var second = await server.RequestTokenAsync(clientId, "guess-2");
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = "guess-3" });
        using var third = await http.PostAsync(new Uri(server.WebAddress, "/connect/token"), form).DefaultTimeout();

        Assert.False(first.Issued);
        Assert.False(second.Issued);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("--RateLimiting:Burst=0")]
    [InlineData("--RateLimiting:PermitsPerMinute=-5")]
    public void Build_NonPositiveLimit_NamesTheSetting(string setting)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ServerProgram.Build(TestServer.Args(Path.GetTempPath(), setting)));

        Assert.Contains("RateLimiting:", ex.Message, StringComparison.Ordinal);
    }
}
