namespace PartnerExchange.Data.Tests.Infrastructure;

/// <summary>Compares two schema descriptions and, when they differ, lists every line missing on either side.</summary>
internal static class SchemaAssert
{
    public static void Equal(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0 || expected.Count != actual.Count)
        {
            Assert.Fail(
                "Schemas differ.\nOnly in the model's schema:\n  " + string.Join("\n  ", missing)
                + "\nOnly in the migrated schema:\n  " + string.Join("\n  ", extra));
        }
    }
}
