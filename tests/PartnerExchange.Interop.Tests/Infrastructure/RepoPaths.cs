namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>Where the repository, its protos and this suite's clients are: found by walking up to <c>PartnerExchange.sln</c>.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>Gets the repository's <c>protos/</c>: the contract and the standard protos the foreign stubs are made from.</summary>
    public static string ProtosDirectory => Path.Combine(RepoRoot, "protos");

    public static string SeedsDirectory => Path.Combine(RepoRoot, "seeds");

    public static string SuiteDirectory => Path.Combine(RepoRoot, "tests", "PartnerExchange.Interop.Tests");

    public static string PythonDirectory => Path.Combine(SuiteDirectory, "python");

    public static string NodeDirectory => Path.Combine(SuiteDirectory, "node");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "PartnerExchange.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException($"PartnerExchange.sln not found above {AppContext.BaseDirectory}.");
    }
}
