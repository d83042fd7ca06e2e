using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.WorkOrderBench;

/// <summary>
/// Fills a stopped server's SQLite database with <c>--count</c> work orders in total by cloning the newest order (one
/// the server created through the API) with plain SQL: every column as the server wrote it, except a fresh id and
/// order number, a responsible SI taken in turn from the registry, a create/update time spread over the last 90 days,
/// and a next automatic step between 1 hour and 30 days from now (so nothing is due and the sweeper stays idle). With
/// <c>--history 1</c> each clone also gets copies of the template's outbox events, audit entries and idempotency record.
/// </summary>
internal static class Seeder
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static int Run(Options options)
    {
        var path = options.String("db");
        var count = options.Int("count", 100_000);
        var history = options.Int("history", 0) == 1;
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        RawCommits.Execute(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;");

        var template = ReadRows(connection, "SELECT * FROM WorkOrders ORDER BY Id DESC LIMIT 1").Single();
        var templateId = (long)template["Id"]!;
        var partners = ReadRows(connection, "SELECT Id, DisplayName FROM Partners WHERE Kind = 'ServiceIntegrator' AND Status <> 'Cancelled' ORDER BY Id")
            .Select(r => ((string)r["Id"]!, (string)r["DisplayName"]!)).ToList();
        var outbox = history ? ReadRows(connection, $"SELECT * FROM OutboxEvents WHERE WorkOrderId = {templateId} ORDER BY Id") : [];
        var audit = history ? ReadRows(connection, $"SELECT * FROM AuditEntries WHERE ResourceName = 'workOrders/{templateId}' ORDER BY Id") : [];
        var idempotency = history ? ReadRows(connection, "SELECT * FROM IdempotencyRecords WHERE Method LIKE '%CreateWorkOrder' ORDER BY Id DESC LIMIT 1") : [];
        var document = WorkOrder.Parser.ParseFrom((byte[])template["Document"]!);

        using var orderInsert = Insert(connection, "WorkOrders", template.Keys);
        using var outboxInsert = outbox.Count > 0 ? Insert(connection, "OutboxEvents", outbox[0].Keys.Where(k => k != "Id")) : null;
        using var auditInsert = audit.Count > 0 ? Insert(connection, "AuditEntries", audit[0].Keys.Where(k => k != "Id")) : null;
        using var idempotencyInsert = idempotency.Count > 0 ? Insert(connection, "IdempotencyRecords", idempotency[0].Keys.Where(k => k != "Id")) : null;

        var random = new Random(8);
        var existing = (long)RawCommits.Scalar(connection, "SELECT COUNT(*) FROM WorkOrders")!;
        var transaction = connection.BeginTransaction();
        for (var id = templateId + 1; existing < count; id++, existing++)
        {
            var (partnerId, partnerName) = partners[(int)(id % partners.Count)];
            var created = Now - TimeSpan.FromSeconds(random.Next(0, 90 * 24 * 3600));
            var nextDue = Now + TimeSpan.FromSeconds(random.Next(3600, 30 * 24 * 3600));
            var number = string.Create(CultureInfo.InvariantCulture, $"WO{created.ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}{id:D6}");
            document.OrderNumber = number;
            document.ResponsibleParty.Partner = "partners/" + partnerId;
            document.ResponsibleParty.DisplayName = partnerName;
            var row = new Dictionary<string, object?>(template)
            {
                ["Id"] = id,
                ["Number"] = number,
                ["PartnerId"] = partnerId,
                ["CreatedAt"] = created.UtcTicks,
                ["UpdatedAt"] = created.UtcTicks,
                ["NextDueAt"] = nextDue.UtcTicks,
                ["Document"] = document.ToByteArray(),
            };
            Run(orderInsert, row, transaction);
            foreach (var e in outbox)
            {
                Run(outboxInsert!, new Dictionary<string, object?>(e) { ["WorkOrderId"] = id, ["PartnerId"] = partnerId, ["OccurredAt"] = created.UtcTicks }, transaction);
            }

            foreach (var a in audit)
            {
                Run(auditInsert!, new Dictionary<string, object?>(a) { ["ResourceName"] = "workOrders/" + id.ToString(CultureInfo.InvariantCulture), ["PartnerId"] = partnerId, ["OccurredAt"] = created.UtcTicks }, transaction);
            }

            foreach (var r in idempotency)
            {
                Run(idempotencyInsert!, new Dictionary<string, object?>(r) { ["RequestId"] = "seed-" + id.ToString(CultureInfo.InvariantCulture), ["CreatedAt"] = created.UtcTicks }, transaction);
            }

            if (id % 50_000 == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
            }
        }

        transaction.Commit();
        transaction.Dispose();
        RawCommits.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
        var total = RawCommits.Scalar(connection, "SELECT COUNT(*) FROM WorkOrders");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {path}: {total} work orders (template workOrders/{templateId}, history {history}) in {watch.Elapsed.TotalSeconds:F1} s, file {new FileInfo(path).Length / 1048576.0:F0} MiB"));
        return 0;
    }

    private static List<Dictionary<string, object?>> ReadRows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static SqliteCommand Insert(SqliteConnection connection, string table, IEnumerable<string> columns)
    {
        var names = columns.ToList();
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (var i = 0; i < names.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture), SourceColumn = names[i] });
        }

        return command;
    }

    private static void Run(SqliteCommand command, Dictionary<string, object?> row, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        foreach (SqliteParameter parameter in command.Parameters)
        {
            parameter.Value = row[parameter.SourceColumn] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
