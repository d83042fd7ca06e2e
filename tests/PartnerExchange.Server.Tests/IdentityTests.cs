using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;
using PartnerExchange.Server.Identity;

namespace PartnerExchange.Server.Tests;

public sealed class IdentityTests : IClassFixture<TestServer>
{
    private const string YunqiClient = "demo-si-yunqi-music";

    private static readonly Marshaller<Empty> EmptyMarshaller = Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom);

    private readonly TestServer _server;

    public IdentityTests(TestServer server) => _server = server;

    [Fact]
    public async Task Token_ClientSecretPost_SignedAtJwtWithRoleAndPartner()
    {
        var token = await _server.TokenAsync(YunqiClient);

        var (header, payload) = Decode(token);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        Assert.Equal("http://localhost:5001/", payload.GetProperty("iss").GetString());
        Assert.Equal(YunqiClient, payload.GetProperty("sub").GetString());
        Assert.Equal(YunqiClient, payload.GetProperty("client_id").GetString());
        Assert.Equal("partnerexchange", payload.GetProperty("aud").GetString());
        Assert.Equal(ClientRoles.Partner, payload.GetProperty("role").GetString());
        Assert.Equal("si-yunqi-music", payload.GetProperty("partner").GetString());
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("jti").GetString()));
        Assert.Equal(TestServer.Now.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(15 * 60, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Token_CarrierRole_NoPartnerClaim()
    {
        var (_, payload) = Decode(await _server.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager)));

        Assert.Equal(ClientRoles.PartnerManager, payload.GetProperty("role").GetString());
        Assert.False(payload.TryGetProperty("partner", out _));
    }

    [Fact]
    public async Task Token_ClientSecretBasicAndScope_Issued()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{YunqiClient}:{TestServer.DemoClients[YunqiClient].Secret}")));

        var (status, body) = await PostTokenAsync(http, _server.WebAddress, new() { ["grant_type"] = "client_credentials", ["scope"] = "partnerexchange" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(900, body.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task Token_OverTheGrpcEndpointsHttp2_Issued()
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var (status, body) = await PostTokenAsync(http, _server.GrpcAddress, Form(YunqiClient, TestServer.DemoClients[YunqiClient].Secret));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("access_token").GetString()));
    }

    [Theory]
    [InlineData(YunqiClient, "wrong-secret", "invalid_client")]
    [InlineData("no-such-client", "x", "invalid_client")]
    public async Task Token_BadClientCredentials_Refused(string clientId, string secret, string error)
    {
        using var http = new HttpClient();

        var (status, body) = await PostTokenAsync(http, _server.WebAddress, Form(clientId, secret));

        Assert.False(status == HttpStatusCode.OK);
        Assert.Equal(error, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_UnknownScope_InvalidScope()
    {
        using var http = new HttpClient();
        var form = Form(YunqiClient, TestServer.DemoClients[YunqiClient].Secret);
        form["scope"] = "admin";

        var (status, body) = await PostTokenAsync(http, _server.WebAddress, form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_JwksPublishesTheSigningKey()
    {
        using var http = new HttpClient();
        var header = Decode(await _server.TokenAsync(YunqiClient)).Header;

        using var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(_server.WebAddress, "/.well-known/openid-configuration")).DefaultTimeout());
        using var jwks = JsonDocument.Parse(await http.GetStringAsync(new Uri(_server.WebAddress, "/.well-known/jwks")).DefaultTimeout());

        Assert.Equal("http://localhost:5001/", discovery.RootElement.GetProperty("issuer").GetString());
        Assert.Contains("client_credentials", discovery.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(header.GetProperty("kid").GetString(), jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
    }

    [Fact]
    public async Task Rpc_NoToken_UnauthenticatedWithReason()
    {
        var calendar = new CalendarService.CalendarServiceClient(_server.Channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => calendar.GetCalendarAsync(new GetCalendarRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal(ErrorReason.AuthenticationRequired, ex.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
    }

    public static TheoryData<string> BadTokens() => new(
        "expired", "not_yet_valid", "wrong_issuer", "wrong_audience", "wrong_key", "alg_none", "tampered", "not_an_access_token", "garbage");

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Rpc_BadToken_Unauthenticated(string kind)
    {
        var token = kind switch
        {
            "tampered" => Tamper(await _server.TokenAsync(YunqiClient)),
            "garbage" => "not.a.token",
            _ => Forge(kind),
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallGetCalendarAsync(token));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Rpc_TokenAcceptedBefore_RefusedOnceItExpires()
    {
        // The server remembers a token that passed its checks; the memory must not outlive the token.
        await using var server = await TestServer.StartAsync(null);
        var token = await server.TokenAsync(YunqiClient);
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);
        var bearer = new Metadata { { "authorization", "Bearer " + token } };
        await calendar.GetCalendarAsync(OneDay(), bearer).ResponseAsync.DefaultTimeout();
        await calendar.GetCalendarAsync(OneDay(), bearer).ResponseAsync.DefaultTimeout();

        server.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        await calendar.GetCalendarAsync(OneDay(), bearer).ResponseAsync.DefaultTimeout();
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<RpcException>(() => calendar.GetCalendarAsync(OneDay(), bearer).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Rpc_ForgedWithinClockSkew_Accepted()
    {
        // Expired 20 s ago: inside the 30 s allowance for clocks that disagree, so still accepted.
        var response = await CallGetCalendarAsync(Forge("within_skew"));

        Assert.Single(response.Days);
    }

    public static TheoryData<string, string> EveryRpcAndRole()
    {
        var data = new TheoryData<string, string>();
        foreach (var rpc in AccessMatrix.Rules.Keys)
        {
            foreach (var role in ClientRoles.All)
            {
                data.Add(rpc, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRpcAndRole))]
    public async Task Rpc_EveryRole_AllowedOrPermissionDeniedAsTheMatrixSays(string rpc, string role)
    {
        var parts = rpc.Split('/');
        var descriptor = ServiceCatalog.Descriptors.Single(s => s.Name == parts[0]).FindMethodByName(parts[1]);
        var type = descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<Empty, Empty>(type, descriptor.Service.FullName, descriptor.Name, EmptyMarshaller, EmptyMarshaller);
        var options = await _server.AsAsync(role);
        var invoker = _server.Channel.CreateCallInvoker();

        var status = StatusCode.OK;
        try
        {
            if (descriptor.IsServerStreaming)
            {
                // A feed that is allowed stays open; its deadline ends it. A refused one answers at once, so its deadline is
                // long enough for a loaded machine never to end the call before the refusal arrives.
                var deadline = DateTime.UtcNow.AddSeconds(AccessMatrix.Rules[rpc].Contains(role) ? 2 : 20);
                using var call = invoker.AsyncServerStreamingCall(method, null, options.WithDeadline(deadline), new Empty());
                while (await call.ResponseStream.MoveNext().DefaultTimeout())
                {
                }
            }
            else
            {
                await invoker.AsyncUnaryCall(method, null, options, new Empty()).ResponseAsync.DefaultTimeout();
            }
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
        }

        var allowed = AccessMatrix.Rules[rpc].Contains(role);
        Assert.Equal(allowed, status != StatusCode.PermissionDenied);
        Assert.NotEqual(StatusCode.Unauthenticated, status);
    }

    [Fact]
    public async Task SigningKey_ServerRestartsOnTheSameDatabase_EarlierTokenStillValid()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = $"--ConnectionStrings:PartnerExchange=Data Source={Path.Combine(directory, "px.db")}";
        try
        {
            string token;
            await using (var first = await TestServer.StartAsync(null, database))
            {
                token = await first.TokenAsync(YunqiClient);
            }

            await using var second = await TestServer.StartAsync(null, database);
            var calendar = new CalendarService.CalendarServiceClient(second.Channel);
            var response = await calendar.GetCalendarAsync(OneDay(), new Metadata { { "authorization", "Bearer " + token } }).ResponseAsync.DefaultTimeout();

            Assert.Single(response.Days);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SigningCertificate_Configured_SignsAndValidates()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-cert-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var (certificatePath, keyPath) = await TestServer.WriteCertificateAsync(directory, "signing", TestServer.Now);
        try
        {
            await using var server = await TestServer.StartAsync(
                null,
                $"--Identity:SigningCertificates:0:Path={certificatePath}",
                $"--Identity:SigningCertificates:0:KeyPath={keyPath}");
            var token = await server.TokenAsync(YunqiClient);
            var calendar = new CalendarService.CalendarServiceClient(server.Channel);

            var response = await calendar.GetCalendarAsync(OneDay(), new Metadata { { "authorization", "Bearer " + token } }).ResponseAsync.DefaultTimeout();

            Assert.Single(response.Days);
            Assert.IsType<X509SecurityKey>(Assert.Single(server.Services.GetRequiredService<KeyRing>().Keys));
            Assert.NotNull(new JsonWebToken(token).X5t ?? new JsonWebToken(token).Kid);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task EncryptionCertificate_Configured_EncryptsTheCodesAlone()
    {
        var directory = Path.Combine(Path.GetTempPath(), "px-cert-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var (certificatePath, keyPath) = await TestServer.WriteCertificateAsync(directory, "encryption", TestServer.Now);
        try
        {
            await using var server = await TestServer.StartAsync(
                null,
                $"--Identity:EncryptionCertificates:0:Path={certificatePath}",
                $"--Identity:EncryptionCertificates:0:KeyPath={keyPath}");
            using var browser = new Browser(server.WebAddress);
            var (verifier, challenge) = PeopleTests.NewPkce();
            var callback = await browser.SignInThroughAsync(PeopleTests.AuthorizeUrl(challenge), PeopleTests.Manager, PeopleTests.ManagerPassword);

            var (status, body) = await browser.TokenAsync(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = "px-console",
                ["code"] = PeopleTests.CodeFrom(callback.Response),
                ["redirect_uri"] = PeopleTests.ConsoleCallback,
                ["code_verifier"] = verifier,
            });

            Assert.True(status == HttpStatusCode.OK, $"code encrypted with the certificate: {body}");
            var key = Assert.IsType<X509SecurityKey>(Assert.Single(server.Services.GetRequiredService<KeyRing>().EncryptionKeys));
            using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath));
            Assert.Equal(certificate.Thumbprint, key.Certificate.Thumbprint);
            var options = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenIddict.Server.OpenIddictServerOptions>>().Value;
            Assert.Same(key, Assert.Single(options.EncryptionCredentials).Key);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static GetCalendarRequest OneDay() =>
        new() { StartDate = new Date { Year = 2026, Month = 5, Day = 1 }, EndDate = new Date { Year = 2026, Month = 5, Day = 1 } };

    private async Task<GetCalendarResponse> CallGetCalendarAsync(string token)
    {
        var calendar = new CalendarService.CalendarServiceClient(_server.Channel);
        return await calendar.GetCalendarAsync(OneDay(), new Metadata { { "authorization", "Bearer " + token } }).ResponseAsync.DefaultTimeout();
    }

    /// <summary>A token as the server would make it for the Yunqi SI, but wrong in the one way <paramref name="kind"/> names.</summary>
    private string Forge(string kind)
    {
        var now = TestServer.Now.UtcDateTime;
        var serverKey = _server.Services.GetRequiredService<KeyRing>().Keys[0];
        using var otherRsa = RSA.Create(2048);
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = "http://localhost:5001/",
            Audience = "partnerexchange",
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = YunqiClient, ["role"] = ClientRoles.Partner, ["partner"] = "si-yunqi-music" },
            SigningCredentials = new SigningCredentials(serverKey, SecurityAlgorithms.RsaSha256),
        };
        switch (kind)
        {
            case "expired":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddMinutes(-5));
                break;
            case "within_skew":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (now.AddMinutes(-15), now.AddMinutes(-15), now.AddSeconds(-20));
                break;
            case "not_yet_valid":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (now.AddMinutes(5), now.AddMinutes(5), now.AddMinutes(20));
                break;
            case "wrong_issuer":
                descriptor.Issuer = "https://evil.example/";
                break;
            case "wrong_audience":
                descriptor.Audience = "another-api";
                break;
            case "wrong_key":
                descriptor.SigningCredentials = new SigningCredentials(new RsaSecurityKey(otherRsa) { KeyId = "other" }, SecurityAlgorithms.RsaSha256);
                break;
            case "alg_none":
                descriptor.SigningCredentials = null;
                break;
            case "not_an_access_token":
                descriptor.TokenType = "JWT";
                break;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The token with its payload changed to another partner and the signature kept.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("si-yunqi-music", "si-anxin-fleet", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    private static (JsonElement Header, JsonElement Payload) Decode(string token)
    {
        var parts = token.Split('.');
        using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[0]));
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]));
        return (header.RootElement.Clone(), payload.RootElement.Clone());
    }

    private static Dictionary<string, string> Form(string clientId, string secret) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["client_secret"] = secret,
    };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostTokenAsync(HttpClient http, Uri server, Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(server, "/connect/token"), content).DefaultTimeout();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
