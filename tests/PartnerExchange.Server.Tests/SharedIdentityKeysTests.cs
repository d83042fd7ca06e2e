using System.Net;
using System.Xml.Linq;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;
using static PartnerExchange.Server.Tests.PeopleTests;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// People's sign-in on several instances of one database, as behind a load balancer without sticky sessions, and across
/// a restart: the codes the token server encrypts and the Data Protection payloads (sign-in cookie, antiforgery tokens)
/// are read by any instance, since their keys live in the database (Development) and not in one process. Every server
/// here runs as on a host of its own (<see cref="OnItsOwnHost"/>).
/// </summary>
public sealed class SharedIdentityKeysTests
{
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    [Fact]
    public async Task DeviceCode_IssuedByOneInstance_ApprovedAndRedeemedAtAnother()
    {
        // Arrange: two instances on one PostgreSQL database; the CLI asks the first for its codes.
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = await TestServer.StartAsync(OnItsOwnHost, database.ServerArgs);
        await using var second = await TestServer.StartAsync(OnItsOwnHost, database.ServerArgs);
        using var cli = new Browser(first.WebAddress);
        using var browser = new Browser(second.WebAddress);
        var (_, device) = await cli.TokenLikeAsync("/connect/device", new Dictionary<string, string> { ["client_id"] = "pxctl", ["scope"] = "partnerexchange" });
        var userCode = device.GetProperty("user_code").GetString()!;
        var poll = new Dictionary<string, string> { ["grant_type"] = DeviceGrant, ["client_id"] = "pxctl", ["device_code"] = device.GetProperty("device_code").GetString()! };

        // Act: the person approves on the second instance, and the CLI's next poll goes there too.
        var approval = await browser.SignInThroughAsync($"/connect/verify?user_code={Uri.EscapeDataString(userCode)}", Auditor, AuditorPassword);
        var decided = await browser.FollowAsync(await browser.PostAsync("/connect/verify", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Browser.Field(approval.Body, "__RequestVerificationToken"),
            ["user_code"] = Browser.Field(approval.Body, "user_code"),
            ["decision"] = "approve",
        }));
        var (status, body) = await browser.TokenAsync(poll);

        // Assert
        Assert.Contains("Approve", approval.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, decided.Response.StatusCode);
        Assert.True(status == HttpStatusCode.OK, $"device code of the first instance at the second: {body}");
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal((Auditor, ClientRoles.Auditor), (Payload(token).GetProperty("sub").GetString(), Payload(token).GetProperty("role").GetString()));
        var options = new CallOptions(new Metadata { { "authorization", "Bearer " + token } });
        await new AuditService.AuditServiceClient(first.Channel).ListAuditEntriesAsync(new ListAuditEntriesRequest(), options).ResponseAsync.DefaultTimeout();
    }

    [Fact]
    public async Task SignIn_EachRequestOnTheOtherInstance_CodeRedeemed()
    {
        // Arrange: one browser whose requests alternate between two instances on one PostgreSQL database.
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = await TestServer.StartAsync(OnItsOwnHost, database.ServerArgs);
        await using var second = await TestServer.StartAsync(OnItsOwnHost, database.ServerArgs);
        var cookies = new CookieContainer();
        using var onFirst = new Browser(first.WebAddress, cookies);
        using var onSecond = new Browser(second.WebAddress, cookies);
        var (verifier, challenge) = NewPkce();

        // Act: the first renders the sign-in form, the second checks its antiforgery token and signs the person in, the
        // first reads that sign-in cookie and issues the code, and the second redeems it.
        var page = await onFirst.FollowAsync(await onFirst.GetAsync(AuthorizeUrl(challenge)));
        var signedIn = await onSecond.SubmitSignInAsync(page.Body, Manager, ManagerPassword);
        var callback = await onFirst.FollowAsync(signedIn);
        var (status, body) = await onSecond.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "px-console",
            ["code"] = CodeFrom(callback.Response),
            ["redirect_uri"] = ConsoleCallback,
            ["code_verifier"] = verifier,
        });

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Response.StatusCode);
        Assert.True(status == HttpStatusCode.OK, $"code of the first instance at the second: {body}");
        Assert.Equal(Manager, Payload(body.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task AuthorizationCode_IssuedBeforeRestart_RedeemedAfterIt()
    {
        // Arrange: a code issued by a server on a SQLite file, which then stops.
        var directory = Path.Combine(Path.GetTempPath(), "px-shared-keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var (verifier, challenge) = NewPkce();
            string code;
            await using (var before = await TestServer.StartInAsync(directory, OnItsOwnHost))
            {
                using var browser = new Browser(before.WebAddress);
                code = CodeFrom((await browser.SignInThroughAsync(AuthorizeUrl(challenge), Manager, ManagerPassword)).Response);
            }

            // Act
            await using var after = await TestServer.StartInAsync(directory, OnItsOwnHost);
            using var console = new Browser(after.WebAddress);
            var (status, body) = await console.TokenAsync(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = "px-console",
                ["code"] = code,
                ["redirect_uri"] = ConsoleCallback,
                ["code_verifier"] = verifier,
            });

            // Assert
            Assert.True(status == HttpStatusCode.OK, $"code issued before the restart: {body}");
            Assert.Equal(Manager, Payload(body.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task DataProtection_ProtectedByOneInstance_UnprotectedByAnotherAndAfterRestart(string provider)
    {
        await OnOneDatabaseAsync(provider, async start =>
        {
            // Arrange
            const string Purpose = "PartnerExchange.Server.Tests.SharedKeys";
            string fromFirst;
            string bySecond;
            await using (var first = await start())
            await using (var second = await start())
            {
                fromFirst = Protector(first, Purpose).Protect("signed in as manager.wang");

                // Act
                bySecond = Protector(second, Purpose).Unprotect(fromFirst);
            }

            // A restart is a new host too (a container started anew).
            await using var restarted = await start();
            var afterRestart = Protector(restarted, Purpose).Unprotect(fromFirst);

            // Assert
            Assert.Equal("signed in as manager.wang", bySecond);
            Assert.Equal("signed in as manager.wang", afterRestart);

            // One application, whatever directory each instance is installed in.
            Assert.Equal("PartnerExchange", restarted.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        });
    }

    /// <summary>
    /// Gives a server the key store a host of its own would have, where Data Protection keeps its keys when the server
    /// names no other place: the test servers share one user's home directory, which separate hosts or containers do not,
    /// and which would hide keys kept per host.
    /// </summary>
    private static void OnItsOwnHost(WebApplicationBuilder builder)
    {
        var host = new HostKeyStore();
        builder.Services.PostConfigure<KeyManagementOptions>(options => options.XmlRepository ??= host);
    }

    private static IDataProtector Protector(TestServer server, string purpose) =>
        server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose);

    /// <summary>Runs <paramref name="test"/> with a way to start servers on one fresh database of <paramref name="provider"/>.</summary>
    private static async Task OnOneDatabaseAsync(string provider, Func<Func<Task<TestServer>>, Task> test)
    {
        if (provider == "Postgres")
        {
            await using var database = await PostgresDatabase.CreateAsync();
            await test(() => TestServer.StartAsync(OnItsOwnHost, database.ServerArgs));
            return;
        }

        var directory = Path.Combine(Path.GetTempPath(), "px-shared-keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await test(() => TestServer.StartInAsync(directory, OnItsOwnHost));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The key store of one host, in memory: what Data Protection keeps there, no other server sees.</summary>
    private sealed class HostKeyStore : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_elements)
            {
                return _elements.Select(e => new XElement(e)).ToList();
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
