using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// The API accepting the tokens of another issuer, as a carrier with its own identity platform runs it. A second
/// Partner Exchange server plays that platform: its discovery document and keys are all the API learns of it.
/// </summary>
public sealed class ExternalIssuerTests
{
    [Fact]
    public async Task Rpc_TokenOfTheConfiguredExternalIssuer_Accepted()
    {
        await using var platform = await TestServer.StartAsync(null);
        await using var api = await StartApiAsync(platform);
        var externalToken = await platform.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager));

        var viaExternal = await GetCalendarAsync(api, externalToken);
        var viaOwn = await GetCalendarAsync(api, await api.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager)));

        Assert.Single(viaExternal.Days);
        Assert.Single(viaOwn.Days);
    }

    [Fact]
    public async Task Rpc_ExternalTokenWithoutTheConfiguredRoleClaim_Unauthenticated()
    {
        await using var platform = await TestServer.StartAsync(null);
        await using var api = await StartApiAsync(platform, "--Identity:External:RoleClaim=px_role");
        var externalToken = await platform.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager));

        var ex = await Assert.ThrowsAsync<RpcException>(() => GetCalendarAsync(api, externalToken));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.bm90LWpzb24.")]
    [InlineData("...")]
    public async Task Rpc_UnreadableTokenWithAnExternalIssuerConfigured_Unauthenticated(string token)
    {
        await using var platform = await TestServer.StartAsync(null);
        await using var api = await StartApiAsync(platform);

        var ex = await Assert.ThrowsAsync<RpcException>(() => GetCalendarAsync(api, token));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Rpc_ExternalTokenWhenNoExternalIssuerIsConfigured_Unauthenticated()
    {
        await using var platform = await TestServer.StartAsync(null);
        await using var api = await TestServer.StartAsync(null, "--Identity:Issuer=http://px-api.test/");
        var externalToken = await platform.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager));

        var ex = await Assert.ThrowsAsync<RpcException>(() => GetCalendarAsync(api, externalToken));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    private static Task<TestServer> StartApiAsync(TestServer platform, params string[] extra) =>
        TestServer.StartAsync(
            null,
            [
                "--Identity:Issuer=http://px-api.test/",
                $"--Identity:External:Authority={platform.WebAddress}",
                "--Identity:External:RequireHttpsMetadata=false",
                .. extra,
            ]);

    private static async Task<GetCalendarResponse> GetCalendarAsync(TestServer server, string token)
    {
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);
        var request = new GetCalendarRequest { StartDate = new Date { Year = 2026, Month = 5, Day = 1 }, EndDate = new Date { Year = 2026, Month = 5, Day = 1 } };
        return await calendar.GetCalendarAsync(request, new Metadata { { "authorization", "Bearer " + token } }).ResponseAsync.DefaultTimeout();
    }
}
