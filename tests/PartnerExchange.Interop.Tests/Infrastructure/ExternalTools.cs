namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>
/// Finds the foreign gRPC stacks the suite runs: a <c>python3</c> that imports grpcio and grpc_tools (the Debian
/// packages live in /usr/bin/python3, which a pyenv or venv on PATH may hide), and <c>node</c> with this suite's
/// <c>node_modules</c>. Each lookup runs once per test run; a missing tool fails with what to install.
/// </summary>
internal static class ExternalTools
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<string>> Python = new(FindPythonAsync);
    private static readonly Lazy<Task<string>> Node = new(FindNodeAsync);
    private static readonly Lazy<Task<string>> Stubs = new(GenerateStubsAsync);

    /// <summary>Gets the path of a python3 that has grpcio and grpc_tools.</summary>
    public static Task<string> PythonAsync() => Python.Value;

    /// <summary>Gets the path of node, after making sure <c>node/node_modules</c> is installed.</summary>
    public static Task<string> NodeAsync() => Node.Value;

    /// <summary>
    /// Gets a directory with the Python stubs (<c>_pb2</c> and <c>_pb2_grpc</c>) of every .proto under the repository's
    /// <c>protos/</c>, generated once per test run with <c>python3 -m grpc_tools.protoc</c>.
    /// </summary>
    public static Task<string> PythonStubsAsync() => Stubs.Value;

    private static async Task<string> FindPythonAsync()
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates("INTEROP_PYTHON", "python3", "/usr/bin/python3"))
        {
            var probe = await ExternalProcess.RunAsync(candidate, ["-c", "import grpc, grpc_tools"], RepoPaths.PythonDirectory, ProbeTimeout);
            if (probe.Succeeded)
            {
                return candidate;
            }

            tried.Add($"{candidate}: {probe.StandardError.Trim()}");
        }

        throw new InvalidOperationException(
            "No python3 with grpcio and grpc_tools found (install the Debian packages python3-grpcio and python3-grpc-tools, " +
            "or set INTEROP_PYTHON). Tried:\n" + string.Join('\n', tried));
    }

    private static async Task<string> FindNodeAsync()
    {
        var node = Candidates("INTEROP_NODE", "node", "/usr/bin/node").FirstOrDefault()
            ?? throw new InvalidOperationException("node not found on PATH (install Node.js 18 or newer, or set INTEROP_NODE).");
        if (!NodeModulesInstalled())
        {
            var npm = Candidates("INTEROP_NPM", "npm", "/usr/bin/npm").FirstOrDefault()
                ?? throw new InvalidOperationException("node_modules is missing and npm was not found: run `bash tests/run.sh` " +
                    "or `npm ci` in tests/PartnerExchange.Interop.Tests/node.");
            var install = await ExternalProcess.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], RepoPaths.NodeDirectory, NpmTimeout);
            if (!install.Succeeded)
            {
                throw new InvalidOperationException("`npm ci` failed; run `bash tests/run.sh` or `npm ci` in " +
                    "tests/PartnerExchange.Interop.Tests/node by hand.\n" + install.Describe());
            }
        }

        return node;
    }

    private static async Task<string> GenerateStubsAsync()
    {
        var python = await PythonAsync();
        var directory = Path.Combine(Path.GetTempPath(), "partnerexchange-interop-stubs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);

        // Relative names, so the generated modules are packages named after the proto paths (partnerexchange.v1, ...).
        var protos = Directory.EnumerateFiles(RepoPaths.ProtosDirectory, "*.proto", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(RepoPaths.ProtosDirectory, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] arguments =
        [
            "-m", "grpc_tools.protoc", "-I.", $"--python_out={directory}", $"--grpc_python_out={directory}", .. protos,
        ];
        var result = await ExternalProcess.RunAsync(python, arguments, RepoPaths.ProtosDirectory, ProbeTimeout);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Generating the Python stubs from protos/ failed.\n" + result.Describe());
        }

        return directory;
    }

    /// <summary>Whether every package <c>node/foreign_client.js</c> requires is installed.</summary>
    private static bool NodeModulesInstalled() =>
        new[] { "@grpc/grpc-js", "@grpc/proto-loader", "protobufjs" }
            .All(package => File.Exists(Path.Combine(RepoPaths.NodeDirectory, "node_modules", package, "package.json")));

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory; harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    /// <summary>The environment override (if set), then the name on PATH, then the usual absolute path; only existing files.</summary>
    private static IEnumerable<string> Candidates(string environmentVariable, string name, string fallback)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment) && seen.Add(fromEnvironment))
        {
            yield return fromEnvironment;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && seen.Add(candidate))
            {
                yield return candidate;
            }
        }

        if (File.Exists(fallback) && seen.Add(fallback))
        {
            yield return fallback;
        }
    }
}
