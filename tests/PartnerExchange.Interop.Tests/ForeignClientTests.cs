using Microsoft.Extensions.Logging;
using PartnerExchange.Interop.Tests.Infrastructure;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// Clients in other languages call the running product: grpcio (Python) and @grpc/grpc-js (Node), each with stubs
/// from <c>protos/</c>, run every case of <see cref="ForeignClients.Cases"/>. The client checks what it can see on the
/// wire; this side then checks what only the server can see: that the product logged no error for the case, and for
/// the held-call cases that the call did reach the server and was ended there by its cancellation token.
/// </summary>
public sealed class ForeignClientTests : IClassFixture<ProductServerFixture>
{
    private const string GetCalendarMethod = "/partnerexchange.v1.CalendarService/GetCalendar";
    private readonly ProductServerFixture _server;

    public ForeignClientTests(ProductServerFixture server) => _server = server;

    public static TheoryData<string, string> ClientCases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var client in ForeignClients.Names)
            {
                foreach (var testCase in ForeignClients.Cases)
                {
                    data.Add(client, testCase);
                }
            }

            return data;
        }
    }

    public static TheoryData<string> Clients => new(ForeignClients.Names);

    [Theory]
    [MemberData(nameof(ClientCases))]
    public Task ForeignClient_CallsProduct_CasePasses(string client, string testCase) => RunCaseAsync(client, testCase);

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task ListCases_EachClient_MatchesTheSuite(string client)
    {
        // Act
        var result = await ForeignClients.RunAsync(client, ["--list"]).ProcessTimeout(ForeignClients.ProcessTimeout);

        // Assert
        Assert.True(result.Succeeded, result.Describe());
        var listed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(ForeignClients.Cases.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Runs one case in a client process, then checks the server side: no error logged by the product, and for the
    /// held-call cases that the call reached the server and was ended there by its cancellation token.
    /// </summary>
    private async Task RunCaseAsync(string client, string testCase)
    {
        // Arrange
        var mark = _server.LogMark;
        var heldBefore = _server.HeldCalls.Count;

        // Act
        var result = await ForeignClients.RunAsync(client, ForeignClients.CaseArguments(_server, testCase))
            .ProcessTimeout(ForeignClients.ProcessTimeout);
        await _server.WaitUntilIdleAsync();

        // Assert
        Assert.True(result.Succeeded, $"{client} {testCase} failed.\n{result.Describe()}\n--- the product's log ---\n{_server.LogTextSince(mark)}");
        var errors = _server.LogSince(mark).Where(l => l.Level >= LogLevel.Error).Select(l => l.Text).ToList();
        Assert.True(errors.Count == 0, $"the product logged {errors.Count} error(s) during {client} {testCase}:\n{string.Join("\n\n", errors)}");
        if (testCase is "deadline_exceeded" or "cancel_held_call")
        {
            var held = await _server.HeldCalls.WaitForMoreThanAsync(heldBefore, CancellationToken.None).DefaultTimeout();
            var call = Assert.Single(held);
            Assert.Equal(GetCalendarMethod, call.Method);
            Assert.True(call.Cancelled, $"the held call was not cancelled: {call}");
            Assert.True(call.HasDeadline, $"the client's deadline did not reach the server: {call}");
            if (testCase == "deadline_exceeded")
            {
                // The clients set a deadline of about 300 ms; the server must have read it (grpc-timeout) as such.
                Assert.True(call.Deadline - call.ReceivedAt < TimeSpan.FromSeconds(5), $"the server read a longer deadline than sent: {call}");
            }
        }
    }
}
