using PartnerExchange.Contracts.V1;
using PartnerExchange.Grpc;

namespace PartnerExchange.Client;

/// <summary>Typed client for <c>partnerexchange.v1.PartnerService</c>: manages partners.</summary>
public sealed class PartnerServiceClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = PartnerServiceReflection.Descriptor.Services[0];
    private static readonly Method<CreatePartnerRequest, Partner> CreatePartnerMethod = Method<CreatePartnerRequest, Partner>.FromDescriptor(Service.FindMethodByName("CreatePartner"));
    private static readonly Method<GetPartnerRequest, Partner> GetPartnerMethod = Method<GetPartnerRequest, Partner>.FromDescriptor(Service.FindMethodByName("GetPartner"));
    private static readonly Method<ListPartnersRequest, ListPartnersResponse> ListPartnersMethod = Method<ListPartnersRequest, ListPartnersResponse>.FromDescriptor(Service.FindMethodByName("ListPartners"));
    private static readonly Method<UpdatePartnerContactsRequest, UpdatePartnerContactsResponse> UpdatePartnerContactsMethod = Method<UpdatePartnerContactsRequest, UpdatePartnerContactsResponse>.FromDescriptor(Service.FindMethodByName("UpdatePartnerContacts"));
    private static readonly Method<RecordSubscriberBaseRequest, SubscriberBase> RecordSubscriberBaseMethod = Method<RecordSubscriberBaseRequest, SubscriberBase>.FromDescriptor(Service.FindMethodByName("RecordSubscriberBase"));
    private static readonly Method<RecordResponseDeductionRequest, ResponseDeduction> RecordResponseDeductionMethod = Method<RecordResponseDeductionRequest, ResponseDeduction>.FromDescriptor(Service.FindMethodByName("RecordResponseDeduction"));
    private static readonly Method<SuspendPartnerServiceRequest, Partner> SuspendPartnerServiceMethod = Method<SuspendPartnerServiceRequest, Partner>.FromDescriptor(Service.FindMethodByName("SuspendPartnerService"));
    private static readonly Method<ReinstatePartnerRequest, Partner> ReinstatePartnerMethod = Method<ReinstatePartnerRequest, Partner>.FromDescriptor(Service.FindMethodByName("ReinstatePartner"));
    private static readonly Method<CancelPartnerRequest, Partner> CancelPartnerMethod = Method<CancelPartnerRequest, Partner>.FromDescriptor(Service.FindMethodByName("CancelPartner"));

    private readonly GrpcChannel _channel;

    /// <summary>Creates a client that calls through <paramref name="channel"/>.</summary>
    public PartnerServiceClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Creates a partner. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Partner> CreatePartnerAsync(CreatePartnerRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(CreatePartnerMethod, request, options);

    /// <summary>Gets one partner. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Partner> GetPartnerAsync(GetPartnerRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(GetPartnerMethod, request, options);

    /// <summary>Lists partners by display name. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ListPartnersResponse> ListPartnersAsync(ListPartnersRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ListPartnersMethod, request, options);

    /// <summary>Announces new customer-service contacts effective on a date. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<UpdatePartnerContactsResponse> UpdatePartnerContactsAsync(UpdatePartnerContactsRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(UpdatePartnerContactsMethod, request, options);

    /// <summary>Records an SI's subscriber base for one month (billed paying users, group customers), the divisor of the C-mode complaint rate. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<SubscriberBase> RecordSubscriberBaseAsync(RecordSubscriberBaseRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RecordSubscriberBaseMethod, request, options);

    /// <summary>Records a response-rate score deduction against an SI (rulebook section 6). See the contract for callers and errors.</summary>
    public AsyncUnaryCall<ResponseDeduction> RecordResponseDeductionAsync(RecordResponseDeductionRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(RecordResponseDeductionMethod, request, options);

    /// <summary>Suspends a partner's service at once, after mass strong complaints or bad social impact. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Partner> SuspendPartnerServiceAsync(SuspendPartnerServiceRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(SuspendPartnerServiceMethod, request, options);

    /// <summary>Lifts a manual suspension. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Partner> ReinstatePartnerAsync(ReinstatePartnerRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(ReinstatePartnerMethod, request, options);

    /// <summary>Cancels cooperation with a partner in serious cases or when the customer-service cost it causes exceeds its revenue (rulebook section 5); withheld settlement stays frozen. See the contract for callers and errors.</summary>
    public AsyncUnaryCall<Partner> CancelPartnerAsync(CancelPartnerRequest request, CallOptions options = default) =>
        _channel.AsyncUnaryCall(CancelPartnerMethod, request, options);
}
