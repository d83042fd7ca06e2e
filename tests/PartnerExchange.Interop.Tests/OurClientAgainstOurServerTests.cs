using PartnerExchange.Grpc;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// The baseline: our client against our server over real HTTP/2. A case failing here and against the foreign
/// stacks points at both halves; failing only against a foreign stack points at the wire format.
/// </summary>
public sealed class OurClientAgainstOurServerTests : IClassFixture<InteropServerFixture>
{
    private readonly InteropServerFixture _server;

    public OurClientAgainstOurServerTests(InteropServerFixture server) => _server = server;

    public static TheoryData<string> Cases => new(InteropClientCases.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InteropCase_OurClientAgainstOurServer_Passes(string testCase)
    {
        // Arrange
        var cases = new InteropClientCases(options => GrpcChannel.ForAddress($"http://127.0.0.1:{_server.PortArgument}", options));

        // Act
        var error = await Record.ExceptionAsync(() => cases.RunAsync(testCase));

        // Assert
        Assert.True(error is null, $"{testCase} failed: {error}\n--- our server's log ---\n{_server.Log}");
    }
}
