using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Cli;

/// <summary>The reads pxctl's commands share: every page of a month's assessments and statements, a statement's lines.</summary>
internal static class Reading
{
    private const int PageSize = 500;

    public static async Task<List<Assessment>> AssessmentsAsync(RunContext run, Period period, CancellationToken cancellationToken)
    {
        var all = new List<Assessment>();
        var token = "";
        do
        {
            var request = new ListAssessmentsRequest { Parent = "partners/-", Period = period.ToProto(), PageSize = PageSize, PageToken = token };
            var page = await run.Session.CallAsync("ListAssessments", o => run.Session.Api.Settlements.ListAssessmentsAsync(request, o).ResponseAsync, cancellationToken);
            all.AddRange(page.Assessments);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return all;
    }

    public static async Task<List<Statement>> StatementsAsync(RunContext run, Period period, CancellationToken cancellationToken)
    {
        var all = new List<Statement>();
        var token = "";
        do
        {
            var request = new ListStatementsRequest { Parent = "partners/-", Period = period.ToProto(), PageSize = PageSize, PageToken = token };
            var page = await run.Session.CallAsync("ListStatements", o => run.Session.Api.Settlements.ListStatementsAsync(request, o).ResponseAsync, cancellationToken);
            all.AddRange(page.Statements);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return all;
    }

    /// <summary>Every line of <paramref name="statement"/>, in line order; a stream broken off is read again whole.</summary>
    public static Task<List<StatementLine>> LinesAsync(RunContext run, Statement statement, CancellationToken cancellationToken) =>
        run.Session.CallAsync("StreamStatementLines", async options =>
        {
            using var call = run.Session.Api.Settlements.StreamStatementLines(new StreamStatementLinesRequest { Parent = statement.Name }, options);
            var lines = new List<StatementLine>();
            while (await call.ResponseStream.MoveNext(options.CancellationToken))
            {
                lines.Add(call.ResponseStream.Current);
            }

            return lines;
        }, cancellationToken);
}
