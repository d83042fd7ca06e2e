using System.Diagnostics;
using System.Globalization;
using System.Text;
using PartnerExchange.Grpc;
using PartnerExchange.Interop.Tests.Infrastructure;

namespace PartnerExchange.Interop.Tests;

/// <summary>
/// A grpcio TestService server (python/interop_server.py) on 127.0.0.1 and a free port, for running our
/// <see cref="GrpcChannel"/> against a gRPC server nobody here wrote. Its receive limit is 4 MiB.
/// </summary>
public sealed class GrpcioServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the server's output so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Creates a channel to the server; the caller disposes it.</summary>
    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", options);

    public async Task InitializeAsync()
    {
        var python = await ExternalTools.PythonAsync();
        var stubs = await ExternalTools.PythonStubsAsync();
        string[] arguments = ["interop_server.py", "--port", "0", "--stubs_dir", stubs];
        _process = ExternalProcess.StartLongRunning(python, arguments, RepoPaths.PythonDirectory, OnLine);
        _process.Exited += (_, _) => _ready.TrySetException(
            new InvalidOperationException($"interop_server.py exited before it was ready.\n{Output}"));
        try
        {
            Port = await _ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            ExternalProcess.Kill(_process);
            throw new InvalidOperationException($"interop_server.py did not print READY within {StartTimeout}.\n{Output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        // Closing stdin asks the server to stop; a kill follows if it does not.
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            ExternalProcess.Kill(_process);
        }

        _process.Dispose();
    }

    private void OnLine(string line, bool isError)
    {
        lock (_output)
        {
            _output.Append(isError ? "[stderr] " : "[stdout] ").AppendLine(line);
        }

        if (!isError && line.StartsWith("READY ", StringComparison.Ordinal)
            && int.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            _ready.TrySetResult(port);
        }
    }
}
