using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

public sealed class PartnerClientTests : IClassFixture<TestServer>
{
    private const string Yunqi = "partners/si-yunqi-music";

    private readonly TestServer _server;
    private readonly PartnerService.PartnerServiceClient _partners;

    public PartnerClientTests(TestServer server)
    {
        _server = server;
        _partners = new PartnerService.PartnerServiceClient(server.Channel);
    }

    [Fact]
    public async Task CreatePartnerClient_NewClient_GetsSiTokensBoundToThePartner()
    {
        var client = await CreateAsync(Yunqi, "Ticketing system");

        var (issued, body) = await _server.RequestTokenAsync(client.ClientId, client.ClientSecret);

        Assert.StartsWith("si-yunqi-music-", client.ClientId, StringComparison.Ordinal);
        Assert.Equal($"{Yunqi}/clients/{client.ClientId}", client.Name);
        Assert.Equal(43, client.ClientSecret.Length);
        Assert.Equal(TestServer.Now, client.CreateTime.ToDateTimeOffset());
        Assert.True(issued, body.ToString());
        var payload = System.Text.Json.JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(body.GetProperty("access_token").GetString()!.Split('.')[1])).RootElement;
        Assert.Equal((ClientRoles.Partner, "si-yunqi-music"), (payload.GetProperty("role").GetString(), payload.GetProperty("partner").GetString()));
    }

    [Fact]
    public async Task CreatePartnerClient_RetrySameRequestId_SameClientWithoutSecretAndNoSecondClient()
    {
        var requestId = Guid.NewGuid().ToString();
        var first = await CreateAsync("partners/si-jinghe-reading", "Retry test", requestId);

        var retry = await CreateAsync("partners/si-jinghe-reading", "Retry test", requestId);
        var listed = await ListAllAsync("partners/si-jinghe-reading");

        Assert.Equal(first.Name, retry.Name);
        Assert.Empty(retry.ClientSecret);
        Assert.Single(listed, c => c.DisplayName == "Retry test");
    }

    [Fact]
    public async Task CreatePartnerClient_ConcurrentRetriesOfOneRequestId_OneClientAndEveryCallAnswered()
    {
        var requestId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CreateAsync("partners/si-hengtong-office", "Concurrent", requestId)));

        Assert.Single(answers.Select(a => a.Name).Distinct());
        Assert.Single(answers, a => a.ClientSecret.Length > 0);
        Assert.Single(await ListAllAsync("partners/si-hengtong-office"), c => c.DisplayName == "Concurrent");
    }

    [Fact]
    public async Task CreatePartnerClient_RequestIdReusedForAnotherRequest_InvalidArgument()
    {
        var requestId = Guid.NewGuid().ToString();
        await CreateAsync("partners/si-qingfeng-games", "First", requestId);

        var ex = await Assert.ThrowsAsync<RpcException>(() => CreateAsync("partners/si-qingfeng-games", "Second", requestId));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(ErrorReason.RequestIdReused, ex.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    public static TheoryData<string, string, string, string[]> BadCreates() => new()
    {
        { "partner/si-yunqi-music", "x", "r-1", ["parent"] },
        { Yunqi, "", "r-2", ["display_name"] },
        { Yunqi, new string('x', 201), "r-3", ["display_name"] },
        { Yunqi, "x", "", ["request_id"] },
        { Yunqi, "x", "has space", ["request_id"] },
        { "", "", "", ["parent", "display_name", "request_id"] },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreatePartnerClient_BadRequest_OneViolationPerFieldAndNothingWritten(string parent, string displayName, string requestId, string[] fields)
    {
        var before = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(parent, displayName, requestId));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(fields, ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task CreatePartnerClient_UnknownPartner_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => CreateAsync("partners/no-such-partner", "x"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task CreatePartnerClient_CancelledPartner_FailedPreconditionPartnerCancelled()
    {
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
            var partner = await db.Partners.SingleAsync(p => p.Id == "si-anxin-fleet").DefaultTimeout();
            partner.Status = PartnerStatus.Cancelled;
            await db.SaveChangesAsync().DefaultTimeout();
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => CreateAsync("partners/si-anxin-fleet", "x"));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(ErrorReason.PartnerCancelled, ex.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task ListPartnerClients_Pages_EveryClientOnceInOrderWithoutSecrets()
    {
        const string parent = "partners/platform-hangyun";
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(parent, $"Paging {i}");
        }

        var all = await ListAllAsync(parent, pageSize: 1);

        Assert.Equal(4, all.Count); // the seeded demo client and the three
        Assert.Contains(all, c => c.ClientId == "demo-platform-hangyun");
        Assert.Equal(all.Select(c => c.ClientId).Order(StringComparer.Ordinal), all.Select(c => c.ClientId));
        Assert.All(all, c => Assert.Empty(c.ClientSecret));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("cGFydG5lcnMvc2ktamluZ2hlLXJlYWRpbmcKeA")] // a token of partners/si-jinghe-reading
    public async Task ListPartnerClients_ForeignPageToken_InvalidArgument(string token)
    {
        var options = await _server.AsAsync(ClientRoles.PartnerManager);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _partners.ListPartnerClientsAsync(new ListPartnerClientsRequest { Parent = Yunqi, PageToken = token }, options).ResponseAsync.DefaultTimeout());

        Assert.Equal("page_token", Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public async Task DeletePartnerClient_Deleted_NoNewTokenAndNotListed()
    {
        var client = await CreateAsync(Yunqi, "To delete");
        var options = await _server.AsAsync(ClientRoles.PartnerManager);

        var deleted = await _partners.DeletePartnerClientAsync(new DeletePartnerClientRequest { Name = client.Name, RequestId = Guid.NewGuid().ToString() }, options).ResponseAsync.DefaultTimeout();
        var (issued, body) = await _server.RequestTokenAsync(client.ClientId, client.ClientSecret);

        Assert.Equal(client.Name, deleted.Name);
        Assert.False(issued);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.DoesNotContain(await ListAllAsync(Yunqi), c => c.ClientId == client.ClientId);
    }

    [Fact]
    public async Task DeletePartnerClient_ClientOfAnotherPartner_NotFound()
    {
        var client = await CreateAsync("partners/si-jinghe-reading", "Not yours");
        var options = await _server.AsAsync(ClientRoles.PartnerManager);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _partners.DeletePartnerClientAsync(
            new DeletePartnerClientRequest { Name = $"{Yunqi}/clients/{client.ClientId}", RequestId = Guid.NewGuid().ToString() }, options).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.True((await _server.RequestTokenAsync(client.ClientId, client.ClientSecret)).Issued);
    }

    private async Task<PartnerClient> CreateAsync(string parent, string displayName, string? requestId = null)
    {
        var options = await _server.AsAsync(ClientRoles.PartnerManager);
        var request = new CreatePartnerClientRequest { Parent = parent, DisplayName = displayName, RequestId = requestId ?? Guid.NewGuid().ToString() };
        return await _partners.CreatePartnerClientAsync(request, options).ResponseAsync.DefaultTimeout();
    }

    private async Task<List<PartnerClient>> ListAllAsync(string parent, int pageSize = 0)
    {
        var options = await _server.AsAsync(ClientRoles.Auditor);
        var all = new List<PartnerClient>();
        var request = new ListPartnerClientsRequest { Parent = parent, PageSize = pageSize };
        do
        {
            var page = await _partners.ListPartnerClientsAsync(request, options).ResponseAsync.DefaultTimeout();
            all.AddRange(page.PartnerClients);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }

    private async Task<(int Audit, int Idempotency)> CountsAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        return (await db.AuditEntries.CountAsync().DefaultTimeout(), await db.IdempotencyRecords.CountAsync().DefaultTimeout());
    }
}
