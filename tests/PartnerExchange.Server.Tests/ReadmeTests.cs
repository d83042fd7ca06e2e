using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

public sealed class ReadmeTests
{
    private const string Start = "<!-- access-matrix:start -->";
    private const string End = "<!-- access-matrix:end -->";

    [Fact]
    public void AccessMatrixTable_Readme_IsTheCodesTable()
    {
        var readme = File.ReadAllText(Path.Combine(TestServer.RepoRoot, "README.md")).ReplaceLineEndings("\n");
        var from = readme.IndexOf(Start, StringComparison.Ordinal);
        var to = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"README.md has no {Start} ... {End} block");

        var table = readme[(from + Start.Length)..to].Trim('\n');

        Assert.True(table == Render(), $"README.md's access matrix differs from AccessMatrix; the table should read:\n{Render()}");
    }

    private static string Render()
    {
        var lines = new List<string>
        {
            "| RPC | " + string.Join(" | ", ClientRoles.All) + " |",
            "| --- |" + string.Concat(ClientRoles.All.Select(_ => " :-: |")),
        };
        lines.AddRange(AccessMatrix.Rules.Select(rule =>
            $"| `{rule.Key}` |" + string.Concat(ClientRoles.All.Select(role => rule.Value.Contains(role) ? " x |" : "  |"))));
        return string.Join("\n", lines);
    }
}
