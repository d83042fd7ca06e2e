using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PartnerExchange.Server.Health;

/// <summary>
/// The body of <c>GET /healthz</c> on the web endpoint: the overall status and each check's status, description and
/// data, as JSON. The status code is the framework's: 200 for Healthy and Degraded, 503 for Unhealthy.
/// </summary>
internal static class HealthJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                // A check that threw has the exception's message as its description, which may name hosts or
                // credentials: the log has it, the body does not.
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Exception is null ? e.Value.Description : "The check failed; the server log has the reason.",
                    data = e.Value.Data,
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
