using PartnerExchange.Interop.Tests.Infrastructure;

namespace PartnerExchange.Interop.Tests;

/// <summary>The interop client cases, the same list for every client.</summary>
public static class InteropCaseData
{
    public static TheoryData<string> ClientCases => new(InteropClientCases.Names);

    public static TheoryData<string> HealthReflectionCases => new("health_check", "health_watch", "reflection_v1", "reflection_v1alpha");

    /// <summary>How long one client process may run before it is killed.</summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    internal static string Explain(ProcessResult result, InteropServerFixture server) =>
        $"{result.Describe()}\n--- our server's log ---\n{server.Log}";
}

/// <summary>grpcio (Python, the gRPC C core) runs every interop case against our server.</summary>
public sealed class PythonClientAgainstOurServerTests : IClassFixture<InteropServerFixture>
{
    private readonly InteropServerFixture _server;

    public PythonClientAgainstOurServerTests(InteropServerFixture server) => _server = server;

    [Theory]
    [MemberData(nameof(InteropCaseData.ClientCases), MemberType = typeof(InteropCaseData))]
    public async Task InteropCase_GrpcioClientAgainstOurServer_Passes(string testCase)
    {
        // Arrange
        var python = await ExternalTools.PythonAsync();
        var stubs = await ExternalTools.PythonStubsAsync();
        string[] arguments = ["interop_client.py", "--server_port", _server.PortArgument, "--test_case", testCase, "--stubs_dir", stubs];

        // Act
        var result = await ExternalProcess.RunAsync(python, arguments, RepoPaths.PythonDirectory, InteropCaseData.ProcessTimeout);

        // Assert
        Assert.True(result.Succeeded, InteropCaseData.Explain(result, _server));
    }
}

/// <summary>@grpc/grpc-js (Node) runs every interop case against our server.</summary>
public sealed class NodeClientAgainstOurServerTests : IClassFixture<InteropServerFixture>
{
    private readonly InteropServerFixture _server;

    public NodeClientAgainstOurServerTests(InteropServerFixture server) => _server = server;

    [Theory]
    [MemberData(nameof(InteropCaseData.ClientCases), MemberType = typeof(InteropCaseData))]
    public async Task InteropCase_GrpcJsClientAgainstOurServer_Passes(string testCase)
    {
        // Arrange
        var node = await ExternalTools.NodeAsync();
        string[] arguments = ["interop_client.js", "--server_port", _server.PortArgument, "--test_case", testCase];

        // Act
        var result = await ExternalProcess.RunAsync(node, arguments, RepoPaths.NodeDirectory, InteropCaseData.ProcessTimeout);

        // Assert
        Assert.True(result.Succeeded, InteropCaseData.Explain(result, _server));
    }
}

/// <summary>grpcio checks our health and reflection services (stubs from the repository's protos/).</summary>
public sealed class GrpcioHealthAndReflectionTests : IClassFixture<InteropServerFixture>
{
    private readonly InteropServerFixture _server;

    public GrpcioHealthAndReflectionTests(InteropServerFixture server) => _server = server;

    [Theory]
    [MemberData(nameof(InteropCaseData.HealthReflectionCases), MemberType = typeof(InteropCaseData))]
    public async Task Case_GrpcioClientAgainstOurServer_Passes(string testCase)
    {
        // Arrange
        var python = await ExternalTools.PythonAsync();
        var stubs = await ExternalTools.PythonStubsAsync();
        string[] arguments = ["health_reflection_client.py", "--server_port", _server.PortArgument, "--test_case", testCase, "--stubs_dir", stubs];

        // Act
        var result = await ExternalProcess.RunAsync(python, arguments, RepoPaths.PythonDirectory, InteropCaseData.ProcessTimeout);

        // Assert
        Assert.True(result.Succeeded, InteropCaseData.Explain(result, _server));
    }
}
