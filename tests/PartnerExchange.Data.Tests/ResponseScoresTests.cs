using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Entities;
using PartnerExchange.Data.Tests.Infrastructure;
using PartnerExchange.Domain;

namespace PartnerExchange.Data.Tests;

/// <summary>The monthly response-rate score query (rulebook section 6): set-based on both providers, its SQL baselined.</summary>
public sealed class ResponseScoresTests
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ForMonthAsync_MonthsPartnersAndWithdrawals_PointsOfCountingDeductionsPerPartner(DatabaseProvider provider)
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(provider).DefaultTimeout();
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync().DefaultTimeout();
            db.Partners.AddRange(MigrationSchemaTests.NewPartner("si-a", T0), MigrationSchemaTests.NewPartner("si-b", T0), MigrationSchemaTests.NewPartner("si-c", T0));
            db.ResponseDeductions.AddRange(
                Deduction("si-a", "2026-09", 5),
                Deduction("si-a", "2026-09", 10),
                Deduction("si-a", "2026-09", 30, withdrawn: true),
                Deduction("si-a", "2026-08", 7),
                Deduction("si-b", "2026-09", 60),
                Deduction("si-b", "2026-09", 50),
                Deduction("si-c", "2026-09", 5));
            await db.SaveChangesAsync().DefaultTimeout();
        }

        // Act
        await using var read = database.CreateContext();
        var all = await ResponseScores.ForMonthAsync(read, "2026-09").DefaultTimeout();
        var some = await ResponseScores.ForMonthAsync(read, "2026-09", ["si-a", "si-b", "si-none"]).DefaultTimeout();

        // Assert
        Assert.Equal(new Dictionary<string, long> { ["si-a"] = 15, ["si-b"] = 110, ["si-c"] = 5 }, all);
        Assert.Equal(new Dictionary<string, long> { ["si-a"] = 15, ["si-b"] = 110 }, some);
        Assert.Equal([85L, 0L, 100L], new[] { "si-a", "si-b", "si-none" }.Select(p => ResponseScore.FromPointsDeducted(some.GetValueOrDefault(p))));
    }

    [Fact]
    public async Task Query_Sqlite_OneGroupByOverTheMonthsRows()
    {
        // Baseline (STYLE.md): a changed plan shows here. The month's index IX_ResponseDeductions_Month_PartnerId serves it.
        await using var database = TestDatabase.CreateSqlite();
        await using var db = database.CreateContext();

        var sql = ResponseScores.Query(db, "2026-09", ["si-a", "si-b"]).ToQueryString();

        Assert.Equal(
            """
            .param set @month '2026-09'
            .param set @partnerIds1 'si-a'
            .param set @partnerIds2 'si-b'

            SELECT "r"."PartnerId", COALESCE(SUM(CAST("r"."Points" AS INTEGER)), 0), COUNT(*)
            FROM "ResponseDeductions" AS "r"
            WHERE "r"."Month" = @month AND "r"."WithdrawnAt" IS NULL AND "r"."PartnerId" IN (@partnerIds1, @partnerIds2)
            GROUP BY "r"."PartnerId"
            """,
            sql.ReplaceLineEndings("\n"));
    }

    private static ResponseDeduction Deduction(string partnerId, string month, int points, bool withdrawn = false) => new()
    {
        PartnerId = partnerId,
        Month = month,
        Reason = ResponseDeductionReason.DelayedHandling,
        Points = points,
        Description = "test",
        RecordedBy = "desk",
        RecordedByRole = ClientRoles.CarrierDesk,
        CreatedAt = T0,
        WithdrawnAt = withdrawn ? T0.AddDays(1) : null,
    };
}
