using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>Partner management: partners, their contacts, subscriber bases, response-rate deductions and sanctions.</summary>
internal sealed partial class PartnerService : Contracts.V1.PartnerService.PartnerServiceBase
{
    private const string Capability = "partner management (partners, contacts, subscriber bases, response deductions, sanctions)";

    /// <summary>PartnerService.CreatePartner: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<Partner> CreatePartner(CreatePartnerRequest request, ServerCallContext context) =>
        Task.FromException<Partner>(NotBuilt.Rpc("PartnerService.CreatePartner", Capability));

    /// <summary>PartnerService.GetPartner: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<Partner> GetPartner(GetPartnerRequest request, ServerCallContext context) =>
        Task.FromException<Partner>(NotBuilt.Rpc("PartnerService.GetPartner", Capability));

    /// <summary>PartnerService.ListPartners: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<ListPartnersResponse> ListPartners(ListPartnersRequest request, ServerCallContext context) =>
        Task.FromException<ListPartnersResponse>(NotBuilt.Rpc("PartnerService.ListPartners", Capability));

    /// <summary>PartnerService.UpdatePartnerContacts: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<UpdatePartnerContactsResponse> UpdatePartnerContacts(UpdatePartnerContactsRequest request, ServerCallContext context) =>
        Task.FromException<UpdatePartnerContactsResponse>(NotBuilt.Rpc("PartnerService.UpdatePartnerContacts", Capability));

    /// <summary>PartnerService.RecordSubscriberBase: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<SubscriberBase> RecordSubscriberBase(RecordSubscriberBaseRequest request, ServerCallContext context) =>
        Task.FromException<SubscriberBase>(NotBuilt.Rpc("PartnerService.RecordSubscriberBase", Capability));

    /// <summary>PartnerService.RecordResponseDeduction: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<ResponseDeduction> RecordResponseDeduction(RecordResponseDeductionRequest request, ServerCallContext context) =>
        Task.FromException<ResponseDeduction>(NotBuilt.Rpc("PartnerService.RecordResponseDeduction", Capability));

    /// <summary>PartnerService.SuspendPartnerService: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<Partner> SuspendPartnerService(SuspendPartnerServiceRequest request, ServerCallContext context) =>
        Task.FromException<Partner>(NotBuilt.Rpc("PartnerService.SuspendPartnerService", Capability));

    /// <summary>PartnerService.ReinstatePartner: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<Partner> ReinstatePartner(ReinstatePartnerRequest request, ServerCallContext context) =>
        Task.FromException<Partner>(NotBuilt.Rpc("PartnerService.ReinstatePartner", Capability));

    /// <summary>PartnerService.CancelPartner: answers UNIMPLEMENTED until partner management is built.</summary>
    public override Task<Partner> CancelPartner(CancelPartnerRequest request, ServerCallContext context) =>
        Task.FromException<Partner>(NotBuilt.Rpc("PartnerService.CancelPartner", Capability));
}
