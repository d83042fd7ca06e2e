using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace PartnerExchange.Cli.Tests;

/// <summary>pxctl's pieces without a server: money formatting, months, status names, settings and the token source.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData(0L, "0.00", "0.00")]
    [InlineData(1L, "0.01", "0.01")]
    [InlineData(-6_000L, "-60.00", "-60.00")]
    [InlineData(1_994_000L, "19940.00", "19,940.00")]
    [InlineData(long.MaxValue, "92233720368547758.07", "92,233,720,368,547,758.07")]
    [InlineData(long.MinValue, "-92233720368547758.08", "-92,233,720,368,547,758.08")]
    public void Amounts_Fen_ExactYuanWithTwoDecimals(long fen, string plain, string grouped)
    {
        Assert.Equal((plain, grouped), (Amounts.Plain(fen), Amounts.Grouped(fen)));
    }

    [Theory]
    [InlineData(0, "0.00")]
    [InlineData(499, "4.99")]
    [InlineData(500, "5.00")]
    [InlineData(7500, "75.00")]
    [InlineData(10000, "100.00")]
    public void Hundredths_DisplayFigure_IntegerDivision(int value, string expected)
    {
        Assert.Equal(expected, SettlementCommands.AssessmentRow.Hundredths(value));
    }

    [Fact]
    public void Period_ParseAndRequestIds_DerivedFromTheMonth()
    {
        var period = Period.Parse("2026-10");

        Assert.Equal(("2026-10", "pxctl-assess-2026-10", "pxctl-close-2026-10"), (period.ToString(), period.RequestId("assess"), period.RequestId("close")));
        Assert.Equal((2026, 10), (period.ToProto().Year, period.ToProto().Month));
    }

    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "FAILED_PRECONDITION")]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    public void StatusName_Code_AsTheSpecificationSpellsIt(StatusCode code, string expected)
    {
        Assert.Equal(expected, ApiSession.StatusName(code));
    }

    [Fact]
    public void Settings_ArgumentsOverEnvironmentOverConfigFile()
    {
        var home = Path.Combine(Path.GetTempPath(), "pxctl-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(home, ".config", "pxctl"));
        try
        {
            File.WriteAllText(Path.Combine(home, ".config", "pxctl", "config.json"),
                """{ "server": "http://file:5000", "tokenUrl": "http://file:5001/connect/token", "clientId": "from-file", "clientSecret": "file-secret" }""");
            var variables = new Dictionary<string, string> { ["HOME"] = home, ["PXCTL_CLIENT_ID"] = "from-env", ["PXCTL_SERVER"] = "http://env:5000" };
            var environment = new PxctlEnvironment(name => variables.GetValueOrDefault(name));

            var settings = PxctlSettings.Resolve(null, "http://args:5001/connect/token", null, environment);

            Assert.Equal(
                ("http://env:5000/", "http://args:5001/connect/token", "from-env", "file-secret"),
                (settings.Server.ToString(), settings.TokenUrl.ToString(), settings.ClientId, settings.ClientSecret));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void Settings_NothingConfigured_DefaultsAndMissingCredentialsExitTwo()
    {
        var environment = new PxctlEnvironment(_ => null);

        var error = Assert.Throws<PxctlException>(() => PxctlSettings.Resolve(null, null, null, environment));

        Assert.Equal(2, error.ExitCode);
        Assert.Equal((PxctlSettings.DefaultServer, PxctlSettings.DefaultTokenUrl), ("http://localhost:5000", "http://localhost:5001/connect/token"));
    }

    [Fact]
    public async Task TokenSource_TokenNearExpiry_FetchedAgainOtherwiseKept()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var issued = 0;
        using var handler = new StubHandler(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{ "access_token": "token-{{++issued}}", "token_type": "Bearer", "expires_in": 900 }"""),
        });
        using var http = new HttpClient(handler);
        using var tokens = new TokenSource(http, new PxctlSettings(new Uri("http://px:5000"), new Uri("http://px:5001/connect/token"), "job", "secret"), time);

        var first = await tokens.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(14));
        var kept = await tokens.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(31));
        var renewed = await tokens.GetAsync(CancellationToken.None);
        tokens.Invalidate();
        var afterRefusal = await tokens.GetAsync(CancellationToken.None);

        Assert.Equal(("token-1", "token-1", "token-2", "token-3"), (first, kept, renewed, afterRefusal));
        Assert.Equal("grant_type=client_credentials&client_id=job&client_secret=secret", handler.LastBody);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task TokenSource_ServerBusy_TransientForRetry(HttpStatusCode status)
    {
        using var handler = new StubHandler(() => new HttpResponseMessage(status) { Content = new StringContent("") });
        using var http = new HttpClient(handler);
        using var tokens = new TokenSource(http, new PxctlSettings(new Uri("http://px:5000"), new Uri("http://px:5001/connect/token"), "job", "secret"), TimeProvider.System);

        await Assert.ThrowsAsync<TransientTokenException>(() => tokens.GetAsync(CancellationToken.None));
    }

    private sealed class StubHandler(Func<HttpResponseMessage> respond) : HttpMessageHandler
    {
        public string? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return respond();
        }
    }
}
