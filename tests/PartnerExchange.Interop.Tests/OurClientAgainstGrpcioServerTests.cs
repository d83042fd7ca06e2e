namespace PartnerExchange.Interop.Tests;

/// <summary>Our client (<c>GrpcChannel</c>) runs every interop case against the grpcio TestService server.</summary>
public sealed class OurClientAgainstGrpcioServerTests : IClassFixture<GrpcioServerFixture>
{
    private readonly GrpcioServerFixture _server;

    public OurClientAgainstGrpcioServerTests(GrpcioServerFixture server) => _server = server;

    public static TheoryData<string> Cases => new(InteropClientCases.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InteropCase_OurClientAgainstGrpcioServer_Passes(string testCase)
    {
        // Arrange
        var cases = new InteropClientCases(_server.CreateChannel);

        // Act
        var error = await Record.ExceptionAsync(() => cases.RunAsync(testCase));

        // Assert
        Assert.True(error is null, $"{testCase} failed: {error}\n--- grpcio server output ---\n{_server.Output}");
    }
}
