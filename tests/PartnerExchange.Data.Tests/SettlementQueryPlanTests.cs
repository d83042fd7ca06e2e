using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Tests.Infrastructure;

namespace PartnerExchange.Data.Tests;

/// <summary>
/// Baselines the SQL of the monthly settlement's aggregate queries (<see cref="SettlementQueries"/>) and the plan SQLite
/// chooses for it on the migrated schema, so a changed query or plan is seen (bench/README.md, "Monthly settlement at
/// scale": the month's orders must be read once, through an index, never by a scan of WorkOrders). SQLite only: it is
/// the default, and the server never runs ANALYZE, so the plans here are the plans of a production file.
/// </summary>
public sealed class SettlementQueryPlanTests
{
    private static readonly NodaTime.YearMonth October = new(2026, 10);

    [Fact]
    public async Task InsertAssessedComplaints_TwoPartners_SeeksWorkOrdersByPartnerAndCreation()
    {
        // Arrange
        await using var database = TestDatabase.CreateSqlite();
        await using var db = await MigratedAsync(database);
        var (from, to) = SettlementQueries.Bounds(October);
        var sql = SettlementQueries.InsertAssessedComplaintsSql(2);

        // Act
        var plan = await PlanAsync(db, ToSqliteParameters(sql), "2026-10", from.UtcTicks, to.UtcTicks, "si-a", "si-b");

        // Assert
        Assert.Equal("""
            INSERT INTO "AssessedComplaints" ("PartnerId", "Month", "WorkOrderId", "Number", "CreatedAt", "Exclusion", "OnTime")
            SELECT w."PartnerId", {0}, w."Id", w."Number", w."CreatedAt",
                   CASE WHEN w."CountsInAssessment" THEN NULL WHEN w."Status" = 'Voided' THEN 'Voided' ELSE 'DirectToPartner' END,
                   w."CompletedOnTime"
            FROM "WorkOrders" w
            WHERE w."Kind" = 'Complaint' AND w."ResponsibleKind" = 'ServiceIntegrator'
              AND w."CreatedAt" >= {1} AND w."CreatedAt" < {2} AND w."PartnerId" IN ({3}, {4})
            """, sql);
        Assert.Equal(["SEARCH w USING INDEX IX_WorkOrders_PartnerId_CreatedAt (PartnerId=? AND CreatedAt>? AND CreatedAt<?)"], plan);
    }

    [Fact]
    public async Task AssessedComplaintFigures_TwoPartners_SeeksThePrimaryKey()
    {
        // Arrange
        await using var database = TestDatabase.CreateSqlite();
        await using var db = await MigratedAsync(database);
        var query = SettlementQueries.AssessedComplaintFiguresQuery(db, "2026-10", ["si-a", "si-b"]);

        // Act
        var sql = SqlOf(query);
        await using var command = query.CreateDbCommand();
        var plan = await PlanAsync(db, command);

        // Assert
        Assert.Equal("""
            SELECT "a"."PartnerId", COUNT(CASE
                WHEN "a"."Exclusion" IS NULL THEN 1
            END), COUNT(CASE
                WHEN "a"."Exclusion" IS NULL AND "a"."OnTime" THEN 1
            END), COUNT(CASE
                WHEN "a"."Exclusion" IS NOT NULL THEN 1
            END)
            FROM "AssessedComplaints" AS "a"
            WHERE "a"."Month" = @key AND "a"."PartnerId" IN (@partnerIds1, @partnerIds2)
            GROUP BY "a"."PartnerId"
            """, sql);
        Assert.Equal(["SEARCH a USING INDEX sqlite_autoindex_AssessedComplaints_1 (PartnerId=? AND Month=?)"], plan);
    }

    [Fact]
    public async Task GroupRevisits_Month_ReadsOnlyTheMonthsRevisits()
    {
        // Arrange
        await using var database = TestDatabase.CreateSqlite();
        await using var db = await MigratedAsync(database);
        var query = SettlementQueries.GroupRevisitsQuery(db, October);

        // Act
        var sql = SqlOf(query);
        await using var command = query.CreateDbCommand();
        var plan = await PlanAsync(db, command);

        // Assert: the month's bounds lead the (RevisitedAt, PartnerId) index, so only the month's revisits are read, however
        // long the history grows; grouping them takes a small temporary b-tree.
        Assert.Equal("""
            SELECT "w"."PartnerId", COUNT(CASE
                WHEN "w"."Satisfaction" IN ('VerySatisfied', 'Satisfied') THEN 1
            END), COUNT(*)
            FROM "WorkOrderRevisits" AS "w"
            WHERE "w"."GroupCustomer" AND "w"."RevisitedAt" >= @from AND "w"."RevisitedAt" < @to AND "w"."PartnerId" IS NOT NULL
            GROUP BY "w"."PartnerId"
            """, sql);
        Assert.Equal(["SEARCH w USING INDEX IX_WorkOrderRevisits_RevisitedAt_PartnerId (RevisitedAt>? AND RevisitedAt<?)", "USE TEMP B-TREE FOR GROUP BY"], plan);
    }

    private static async Task<PartnerExchangeDbContext> MigratedAsync(TestDatabase database)
    {
        var db = database.CreateContext();
        await db.Database.MigrateAsync().DefaultTimeout();
        return db;
    }

    /// <summary>The SQL of <paramref name="query"/> without the <c>.param set</c> lines ToQueryString puts before it.</summary>
    private static string SqlOf(IQueryable query) =>
        string.Join("\n", query.ToQueryString().ReplaceLineEndings("\n").Split('\n').SkipWhile(line => line.StartsWith(".param", StringComparison.Ordinal) || line.Length == 0));

    /// <summary>ExecuteSqlRaw's <c>{n}</c> placeholders as SQLite parameters <c>@pn</c>.</summary>
    private static string ToSqliteParameters(string sql) =>
        System.Text.RegularExpressions.Regex.Replace(sql, @"\{(\d+)\}", "@p$1");

    private static async Task<List<string>> PlanAsync(PartnerExchangeDbContext db, string sql, params object[] values)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }

        return await PlanAsync(db, command);
    }

    /// <summary>The detail column of EXPLAIN QUERY PLAN for the command, one line per step.</summary>
    private static async Task<List<string>> PlanAsync(PartnerExchangeDbContext db, DbCommand command)
    {
        await db.Database.OpenConnectionAsync().DefaultTimeout();
        command.Connection = db.Database.GetDbConnection();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        while (await reader.ReadAsync().DefaultTimeout())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }
}
