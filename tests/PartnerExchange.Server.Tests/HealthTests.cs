using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace PartnerExchange.Server.Tests;

public sealed class HealthTests
{

    [Fact]
    public async Task Healthz_CalendarEndsWithin60Days_DegradedNamingTheEndDate()
    {
        // The seeds enter 2026; on 2026-11-29 the calendar reaches 32 days ahead.
        await using var server = await StartAtAsync(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero));

        var (status, body) = await GetHealthzAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        var calendar = body.GetProperty("checks").GetProperty("calendar");
        Assert.Equal("Degraded", calendar.GetProperty("status").GetString());
        Assert.Contains("ends on 2026-12-31", calendar.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("2027-01-28", calendar.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_CalendarCoversNext60Days_Healthy()
    {
        // 2026-11-01 12:00 Shanghai + 60 days = 2026-12-31, the last entered day.
        await using var server = await StartAtAsync(new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero));

        var (status, body) = await GetHealthzAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_ShanghaiDateNotUtcDate_DecidesTheHorizon()
    {
        // 2026-11-01 16:30 UTC is already 2026-11-02 in Shanghai: the horizon is 2027-01-01, past the calendar.
        await using var server = await StartAtAsync(new DateTimeOffset(2026, 11, 1, 16, 30, 0, TimeSpan.Zero));

        var (_, body) = await GetHealthzAsync(server);

        Assert.Equal("Degraded", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GrpcHealth_CalendarDegraded_StillServing()
    {
        await using var server = await StartAtAsync(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero));
        var health = new HealthClient(server.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest { Service = string.Empty }).ResponseAsync.DefaultTimeout();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    private static Task<TestServer> StartAtAsync(DateTimeOffset now) =>
        TestServer.StartAsync(builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(now)));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthzAsync(TestServer server)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync(new Uri(server.WebAddress, "/healthz")).DefaultTimeout();
        var json = await response.Content.ReadAsStringAsync().DefaultTimeout();
        using var document = JsonDocument.Parse(json);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
