using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using PartnerExchange.Domain;

namespace PartnerExchange.Contracts.Tests;

/// <summary>
/// The access matrix in the code (<see cref="AccessMatrix"/>) is the contract's: for every RPC, the roles named after
/// "Caller:" or "Callers:" in its doc comment, plus the auditor on every read method.
/// </summary>
public sealed partial class AccessMatrixTests
{
    private const int FileService = 6;
    private const int ServiceMethod = 2;

    /// <summary>How the doc comments name each role (common.proto's "Callers" convention).</summary>
    private static readonly (string Phrase, string Role)[] Phrases =
    [
        ("si", ClientRoles.Partner),
        ("carrier agent", ClientRoles.CarrierDesk),
        ("partner manager", ClientRoles.PartnerManager),
        ("reconciliation job", ClientRoles.ReconciliationJob),
        ("auditor", ClientRoles.Auditor),
    ];

    [Fact]
    public void Rules_EveryRpcOfTheContract_RolesAsItsDocCommentNamesThem()
    {
        // Arrange
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in LoadContractFiles())
        {
            for (var s = 0; s < file.Service.Count; s++)
            {
                var service = file.Service[s];
                for (var m = 0; m < service.Method.Count; m++)
                {
                    var comment = file.SourceCodeInfo.Location.Single(l => l.Path.SequenceEqual([FileService, s, ServiceMethod, m])).LeadingComments;
                    expected[$"{service.Name}/{service.Method[m].Name}"] = string.Join(",", RolesOf(service.Method[m].Name, comment));
                }
            }
        }

        // Act
        var actual = new SortedDictionary<string, string>(
            AccessMatrix.Rules.ToDictionary(r => r.Key, r => string.Join(",", r.Value.Order(StringComparer.Ordinal))), StringComparer.Ordinal);

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("/partnerexchange.v1.CalendarService/SetCalendarDays", ClientRoles.PartnerManager, true)]
    [InlineData("partnerexchange.v1.CalendarService/SetCalendarDays", ClientRoles.Partner, false)]
    [InlineData("/partnerexchange.v1.CalendarService/NoSuchMethod", ClientRoles.PartnerManager, false)]
    [InlineData("/other.v1.CalendarService/SetCalendarDays", ClientRoles.PartnerManager, false)]
    [InlineData("/partnerexchange.v1.CalendarService/GetCalendar", null, false)]
    [InlineData("/partnerexchange.v1.CalendarService/GetCalendar", "admin", false)]
    public void Allows_MethodAndRole_OnlyWhatTheTableLists(string method, string? role, bool allowed)
    {
        Assert.Equal(allowed, AccessMatrix.Allows(method, role));
    }

    private static IEnumerable<string> RolesOf(string method, string comment)
    {
        var callers = CallerText().Match(Whitespace().Replace(comment, " "));
        Assert.True(callers.Success, $"{method}: its doc comment names no callers");
        var text = Parenthesis().Replace(callers.Groups[1].Value, string.Empty).ToLowerInvariant();
        var roles = text.Contains("every authenticated role", StringComparison.Ordinal)
            ? ClientRoles.All.ToHashSet()
            : Phrases.Where(p => Regex.IsMatch(text, $@"\b{p.Phrase}\b")).Select(p => p.Role).ToHashSet();
        if (ReadMethod().IsMatch(method))
        {
            roles.Add(ClientRoles.Auditor);
        }

        return roles.Order(StringComparer.Ordinal);
    }

    private static IReadOnlyList<FileDescriptorProto> LoadContractFiles()
    {
        var set = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "partnerexchange.protoset")));
        return set.File.Where(f => f.Package == ContractDescriptors.Package).ToList();
    }

    [GeneratedRegex(@"Callers?: (.*?)(?:Errors:|$)")]
    private static partial Regex CallerText();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesis();

    [GeneratedRegex("^(Get|List|Watch|Stream)")]
    private static partial Regex ReadMethod();
}
