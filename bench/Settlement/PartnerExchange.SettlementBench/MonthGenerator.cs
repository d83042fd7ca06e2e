using System.Globalization;
using Microsoft.Data.Sqlite;

/// <summary>
/// Writes one month (2026-10, Asia/Shanghai) at scale into a database the server has migrated and seeded and on which
/// <c>sample</c> created one order of each kind and one refund: SIs with their subscriber and settlement bases, the
/// month's orders cloned from the samples (DetailJson and Document as the server wrote them, the columns the
/// settlement reads set per order), group-customer revisits and paid refunds. One transaction, prepared statements;
/// the WorkOrders indexes are dropped during the load and created again with the migration's own SQL.
/// </summary>
internal static class MonthGenerator
{
    private const string Month = "2026-10";

    // 2026-10-01T00:00+08:00 and 2026-11-01T00:00+08:00 as UTC ticks (the column format of UtcTicksConverter).
    private static readonly long From = new DateTimeOffset(2026, 9, 30, 16, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly long To = new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero).UtcTicks;

    public static void Write(string path, int orderCount, int siCount, Random random)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -400000; PRAGMA temp_store = MEMORY;");
        var templates = Templates(connection);
        var indexes = new List<(string Name, string Sql)>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'WorkOrders' AND sql IS NOT NULL";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        using var transaction = connection.BeginTransaction();
        foreach (var (name, _) in indexes)
        {
            Execute(connection, $"DROP INDEX \"{name}\"", transaction);
        }

        var now = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var partners = WritePartners(connection, transaction, siCount, random, now);
        WriteOrders(connection, transaction, orderCount, partners, templates, random);
        WriteRefunds(connection, transaction, partners, templates.Refund, random);
        foreach (var (_, sql) in indexes)
        {
            Execute(connection, sql, transaction);
        }

        transaction.Commit();
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private sealed record TemplateIds(long Complaint, long Enquiry, long FaultReport, long TechnicalSupport, long Refund);

    private static TemplateIds Templates(SqliteConnection connection)
    {
        long First(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar() is long id ? id : throw new InvalidOperationException("No sample for: " + sql + " (run the sample mode first).");
        }

        return new TemplateIds(
            First("SELECT min(Id) FROM WorkOrders WHERE Kind = 'Complaint'"),
            First("SELECT min(Id) FROM WorkOrders WHERE Kind = 'Enquiry'"),
            First("SELECT min(Id) FROM WorkOrders WHERE Kind = 'FaultReport'"),
            First("SELECT min(Id) FROM WorkOrders WHERE Kind = 'TechnicalSupport'"),
            First("SELECT min(Id) FROM Refunds"));
    }

    private static List<string> WritePartners(SqliteConnection connection, SqliteTransaction transaction, int siCount, Random random, long now)
    {
        using var partner = Prepare(connection, transaction, """
            INSERT INTO Partners (Id, DisplayName, Kind, Mode, Status, StatusReason, SettlementState, CreatedAt, UpdatedAt, Version)
            VALUES ($id, $name, 'ServiceIntegrator', $mode, 'Active', NULL, 'Normal', $now, $now, 1)
            """, "$id", "$name", "$mode", "$now");
        using var subscribers = Prepare(connection, transaction,
            "INSERT OR IGNORE INTO SubscriberBases (PartnerId, Month, BilledUsers, GroupCustomers) VALUES ($id, $month, $billed, $group)",
            "$id", "$month", "$billed", "$group");
        using var basis = Prepare(connection, transaction, """
            INSERT OR IGNORE INTO SettlementBases (PartnerId, Month, GrossAmountMinor, Currency, RecordedBy, RecordedAt)
            VALUES ($id, $month, $gross, 'CNY', 'bench', $now)
            """, "$id", "$month", "$gross", "$now");

        var ids = new List<string>(siCount);
        for (var i = 1; i <= siCount; i++)
        {
            var id = "si-bench-" + i.ToString("D4", CultureInfo.InvariantCulture);
            ids.Add(id);
            // One in ten on EMP (a threshold of complaints), the rest on C (complaints per 10,000 billed users).
            Run(partner, id, "Bench SI " + i.ToString(CultureInfo.InvariantCulture), random.Next(10) == 0 ? "Emp" : "C", now);
        }

        // Every SI with orders this month, the seeded ones included, has its bases for the month.
        var all = new List<string>(ids);
        using (var seeded = connection.CreateCommand())
        {
            seeded.Transaction = transaction;
            seeded.CommandText = "SELECT Id FROM Partners WHERE Kind = 'ServiceIntegrator' AND Id NOT LIKE 'si-bench-%'";
            using var reader = seeded.ExecuteReader();
            while (reader.Read())
            {
                all.Add(reader.GetString(0));
            }
        }

        foreach (var id in all)
        {
            Run(subscribers, id, Month, random.Next(150_000, 600_000), random.Next(50, 2_000));
            Run(basis, id, Month, random.NextInt64(1_000_000, 50_000_000), now);
        }

        return ids;
    }

    private static void WriteOrders(SqliteConnection connection, SqliteTransaction transaction, int orderCount, List<string> partners, TemplateIds templates, Random random)
    {
        // Clones the sample of the kind (its DetailJson, Document, Severity, SupportType) with this order's columns.
        using var order = Prepare(connection, transaction, """
            INSERT INTO WorkOrders (Number, Kind, PartnerId, Status, Channel, Severity, RepeatOfId, IsMajor, CreatedAt, DispatchedAt,
                ReplyDueAt, ResolveDueAt, RepliedAt, ResolvedAt, ClosedAt, UpdatedAt, DetailJson, Version, ResponsibleKind, NextDueAt,
                IsOverdue, CountsInAssessment, Document, CompletedOnTime, IsGroupCustomer, ReceivedAt, DirectChannel,
                SolvedOnFirstContact, SupportType, Satisfaction, ReturnCount, ReplyBreached)
            SELECT $number, t.Kind, $partner, $status, t.Channel, t.Severity, NULL, 0, $created, $created,
                $replyDue, $resolveDue, $replied, $resolved, $closed, $updated, t.DetailJson, 4, $responsible, $nextDue,
                0, $counts, t.Document, $onTime, $group, $created, $direct,
                $firstContact, t.SupportType, $satisfaction, 0, $replyBreached
            FROM WorkOrders t WHERE t.Id = $template
            """, "$number", "$partner", "$status", "$created", "$replyDue", "$resolveDue", "$replied", "$resolved", "$closed", "$updated",
            "$responsible", "$nextDue", "$counts", "$onTime", "$group", "$direct", "$firstContact", "$satisfaction", "$replyBreached", "$template");
        using var revisit = Prepare(connection, transaction,
            "INSERT INTO WorkOrderRevisits (WorkOrderId, PartnerId, RevisitedAt, Satisfaction, GroupCustomer) VALUES (last_insert_rowid(), $partner, $at, $satisfaction, $group)",
            "$partner", "$at", "$satisfaction", "$group");

        var hour = TimeSpan.TicksPerHour;
        string[] satisfactions = ["VerySatisfied", "VerySatisfied", "Satisfied", "Satisfied", "Satisfied", "BasicallySatisfied", "Dissatisfied", "VeryDissatisfied"];
        string[] otherParties = ["CarrierNetwork", "CarrierBilling", "PlatformOperator"];
        var perDay = new Dictionary<long, int>();
        for (var i = 0; i < orderCount; i++)
        {
            // Skewed: a few SIs carry many more orders than most.
            var partner = partners[(int)(partners.Count * Math.Pow(random.NextDouble(), 1.5))];
            var created = From + (long)(random.NextDouble() * (To - From - 4 * hour));
            var kindDraw = random.Next(100);
            var (template, complaint) = kindDraw switch
            {
                < 12 => (templates.Complaint, true),
                < 45 => (templates.FaultReport, false),
                < 75 => (templates.Enquiry, false),
                _ => (templates.TechnicalSupport, false),
            };
            var responsible = complaint && random.Next(100) < 10 ? otherParties[random.Next(otherParties.Length)] : "ServiceIntegrator";
            var direct = complaint && random.Next(100) < 5;
            var voided = random.Next(100) < 3;
            var replied = created + random.NextInt64(hour / 6, 3 * hour);
            var resolved = replied + random.NextInt64(hour, 72 * hour);
            // Resolved orders within the auto-close week of the run's clock (2026-11-05) stay Resolved, the rest closed.
            var stillResolved = !voided && resolved > To - 3 * 24 * hour && random.Next(3) == 0;
            var closed = resolved + random.NextInt64(hour, 7 * 24 * hour);
            var status = voided ? "Voided" : stillResolved ? "Resolved" : "Closed";
            var onTime = !voided && random.Next(100) < 94;
            var group = random.Next(100) < 20;
            var satisfaction = voided || stillResolved ? null : satisfactions[random.Next(satisfactions.Length)];
            // The server's format, WO + the Asia/Shanghai date + a sequence of the day (from 100000: the samples keep theirs).
            var day = (created + 8 * hour) / TimeSpan.TicksPerDay;
            var sequence = perDay[day] = perDay.GetValueOrDefault(day, 99_999) + 1;
            var number = "WO" + new DateTime(day * TimeSpan.TicksPerDay, DateTimeKind.Unspecified).ToString("yyyyMMdd", CultureInfo.InvariantCulture)
                + sequence.ToString("D6", CultureInfo.InvariantCulture);
            Run(order,
                number,
                partner,
                status,
                created,
                created + 2 * hour,
                created + 72 * hour,
                voided ? null : replied,
                voided ? null : resolved,
                voided ? created + hour : stillResolved ? null : closed,
                voided ? created + hour : stillResolved ? resolved : closed,
                responsible,
                stillResolved ? resolved + 7 * 24 * hour : null,
                complaint && responsible == "ServiceIntegrator" && !direct && !voided,
                onTime,
                group,
                direct ? "Phone" : null,
                !voided && random.Next(4) == 0,
                satisfaction,
                !voided && replied - created > 2 * hour,
                template);
            if (satisfaction is not null && random.Next(100) < 8)
            {
                Run(revisit, partner, closed, satisfaction, group);
            }
        }
    }

    private static void WriteRefunds(SqliteConnection connection, SqliteTransaction transaction, List<string> partners, long template, Random random)
    {
        using var refund = Prepare(connection, transaction, """
            INSERT INTO Refunds (PartnerId, Kind, State, ChargedMinor, RefundMinor, Currency, PaidAt, PaidMonth, DeductionMonth, WorkOrderId, CreatedAt, Document, Version)
            SELECT $partner, 'Double', 'Paid', $charged, 2 * $charged, 'CNY', $paid, $month, $month, t.WorkOrderId, $paid, t.Document, 1
            FROM Refunds t WHERE t.Id = $template
            """, "$partner", "$charged", "$paid", "$month", "$template");
        for (var i = 0; i < 3 * partners.Count; i++)
        {
            Run(refund, partners[random.Next(partners.Count)], random.NextInt64(500, 50_000), From + (long)(random.NextDouble() * (To - From)), Month, template);
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
