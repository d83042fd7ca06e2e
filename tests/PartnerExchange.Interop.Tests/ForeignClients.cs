using PartnerExchange.Interop.Tests.Infrastructure;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// The foreign clients: integration code as an SI would write it, in another language, with stubs made from the
/// repository's <c>protos/</c>. Each runs one case per process and exits 0 when the case passes. Each gets its own
/// access token from the server's token endpoint, as the demo clients of <c>seeds/clients.json</c> chosen here.
/// </summary>
internal static class ForeignClients
{
    /// <summary>grpcio, the Python binding of the gRPC C core (Debian <c>python3-grpcio</c>).</summary>
    public const string Grpcio = "python-grpcio";

    /// <summary>@grpc/grpc-js, the pure JavaScript gRPC of Node.</summary>
    public const string GrpcJs = "node-grpc-js";

    /// <summary>How long one client process may run before it is killed with its children.</summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Every case, in the order the suite runs them; each client implements all of them.</summary>
    public static readonly IReadOnlyList<string> Cases =
    [
        "health_check",
        "reflection_list_services_v1",
        "reflection_list_services_v1alpha",
        "calendar_real_answer",
        "calendar_make_up_day_named",
        "precondition_failed",
        "streaming_error",
        "rich_error_bad_request",
        "deadline_exceeded",
        "cancel_held_call",
        "over_limit",
        "unknown_service",
        "unauthenticated",
        "permission_denied",
        "token_endpoint",
    ];

    public static readonly IReadOnlyList<string> Names = [Grpcio, GrpcJs];

    /// <summary>
    /// The client every call of the suite is made as: a partner manager, whose role may call every RPC the cases call
    /// (GetCalendar, SetCalendarDays, ForfeitWithheld, WatchWorkOrderEvents).
    /// </summary>
    private static readonly DemoClient PartnerManager = new("demo-partner-manager", "demo-secret-partner-manager");

    /// <summary>The client of <c>permission_denied</c>: an SI, whose role may read the calendar but not write it.</summary>
    private static readonly DemoClient Si = new("demo-si-yunqi-music", "demo-secret-yunqi-music");

    /// <summary>The arguments of a client process that runs <paramref name="testCase"/> against <paramref name="server"/>.</summary>
    public static IReadOnlyList<string> CaseArguments(ProductServerFixture server, string testCase) =>
    [
        "--port", server.PortArgument,
        "--case", testCase,
        "--token-url", server.TokenUrl,
        "--client-id", PartnerManager.ClientId,
        "--client-secret", PartnerManager.Secret,
        "--si-client-id", Si.ClientId,
        "--si-client-secret", Si.Secret,
    ];

    /// <summary>Runs <c>foreign_client.py</c> or <c>foreign_client.js</c> with <paramref name="arguments"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string client, IReadOnlyList<string> arguments)
    {
        switch (client)
        {
            case Grpcio:
                var python = await ExternalTools.PythonAsync();
                var stubs = await ExternalTools.PythonStubsAsync();
                return await ExternalProcess.RunAsync(
                    python, ["foreign_client.py", "--stubs", stubs, .. arguments], RepoPaths.PythonDirectory, ProcessTimeout);
            case GrpcJs:
                var node = await ExternalTools.NodeAsync();
                return await ExternalProcess.RunAsync(
                    node, ["foreign_client.js", "--protos", RepoPaths.ProtosDirectory, .. arguments], RepoPaths.NodeDirectory, ProcessTimeout);
            default:
                throw new ArgumentOutOfRangeException(nameof(client), client, "Unknown foreign client.");
        }
    }

    /// <summary>A demo client of <c>seeds/clients.json</c> (local runs and tests only).</summary>
    private sealed record DemoClient(string ClientId, string Secret);
}
