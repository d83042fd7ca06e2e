using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

public sealed class AuditTests : IClassFixture<TestServer>
{
    private readonly TestServer _server;
    private readonly AuditService.AuditServiceClient _audit;
    private readonly PartnerService.PartnerServiceClient _partners;

    public AuditTests(TestServer server)
    {
        _server = server;
        _audit = new AuditService.AuditServiceClient(server.Channel);
        _partners = new PartnerService.PartnerServiceClient(server.Channel);
    }

    [Fact]
    public async Task ListAuditEntries_AfterAChange_EntryWithActorRolePartnerAndRequestId()
    {
        var requestId = Guid.NewGuid().ToString();
        var client = await CreateClientAsync("partners/si-yunqi-music", requestId);

        var entries = await ListAsync(ClientRoles.PartnerManager, new ListAuditEntriesRequest { Resource = client.Name });

        var entry = Assert.Single(entries);
        Assert.Equal(("demo-partner-manager", ActorRole.PartnerManager, string.Empty), (entry.Actor.Subject, entry.Actor.Role, entry.Actor.Partner));
        Assert.Equal("/partnerexchange.v1.PartnerService/CreatePartnerClient", entry.Action);
        Assert.Equal("partners/si-yunqi-music", entry.Partner);
        Assert.Equal(requestId, entry.RequestId);
        Assert.Equal(TestServer.Now, entry.CreateTime.ToDateTimeOffset());
        Assert.Contains(client.ClientId, entry.Summary, StringComparison.Ordinal);
        Assert.StartsWith("auditEntries/", entry.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAuditEntries_Si_OnlyItsOwnPartnersEntriesWhateverItAsks()
    {
        await CreateClientAsync("partners/si-yunqi-music");
        await CreateClientAsync("partners/si-jinghe-reading");

        var own = await ListAsync(ClientRoles.Partner, new ListAuditEntriesRequest());
        var asksForAnother = await ListAsync(ClientRoles.Partner, new ListAuditEntriesRequest { Partner = "partners/si-jinghe-reading" });

        Assert.NotEmpty(own);
        Assert.All(own, e => Assert.Equal("partners/si-yunqi-music", e.Partner));
        Assert.Equal(own.Select(e => e.Name), asksForAnother.Select(e => e.Name));
    }

    [Fact]
    public async Task ListAuditEntries_PagesOfOne_NewestFirstEachOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateClientAsync("partners/si-qingfeng-games");
        }

        var all = await ListAsync(ClientRoles.Auditor, new ListAuditEntriesRequest { Partner = "partners/si-qingfeng-games", PageSize = 1 });

        Assert.True(all.Count >= 3);
        var ids = all.Select(e => long.Parse(e.Name["auditEntries/".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    [Fact]
    public async Task TokenRequest_WrongSecret_RecordedInTheAuditTrail()
    {
        var (issued, _) = await _server.RequestTokenAsync("demo-si-anxin-fleet", "not-the-secret");

        var entries = await ListAsync(ClientRoles.Auditor, new ListAuditEntriesRequest { ActorSubject = "demo-si-anxin-fleet" });

        Assert.False(issued);
        var entry = Assert.Single(entries);
        Assert.Equal(("/connect/token", "token refused: invalid_client"), (entry.Action, entry.Summary));
        Assert.DoesNotContain("not-the-secret", entry.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAuditEntries_EndBeforeStart_InvalidArgumentOnEndTime()
    {
        var options = await _server.AsAsync(ClientRoles.PartnerManager);
        var request = new ListAuditEntriesRequest
        {
            StartTime = Timestamp.FromDateTimeOffset(TestServer.Now),
            EndTime = Timestamp.FromDateTimeOffset(TestServer.Now.AddHours(-1)),
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => _audit.ListAuditEntriesAsync(request, options).ResponseAsync.DefaultTimeout());

        Assert.Equal("end_time", Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public async Task ListAuditEntries_PageTokenOfAnotherFilter_InvalidArgument()
    {
        for (var i = 0; i < 2; i++)
        {
            await CreateClientAsync("partners/platform-hangyun");
        }

        var options = await _server.AsAsync(ClientRoles.PartnerManager);
        var first = await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { Partner = "partners/platform-hangyun", PageSize = 1 }, options).ResponseAsync.DefaultTimeout();

        var ex = await Assert.ThrowsAsync<RpcException>(() => _audit.ListAuditEntriesAsync(
            new ListAuditEntriesRequest { Partner = "partners/si-yunqi-music", PageSize = 1, PageToken = first.NextPageToken }, options).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    private async Task<PartnerClient> CreateClientAsync(string parent, string? requestId = null)
    {
        var options = await _server.AsAsync(ClientRoles.PartnerManager);
        return await _partners.CreatePartnerClientAsync(
            new CreatePartnerClientRequest { Parent = parent, DisplayName = "Audit test", RequestId = requestId ?? Guid.NewGuid().ToString() }, options).ResponseAsync.DefaultTimeout();
    }

    private async Task<List<AuditEntry>> ListAsync(string role, ListAuditEntriesRequest request)
    {
        var options = await _server.AsAsync(role);
        var all = new List<AuditEntry>();
        do
        {
            var page = await _audit.ListAuditEntriesAsync(request, options).ResponseAsync.DefaultTimeout();
            all.AddRange(page.AuditEntries);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }
}
