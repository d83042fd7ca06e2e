using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Identity;
using PartnerExchange.Server.Time;

namespace PartnerExchange.Server.Services;

/// <summary>A partner's OAuth clients: onboarding an SI's integration systems and revoking them.</summary>
internal sealed partial class PartnerService(
    PartnerExchangeDbContext db, IOpenIddictApplicationManager applications, TimeProvider time, BusinessClock clock, CalendarCache calendars,
    ResponseDeductionPoints points)
{
    private const string CreateClientMethod = "/partnerexchange.v1.PartnerService/CreatePartnerClient";
    private const string DeleteClientMethod = "/partnerexchange.v1.PartnerService/DeletePartnerClient";

    /// <summary>PartnerService.CreatePartnerClient: a new SI client of the partner; its secret only in this answer.</summary>
    public override async Task<PartnerClient> CreatePartnerClient(CreatePartnerClientRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<FieldViolation>();
        var partnerId = Requests.PartnerName(request.Parent, "parent", violations);
        PartnerClients.CheckDisplayName(request.DisplayName, violations);
        Requests.CheckRequestId(request.RequestId, violations);
        Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        return await Idempotency.WriteOnceAsync(db, caller, CreateClientMethod, request.RequestId, request, PartnerClient.Parser, time, async () =>
        {
            var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == partnerId, cancellationToken)
                ?? throw new ResourceNotFoundException(request.Parent);
            PartnerClients.CheckCanCreate(request.Parent, partner.Status);

            var random = RandomNumberGenerator.GetBytes(38);
            var clientId = PartnerClients.NewClientId(partner.Id, random.AsSpan(32));
            var secret = PartnerClients.NewSecret(random);
            var now = time.GetUtcNow();
            var displayName = request.DisplayName.Trim();
            await applications.CreateAsync(ClientApplications.Describe(clientId, secret, ClientRoles.Partner, partner.Id, displayName, now), cancellationToken);

            var client = ToMessage(new ClientApplication(clientId, displayName, partner.Id, now));
            AuditTrail.Record(db, caller, CreateClientMethod, client.Name, partner.Id, request.RequestId, $"client {clientId} created: {displayName}", now);
            var answer = client.Clone();
            answer.ClientSecret = secret;
            return (client, answer);
        }, cancellationToken);
    }

    /// <summary>PartnerService.ListPartnerClients: the partner's clients by client id, without secrets.</summary>
    public override async Task<ListPartnerClientsResponse> ListPartnerClients(ListPartnerClientsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var partnerId = Requests.PartnerName(request.Parent, "parent", violations);
        var pageSize = Requests.PageSize(request.PageSize, violations);
        var after = Requests.ReadPageToken(request.PageToken, request.Parent, violations);
        Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw new ResourceNotFoundException(request.Parent);
        }

        var page = (await ClientApplications.ListForPartnerAsync(db, partnerId!, cancellationToken))
            .Where(c => after is null || string.CompareOrdinal(c.ClientId, after) > 0)
            .Take(pageSize + 1)
            .ToList();
        var response = new ListPartnerClientsResponse();
        response.PartnerClients.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Requests.PageToken(request.Parent, page[pageSize - 1].ClientId);
        }

        return response;
    }

    /// <summary>PartnerService.DeletePartnerClient: the client gets no new token from now on.</summary>
    public override async Task<PartnerClient> DeletePartnerClient(DeletePartnerClientRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<FieldViolation>();
        var name = Requests.PartnerClientName(request.Name, "name", violations);
        Requests.CheckRequestId(request.RequestId, violations);
        Requests.ThrowIfAny(violations);

        var (partnerId, clientId) = name!.Value;
        var cancellationToken = context.CancellationToken;
        return await Idempotency.WriteOnceAsync(db, caller, DeleteClientMethod, request.RequestId, request, PartnerClient.Parser, time, async () =>
        {
            var found = await ClientApplications.FindForPartnerAsync(applications, partnerId, clientId, cancellationToken)
                ?? throw new ResourceNotFoundException(request.Name);
            await applications.DeleteAsync(found.Application, cancellationToken);

            var client = ToMessage(found.Client);
            AuditTrail.Record(db, caller, DeleteClientMethod, client.Name, partnerId, request.RequestId, $"client {clientId} deleted", time.GetUtcNow());
            return (client, client);
        }, cancellationToken);
    }

    private static PartnerClient ToMessage(ClientApplication client) => new()
    {
        Name = $"partners/{client.PartnerId}/clients/{client.ClientId}",
        ClientId = client.ClientId,
        DisplayName = client.DisplayName ?? string.Empty,
        CreateTime = client.CreatedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };
}
