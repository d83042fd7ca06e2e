using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Grpc.Tests.Protos;

namespace PartnerExchange.Grpc.Tests.Server;

public sealed class BindingTests
{
    [Fact]
    public async Task MapGrpcService_MethodMissing_ThrowsNamingServiceMethodAndExpectedSignature()
    {
        await using var app = CreateApp();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<MissingDuplex>(ServerTestReflection.Descriptor.Services[0]));

        Assert.Contains("partnerexchange.grpctest.TestService/Duplex", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "'Task Duplex(IAsyncStreamReader<EchoRequest>, IServerStreamWriter<EchoReply>, ServerCallContext)'",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapGrpcService_WrongRequestType_ThrowsNamingMethodAndWhatWasFound()
    {
        await using var app = CreateApp();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<WrongUnaryRequest>(ServerTestReflection.Descriptor.Services[0]));

        Assert.Contains("partnerexchange.grpctest.TestService/Unary (unary)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Task<EchoReply> Unary(EchoRequest, ServerCallContext)'", error.Message, StringComparison.Ordinal);
        Assert.Contains("found 'Task<EchoReply> Unary(EchoReply, ServerCallContext)'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapGrpcService_WrongShape_Throws()
    {
        await using var app = CreateApp();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<UnaryAsServerStreaming>(ServerTestReflection.Descriptor.Services[0]));

        Assert.Contains("partnerexchange.grpctest.TestService/Unary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapGrpcService_WithoutAddGrpcTransport_Throws()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<TestServiceImpl>(ServerTestReflection.Descriptor.Services[0]));

        Assert.Contains("AddGrpcTransport", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredService_ResolvedFromRequestScopePerCall()
    {
        await using var server = await GrpcTestServer.StartAsync(
            services: s =>
            {
                s.AddScoped<ScopedCounter>();
                s.AddGrpcService<TestServiceImpl>();
            },
            behave: b => b.Unary = (_, context) =>
            {
                var counter = context.GetHttpContext().RequestServices.GetRequiredService<ScopedCounter>();
                return Task.FromResult(new EchoReply { Text = (++counter.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            });

        var first = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()));
        var second = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()));

        Assert.Equal("1", GrpcWire.ReadMessages(first.Body, EchoReply.Parser)[0].Text);
        Assert.Equal("1", GrpcWire.ReadMessages(second.Body, EchoReply.Parser)[0].Text);
    }

    [Fact]
    public async Task UnregisteredParameterlessService_NewInstancePerCallAndDisposedAfterIt()
    {
        await using var server = await GrpcTestServer.StartAsync(
            mapTestService: false,
            map: app => app.MapGrpcService<ParameterlessService>(ServerTestReflection.Descriptor.Services[0]));

        var first = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()));
        var second = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.OK, first.StatusCode);
        var firstId = GrpcWire.ReadMessages(first.Body, EchoReply.Parser)[0].Text;
        var secondId = GrpcWire.ReadMessages(second.Body, EchoReply.Parser)[0].Text;
        Assert.NotEqual(firstId, secondId);
        Assert.Contains(firstId, ParameterlessService.Disposed);
        Assert.Contains(secondId, ParameterlessService.Disposed);
    }

    [Fact]
    public async Task UnknownMethod_AppMiddlewareAfterRouting_StillUnimplementedAndKnownMethodServed()
    {
        var passedThrough = 0;
        await using var server = await GrpcTestServer.StartAsync(map: app =>
        {
            app.UseRouting();
            app.Use(next => context =>
            {
                Interlocked.Increment(ref passedThrough);
                return next(context);
            });
        });

        var unknown = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Nope", GrpcWire.Frame(new EchoRequest()));
        var known = await server.Client.CallAsync(GrpcTestServer.ServicePath + "Unary", GrpcWire.Frame(new EchoRequest { Text = "x" }));

        Assert.Equal(StatusCode.Unimplemented, unknown.StatusCode);
        Assert.Equal("Method is unimplemented.", unknown.Message);
        Assert.True(unknown.IsTrailersOnly);
        Assert.Equal(StatusCode.OK, known.StatusCode);
        Assert.Equal(2, passedThrough);
    }

    private static WebApplication CreateApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpcTransport();
        builder.Services.AddSingleton(new TestBehavior());
        return builder.Build();
    }

    public sealed class ScopedCounter
    {
        public int Value { get; set; }
    }

    public sealed class ParameterlessService : IDisposable
    {
        public static readonly System.Collections.Concurrent.ConcurrentBag<string> Disposed = [];

        private readonly string _id = Guid.NewGuid().ToString("N");

        public Task<EchoReply> Unary(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply { Text = _id });

        public Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context) => throw new NotSupportedException();

        public Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context) => throw new NotSupportedException();

        public Task Duplex(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context) =>
            throw new NotSupportedException();

        public void Dispose() => Disposed.Add(_id);
    }

    public sealed class MissingDuplex
    {
        public Task<EchoReply> Unary(EchoRequest request, ServerCallContext context) => throw new NotSupportedException();

        public Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context) => throw new NotSupportedException();

        public Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context) => throw new NotSupportedException();
    }

    public sealed class WrongUnaryRequest
    {
        public Task<EchoReply> Unary(EchoReply request, ServerCallContext context) => throw new NotSupportedException();
    }

    public sealed class UnaryAsServerStreaming
    {
        public Task Unary(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context) => throw new NotSupportedException();
    }
}
