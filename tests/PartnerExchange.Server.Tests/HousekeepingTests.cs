using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Data;
using PartnerExchange.Server.Services;
using static PartnerExchange.Server.Tests.WorkOrderKit;

namespace PartnerExchange.Server.Tests;

/// <summary>Housekeeping: request ids kept as long as the setting says (at least the 7 days common.proto promises), unusable token records pruned.</summary>
public sealed class HousekeepingTests
{
    [Fact]
    public async Task RunOnce_RequestIdOlderThanTheRetention_DeletedAndItsRetryActsAgain_YoungerOneStillReplays()
    {
        await using var server = await TestServer.StartAsync(null, [SandboxAt(Start), "--Housekeeping:Enabled=false"]);
        var old = Id();
        var first = await server.CreateAsync(requestId: old);
        server.Clock.Advance(TimeSpan.FromDays(25));
        server.ForgetTokens();
        var young = Id();
        var second = await server.CreateAsync(requestId: young);
        server.Clock.Advance(TimeSpan.FromDays(6));
        server.ForgetTokens();

        var (requestIds, tokens) = await server.Services.GetRequiredService<Housekeeping>().RunOnceAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(1, requestIds);
        Assert.True(tokens >= 1, $"the first token (31 days old, expired) is pruned; pruned {tokens}");
        Assert.Equal(second.Name, (await server.CreateAsync(requestId: young)).Name);
        Assert.NotEqual(first.Name, (await server.CreateAsync(requestId: old)).Name);
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>().IdempotencyRecords.CountAsync());
    }

    [Theory]
    [InlineData("6.23:59:59")]
    [InlineData("00:00:00")]
    public async Task Start_RequestIdRetentionShorterThanPromised_Refused(string retention)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(null, $"--Housekeeping:RequestIdRetention={retention}"));

        Assert.Contains("at least 7 days", error.Message, StringComparison.Ordinal);
    }
}
