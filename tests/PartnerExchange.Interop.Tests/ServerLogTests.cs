using Microsoft.Extensions.Logging;
using PartnerExchange.Interop.Tests.Infrastructure;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// What our server logs when a foreign client ends a call early. A client cancelling, or its deadline passing, is
/// normal gRPC life: the transport should record it as a cancelled call, not as an error thrown by the service.
/// </summary>
public sealed class ServerLogTests : IClassFixture<InteropServerFixture>
{
    private const string FullDuplexPath = "/grpc.testing.TestService/FullDuplexCall";
    private readonly InteropServerFixture _server;

    public ServerLogTests(InteropServerFixture server) => _server = server;

    [Theory]
    [InlineData("cancel_after_first_response")]
    [InlineData("timeout_after_first_response")]
    public async Task FullDuplexCall_GrpcioClientEndsCallWhileHandlerReads_LogsNoError(string testCase)
    {
        // Arrange
        var python = await ExternalTools.PythonAsync();
        var stubs = await ExternalTools.PythonStubsAsync();
        string[] arguments = ["interop_client.py", "--server_port", _server.PortArgument, "--test_case", testCase, "--stubs_dir", stubs];
        var mark = _server.LogMark;
        var finishedBefore = _server.CompletedRequestCount(FullDuplexPath);

        // Act
        var result = await ExternalProcess.RunAsync(python, arguments, RepoPaths.PythonDirectory, InteropCaseData.ProcessTimeout);
        await _server.WaitForCompletedRequestsAsync(FullDuplexPath, finishedBefore);

        // Assert
        Assert.True(result.Succeeded, InteropCaseData.Explain(result, _server));
        var errors = _server.LogSince(mark).Where(l => l.Level >= LogLevel.Error).Select(l => l.Text).ToList();
        Assert.True(errors.Count == 0, $"the server logged {errors.Count} error(s) for a call the client ended:\n{string.Join("\n\n", errors)}");
    }
}
