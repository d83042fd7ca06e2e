using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using PartnerExchange.Grpc.Protocol;
using static PartnerExchange.Grpc.Tests.Client.ClientTestHelpers;

namespace PartnerExchange.Grpc.Tests.Client;

[Collection(ClientServerCollection.Name)]
public sealed class GrpcChannelTransportTests(ClientTestServer server)
{
    private static Method<StringValue, StringValue> M(string name, MethodType type = MethodType.Unary) =>
        StringMethod(ClientTestServer.Service, name, type);

    [Fact]
    public async Task AsyncUnaryCall_ChannelTimeProvider_TimeoutMeasuredFromItsClock()
    {
        // Arrange: the channel's clock is an hour behind, so a deadline 1 minute ahead of real time is ~61 minutes away.
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { TimeProvider = new ShiftedTimeProvider(TimeSpan.FromHours(1)) });
        var options = new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(1));

        // Act
        var lines = (await channel.AsyncUnaryCall(M("Headers"), Text("x"), options).ResponseAsync.DefaultTimeout()).Value;
        var timeoutLine = lines.Split('\n').Single(l => l.StartsWith("grpc-timeout=", StringComparison.Ordinal));

        // Assert
        Assert.True(GrpcTimeout.TryParse(timeoutLine["grpc-timeout=".Length..], out var timeout));
        Assert.InRange(timeout, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(62));
    }

    [Fact]
    public async Task AsyncServerStreamingCall_ServerResetsStream_Internal()
    {
        // Arrange
        using var call = server.Channel.AsyncServerStreamingCall(M("Reset", MethodType.ServerStreaming), Text("x"));

        // Act: the message before the reset may or may not be read first; the call must end INTERNAL (RST_STREAM INTERNAL_ERROR).
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext().DefaultTimeout())
            {
            }
        });

        // Assert
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_HttpsAddress_NegotiatesHttp2OverTls()
    {
        // Arrange
        using var certificate = CreateSelfSignedCertificate();
        var tlsServer = new ClientTestServer();
        await tlsServer.StartAsync(certificate).DefaultTimeout();
        try
        {
            var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
            using var channel = GrpcChannel.ForAddress(tlsServer.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });

            // Act
            var response = await channel.AsyncUnaryCall(M("Unary"), Text("secure")).ResponseAsync.DefaultTimeout();

            // Assert
            Assert.StartsWith("https://", tlsServer.Address, StringComparison.Ordinal);
            Assert.Equal("echo:secure", response.Value);
        }
        finally
        {
            await tlsServer.DisposeAsync();
        }
    }

    [Fact]
    public void ForAddress_NotHttp_Throws()
    {
        // Act / Assert
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress("ftp://127.0.0.1:1"));
    }

    [Fact]
    public async Task AsyncUnaryCall_AddressWithPath_PathIgnoredAsDocumented()
    {
        // Arrange
        using var channel = GrpcChannel.ForAddress(server.Address.TrimEnd('/') + "/some/prefix/");

        // Act
        var response = await channel.AsyncUnaryCall(M("Unary"), Text("x")).ResponseAsync.DefaultTimeout();

        // Assert: the call went to /package.Service/Method at the root, not under the prefix.
        Assert.NotNull(response);
    }

    [Fact]
    public void AsyncUnaryCall_UnsupportedRequestCompression_Throws()
    {
        // Act / Assert
        Assert.Throws<ArgumentException>(() => server.Channel.AsyncUnaryCall(M("Unary"), Text("x"), new CallOptions(RequestCompression: "br")));
    }

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
