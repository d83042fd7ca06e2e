using System.Net;
using System.Net.Sockets;

namespace PartnerExchange.Server.Tests;

public sealed class StartFailureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "px-start-" + Guid.NewGuid().ToString("N"));

    public StartFailureTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_PortTaken_OneLineAndExitCode1()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var args = TestServer.Args(_directory, $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}");

        var (code, error) = await RunAsync(args);

        Assert.Equal(1, code);
        Assert.Contains("address already in use", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownProvider_NamesTheSetting()
    {
        var (code, error) = await RunAsync(TestServer.Args(_directory, "--Database:Provider=Oracle"));

        Assert.Equal(1, code);
        Assert.Contains("Database:Provider", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnreachableDatabase_SaysSo()
    {
        var (code, error) = await RunAsync(TestServer.Args(
            _directory,
            "--Database:Provider=Postgres",
            "--ConnectionStrings:PartnerExchange=Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=3"));

        Assert.Equal(1, code);
        Assert.StartsWith("partnerexchange: failed to start:", error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingSeeds_NamesTheDirectory()
    {
        var missing = Path.Combine(_directory, "no-such-seeds");

        var (code, error) = await RunAsync(TestServer.Args(_directory, $"--Seeds:Directory={missing}"));

        Assert.Equal(1, code);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProductionWithoutSigningCertificate_NamesTheSetting()
    {
        var (code, error) = await RunAsync(TestServer.Args(_directory, "--environment=Production", $"--Seeds:Directory={ProductionSeeds()}"));

        Assert.Equal(1, code);
        Assert.Contains("Identity:SigningCertificates", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProductionWithSigningButNoEncryptionCertificate_NamesTheSetting()
    {
        // A signing certificate alone: the codes of people's sign-in need their own, shared by every instance.
        var (certificatePath, keyPath) = await TestServer.WriteCertificateAsync(_directory, "signing", DateTimeOffset.UtcNow);

        var (code, error) = await RunAsync(TestServer.Args(
            _directory,
            "--environment=Production",
            $"--Seeds:Directory={ProductionSeeds()}",
            $"--Identity:SigningCertificates:0:Path={certificatePath}",
            $"--Identity:SigningCertificates:0:KeyPath={keyPath}"));

        Assert.Equal(1, code);
        Assert.Contains("Identity:EncryptionCertificates", error, StringComparison.Ordinal);
    }

    /// <summary>The repository's seeds without the demo clients and people, which Production refuses.</summary>
    private string ProductionSeeds()
    {
        var seeds = Path.Combine(_directory, "seeds");
        Directory.CreateDirectory(seeds);
        foreach (var file in Directory.GetFiles(Path.Combine(TestServer.RepoRoot, "seeds"), "*.json")
            .Where(f => !f.EndsWith("clients.json", StringComparison.Ordinal) && !f.EndsWith("people.json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(seeds, Path.GetFileName(file)));
        }

        return seeds;
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://db.example.com:0")]
    public async Task RunAsync_PlaintextBeyondLoopbackOutsideDevelopment_NamesTheEndpoint(string url)
    {
        var (code, error) = await RunAsync(TestServer.Args(_directory, "--environment=Production", $"--Kestrel:Endpoints:Web:Url={url}"));

        Assert.Equal(1, code);
        Assert.Contains("Kestrel:Endpoints:Web:Url", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var code = await ServerProgram.RunAsync(args, output, error, stop.Token).DefaultTimeout();

        var text = error.ToString();
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return (code, text.Trim());
    }
}
