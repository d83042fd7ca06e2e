using Grpc.Core;
using PartnerExchange.Contracts.V1;
using static PartnerExchange.Server.Tests.WorkOrderKit;
using ClientRoles = PartnerExchange.Domain.ClientRoles;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// request_id retries racing their first call on PostgreSQL, for writes other than work orders (which take the
/// work-order writer lock): calls with one request id take turns, so every retry gets the first call's answer.
/// </summary>
public sealed class IdempotencyPostgresTests
{
    [Fact]
    public async Task CreatePartner_RetriesOfOneRequestIdRaceTheFirstCall_AllGetTheFirstAnswer()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await TestServer.StartAsync(null, [SandboxAt(Start), .. database.ServerArgs]);
        var manager = await server.AsAsync(ClientRoles.PartnerManager);
        var partners = new PartnerService.PartnerServiceClient(server.Channel);
        // Many rounds, each a fresh partner and request id raced by 8 calls: the window in which a retry could see the
        // first call's partner but not yet its answer is narrow, so one round alone rarely shows it.
        var outcomes = new List<(StatusCode Code, string Answer, int Round)>();
        for (var round = 0; round < 20; round++)
        {
            var request = Request($"si-raced-{round}");
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                try
                {
                    return (StatusCode.OK, (await partners.CreatePartnerAsync(request, manager)).ToString(), round);
                }
                catch (RpcException e)
                {
                    return (e.StatusCode, e.Status.Detail, round);
                }
            }))).DefaultTimeout();
            outcomes.AddRange(answers);
        }

        Assert.All(outcomes, o => Assert.Equal(StatusCode.OK, o.Code));
        Assert.All(outcomes.GroupBy(o => o.Round), round => Assert.Single(round.Select(o => o.Answer).Distinct()));
    }

    private static CreatePartnerRequest Request(string partnerId) => new()
    {
        PartnerId = partnerId,
        RequestId = Id(),
        Partner = new Partner
        {
            DisplayName = "Raced SI " + partnerId, Kind = PartnerKind.ServiceIntegrator, AssessmentMode = AssessmentMode.C, SettlementCurrencyCode = "CNY",
            Contacts = new PartnerContacts
            {
                CompanyName = "Raced Ltd.", BusinessType = "mobile office", HotlineNumber = "057188009999", MobileNumber = "13900009999",
                ServiceContact = new ContactPerson { Name = "Service desk", PhoneNumber = "13900008888" },
                TechnicalContact = new ContactPerson { Name = "Li Lei", PhoneNumber = "057188007777" },
                OnlineServiceUrl = "https://help.raced.example",
            },
        },
    };
}
