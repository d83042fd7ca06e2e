using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

/// <summary>People's sign-in: the demo people of seeds/people.json, the sign-in page, code + PKCE, the device grant, lockout.</summary>
public sealed class PeopleTests : IClassFixture<TestServer>
{
    internal const string Manager = "manager.wang";
    internal const string ManagerPassword = "demo-password-manager";
    internal const string Auditor = "auditor.zhao";
    internal const string AuditorPassword = "demo-password-auditor";
    internal const string ConsoleCallback = "http://localhost:5001/console/callback";

    private readonly TestServer _server;

    public PeopleTests(TestServer server) => _server = server;

    [Fact]
    public async Task AuthorizationCode_SignInAndPkce_PersonsTokenCallsTheApiAndIsTheActor()
    {
        using var browser = new Browser(_server.WebAddress);
        var (verifier, challenge) = NewPkce();

        var callback = await browser.SignInThroughAsync(AuthorizeUrl(challenge), Manager, ManagerPassword);
        var code = CodeFrom(callback.Response);
        var (status, body) = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "px-console",
            ["code"] = code,
            ["redirect_uri"] = ConsoleCallback,
            ["code_verifier"] = verifier,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var token = body.GetProperty("access_token").GetString()!;
        var payload = Payload(token);
        Assert.Equal((Manager, ClientRoles.PartnerManager, "px-console"), (payload.GetProperty("sub").GetString(), payload.GetProperty("role").GetString(), payload.GetProperty("client_id").GetString()));
        Assert.False(payload.TryGetProperty("partner", out _));

        var options = new CallOptions(new Metadata { { "authorization", "Bearer " + token } });
        var created = await new PartnerService.PartnerServiceClient(_server.Channel).CreatePartnerClientAsync(
            new CreatePartnerClientRequest { Parent = "partners/si-jinghe-reading", DisplayName = "Made by a person", RequestId = Guid.NewGuid().ToString() }, options).ResponseAsync.DefaultTimeout();
        var entries = await new AuditService.AuditServiceClient(_server.Channel).ListAuditEntriesAsync(new ListAuditEntriesRequest { Resource = created.Name }, options).ResponseAsync.DefaultTimeout();
        var entry = Assert.Single(entries.AuditEntries);
        Assert.Equal((Manager, ActorRole.PartnerManager), (entry.Actor.Subject, entry.Actor.Role));
    }

    [Fact]
    public async Task AuthorizationCode_WrongVerifier_InvalidGrant()
    {
        using var browser = new Browser(_server.WebAddress);
        var (_, challenge) = NewPkce();
        var callback = await browser.SignInThroughAsync(AuthorizeUrl(challenge), Auditor, AuditorPassword);

        var (status, body) = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "px-console",
            ["code"] = CodeFrom(callback.Response),
            ["redirect_uri"] = ConsoleCallback,
            ["code_verifier"] = NewPkce().Verifier,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("plain", "plain")]
    public async Task Authorize_WithoutS256CodeChallenge_Refused(string? challenge, string? method)
    {
        using var browser = new Browser(_server.WebAddress);
        var url = $"/connect/authorize?client_id=px-console&response_type=code&scope=partnerexchange&state=s1&redirect_uri={Uri.EscapeDataString(ConsoleCallback)}"
            + (challenge is null ? string.Empty : $"&code_challenge={new string('a', 43)}&code_challenge_method={method}");

        var (response, body) = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("code_challenge", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceFlow_ApprovedOnTheVerificationPage_CliGetsThePersonsToken()
    {
        using var browser = new Browser(_server.WebAddress);
        var (_, device) = await browser.TokenLikeAsync("/connect/device", new Dictionary<string, string> { ["client_id"] = "pxctl", ["scope"] = "partnerexchange" });
        var deviceCode = device.GetProperty("device_code").GetString()!;
        var userCode = device.GetProperty("user_code").GetString()!;
        Assert.EndsWith("/connect/verify", device.GetProperty("verification_uri").GetString(), StringComparison.Ordinal);
        var poll = new Dictionary<string, string> { ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["client_id"] = "pxctl", ["device_code"] = deviceCode };

        var pending = await browser.TokenAsync(poll);
        var approval = await browser.SignInThroughAsync($"/connect/verify?user_code={Uri.EscapeDataString(userCode)}", Auditor, AuditorPassword);
        Assert.Contains("Approve", approval.Body, StringComparison.Ordinal);
        var decided = await browser.FollowAsync(await browser.PostAsync("/connect/verify", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Browser.Field(approval.Body, "__RequestVerificationToken"),
            ["user_code"] = Browser.Field(approval.Body, "user_code"),
            ["decision"] = "approve",
        }));
        var (status, body) = await browser.TokenAsync(poll);

        Assert.Equal("authorization_pending", pending.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, decided.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal((Auditor, ClientRoles.Auditor, "pxctl"), (Payload(token).GetProperty("sub").GetString(), Payload(token).GetProperty("role").GetString(), Payload(token).GetProperty("client_id").GetString()));
        var options = new CallOptions(new Metadata { { "authorization", "Bearer " + token } });
        await new AuditService.AuditServiceClient(_server.Channel).ListAuditEntriesAsync(new ListAuditEntriesRequest(), options).ResponseAsync.DefaultTimeout();
    }

    [Fact]
    public async Task SignIn_DisabledAccount_RefusedAndItsPendingCodeGetsNoToken()
    {
        await AddAsync("agent.disabled", ClientRoles.CarrierDesk, "a-long-enough-password");
        using var browser = new Browser(_server.WebAddress);
        var (verifier, challenge) = NewPkce();
        var callback = await browser.SignInThroughAsync(AuthorizeUrl(challenge), "agent.disabled", "a-long-enough-password");
        var code = CodeFrom(callback.Response);

        await WithPeopleAsync(people => people.DisableAsync("agent.disabled"));
        var (status, body) = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "px-console",
            ["code"] = code,
            ["redirect_uri"] = ConsoleCallback,
            ["code_verifier"] = verifier,
        });
        using var again = new Browser(_server.WebAddress);
        var page = await again.FollowAsync(await again.GetAsync("/account/signin"));
        var refused = await again.SubmitSignInAsync(page.Body, "agent.disabled", "a-long-enough-password");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Contains("Sign-in failed", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_Refused()
    {
        using var browser = new Browser(_server.WebAddress);

        var (response, _) = await browser.PostAsync("/account/signin", new Dictionary<string, string> { ["userName"] = Manager, ["password"] = ManagerPassword });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockedOutForFifteenMinutesOnTheServersClock()
    {
        await using var server = await TestServer.StartAsync(configure: null);
        await AddAsync(server, "agent.lockout", ClientRoles.CarrierDesk, "the-right-password");
        using var browser = new Browser(server.WebAddress);
        var page = await browser.FollowAsync(await browser.GetAsync("/account/signin"));

        for (var i = 0; i < 5; i++)
        {
            var wrong = await browser.SubmitSignInAsync(page.Body, "agent.lockout", "a-wrong-password");
            Assert.Contains("Sign-in failed", wrong.Body, StringComparison.Ordinal);
        }

        var locked = await browser.SubmitSignInAsync(page.Body, "agent.lockout", "the-right-password");
        server.Clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await browser.SubmitSignInAsync(page.Body, "agent.lockout", "the-right-password");
        server.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var unlocked = await browser.SubmitSignInAsync(page.Body, "agent.lockout", "the-right-password");

        Assert.Contains("Sign-in failed", locked.Body, StringComparison.Ordinal);
        Assert.Contains("Sign-in failed", stillLocked.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.Response.StatusCode);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        var summaries = db.AuditEntries.Where(e => e.Actor == "agent.lockout").Select(e => e.Summary).ToList();
        // The fifth wrong password is the one that locks the account.
        Assert.Equal(4, summaries.Count(s => s == "sign-in refused: wrong password"));
        Assert.Equal(3, summaries.Count(s => s == "sign-in refused: account locked out"));
    }

    [Fact]
    public async Task Start_PeopleSeedInProduction_Refused()
    {
        var seeds = Path.Combine(Path.GetTempPath(), "px-people-seeds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(seeds);
        foreach (var file in Directory.GetFiles(Path.Combine(TestServer.RepoRoot, "seeds"), "*.json").Where(f => !f.EndsWith("clients.json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(seeds, Path.GetFileName(file)));
        }

        try
        {
            await using var app = ServerProgram.Build([.. TestServer.Args(seeds), "--environment=Production", $"--Seeds:Directory={seeds}"]);

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProgram.InitializeAsync(app, CancellationToken.None).DefaultTimeout());

            Assert.Contains("people.json", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Production", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(seeds, recursive: true);
        }
    }

    [Fact]
    public async Task AccountsCommand_AddResetDisable_PasswordsPrintedOnceAndDisabledCannotSignIn()
    {
        var database = $"--ConnectionStrings:PartnerExchange=Data Source={Path.Combine(_server.Directory, "px.db")}";
        var (added, addOutput, _) = await RunAccountsAsync("add", "--user", "alice", "--role", "partner-manager", database);
        var firstPassword = addOutput.Split(' ').Last().Trim();
        var (reset, resetOutput, _) = await RunAccountsAsync("reset", "--user", "alice", database);
        var newPassword = resetOutput.Split(' ').Last().Trim();
        var (badRole, _, badRoleError) = await RunAccountsAsync("add", "--user", "bob", "--role", "reconciliation-job", database);

        using var browser = new Browser(_server.WebAddress);
        var page = await browser.FollowAsync(await browser.GetAsync("/account/signin"));
        var withFirst = await browser.SubmitSignInAsync(page.Body, "alice", firstPassword);
        var withNew = await browser.SubmitSignInAsync(page.Body, "alice", newPassword);
        var (disabled, _, _) = await RunAccountsAsync("disable", "--user", "alice", database);
        using var later = new Browser(_server.WebAddress);
        var laterPage = await later.FollowAsync(await later.GetAsync("/account/signin"));
        var afterDisable = await later.SubmitSignInAsync(laterPage.Body, "alice", newPassword);

        Assert.Equal((0, 0, 0), (added, reset, disabled));
        Assert.Equal(20, firstPassword.Length);
        Assert.NotEqual(firstPassword, newPassword);
        Assert.NotEqual(0, badRole);
        Assert.Contains("reconciliation-job", badRoleError, StringComparison.Ordinal);
        Assert.Contains("Sign-in failed", withFirst.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, withNew.Response.StatusCode);
        Assert.Contains("Sign-in failed", afterDisable.Body, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAccountsAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AccountsCommand.RunAsync([.. args, "--environment=Development", "--Logging:LogLevel:Default=Warning"], output, error).DefaultTimeout();
        return (exit, output.ToString(), error.ToString());
    }

    private Task AddAsync(string userName, string role, string password) => AddAsync(_server, userName, role, password);

    private static async Task AddAsync(TestServer server, string userName, string role, string password)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PersonAccountManager>().AddAsync(userName, role, partnerId: null, password);
    }

    private async Task WithPeopleAsync(Func<PersonAccountManager, Task> action)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<PersonAccountManager>());
    }

    internal static string AuthorizeUrl(string challenge) =>
        $"/connect/authorize?client_id=px-console&response_type=code&scope=partnerexchange&state=s1&redirect_uri={Uri.EscapeDataString(ConsoleCallback)}"
        + $"&code_challenge={challenge}&code_challenge_method=S256";

    internal static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    internal static string CodeFrom(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(ConsoleCallback, location.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("s1", query["state"].ToString());
        return query["code"].ToString();
    }

    internal static JsonElement Payload(string token)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]));
        return payload.RootElement.Clone();
    }
}
