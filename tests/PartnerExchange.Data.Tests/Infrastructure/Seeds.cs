namespace PartnerExchange.Data.Tests.Infrastructure;

/// <summary>Finds the repository's <c>seeds/</c> directory and makes scratch copies of it for tests that break files.</summary>
internal static class Seeds
{
    public static string Directory { get; } = FindSeedsDirectory();

    /// <summary>Copies the real seeds to a temporary directory that the returned handle deletes.</summary>
    public static ScratchSeeds CopyToScratch()
    {
        var target = Path.Combine(Path.GetTempPath(), "px-data-tests", "seeds-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(Directory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return new ScratchSeeds(target);
    }

    private static string FindSeedsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var seeds = Path.Combine(dir.FullName, "seeds");
            if (File.Exists(Path.Combine(dir.FullName, "PartnerExchange.sln")) && System.IO.Directory.Exists(seeds))
            {
                return seeds;
            }
        }

        throw new InvalidOperationException($"No seeds/ directory next to PartnerExchange.sln above '{AppContext.BaseDirectory}'.");
    }
}

/// <summary>A temporary copy of the seeds directory, deleted on dispose.</summary>
internal sealed class ScratchSeeds(string path) : IDisposable
{
    public string Path { get; } = path;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
}
