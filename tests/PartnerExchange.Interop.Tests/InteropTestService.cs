using Google.Protobuf;
using PartnerExchange.Grpc;
using PartnerExchange.Interop.Tests.Testing;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// grpc.testing.TestService on our server, with the server features of grpc/grpc doc/interop-test-descriptions.md:
/// payloads of the requested sizes and intervals, echo of <c>x-grpc-test-echo-initial</c> (headers) and
/// <c>x-grpc-test-echo-trailing-bin</c> (trailers), echo of <c>response_status</c>, compressed responses on request,
/// and INVALID_ARGUMENT when <c>expect_compressed</c> does not match how a request message arrived.
/// </summary>
internal sealed class InteropTestService
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private const string Gzip = "gzip";
    private const string Identity = "identity";

    public Task<Empty> EmptyCall(Empty request, ServerCallContext context) => EchoThen(context, () => new Empty());

    public async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        // The encoding must be chosen before the headers go out: they announce it.
        if (request.ResponseCompressed is { } compressed)
        {
            context.ResponseCompression = compressed.Value ? Gzip : Identity;
        }

        await EchoMetadataAsync(context);
        CheckCompression(request.ExpectCompressed, context);
        ThrowIfStatusRequested(request.ResponseStatus);
        return new SimpleResponse { Payload = Zeros(request.ResponseSize) };
    }

    public async Task StreamingOutputCall(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        PrepareCompression(request, context);
        await EchoMetadataAsync(context);
        await RespondAsync(request, responseStream, context);
    }

    public async Task<StreamingInputCallResponse> StreamingInputCall(
        IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        var total = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            CheckCompression(requestStream.Current.ExpectCompressed, context);
            total += requestStream.Current.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public async Task FullDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requestStream,
        IServerStreamWriter<StreamingOutputCallResponse> responseStream,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await RespondAsync(requestStream.Current, responseStream, context);
        }
    }

    public async Task HalfDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requestStream,
        IServerStreamWriter<StreamingOutputCallResponse> responseStream,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        var requests = new List<StreamingOutputCallRequest>();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            requests.Add(requestStream.Current);
        }

        foreach (var request in requests)
        {
            await RespondAsync(request, responseStream, context);
        }
    }

    /// <summary>
    /// Declared by test.proto but meant to be absent. Our binding makes a missing method a start-up error, so it is
    /// present and answers UNIMPLEMENTED as a server without it would.
    /// </summary>
    public Task<Empty> UnimplementedCall(Empty request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "grpc.testing.TestService/UnimplementedCall is not implemented."));

    private static async Task<T> EchoThen<T>(ServerCallContext context, Func<T> respond)
    {
        await EchoMetadataAsync(context);
        return respond();
    }

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(EchoTrailingKey, trailing.ValueBytes);
        }

        if (context.RequestHeaders.GetValue(EchoInitialKey) is { } initial)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { EchoInitialKey, initial } });
        }
    }

    private static void CheckCompression(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed is not null && expectCompressed.Value != context.LastRequestCompressed)
        {
            throw new RpcException(new Status(
                StatusCode.InvalidArgument,
                $"expect_compressed is {expectCompressed.Value} but the request message was {(context.LastRequestCompressed ? string.Empty : "not ")}compressed."));
        }
    }

    private static void ThrowIfStatusRequested(EchoStatus? status)
    {
        if (status is not null && status.Code != 0)
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private static void PrepareCompression(StreamingOutputCallRequest request, ServerCallContext context)
    {
        if (request.ResponseParameters.Any(p => p.Compressed?.Value == true))
        {
            context.ResponseCompression = Gzip;
        }
    }

    private static async Task RespondAsync(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        ThrowIfStatusRequested(request.ResponseStatus);
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken);
            }

            if (parameters.Compressed is { } compressed)
            {
                context.ResponseCompression = compressed.Value ? Gzip : Identity;
            }

            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(parameters.Size) }, context.CancellationToken);
        }
    }

    private static Payload Zeros(int size) => new() { Body = size == 0 ? ByteString.Empty : ByteString.CopyFrom(new byte[size]) };
}
