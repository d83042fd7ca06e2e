using System.Text.Encodings.Web;

namespace PartnerExchange.Server.Identity;

/// <summary>
/// The plain server-rendered pages of people's sign-in: one layout, every value HTML-encoded, no script, and headers
/// that keep the pages out of frames and caches.
/// </summary>
internal static class HtmlPage
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A page with <paramref name="title"/> and <paramref name="body"/> (already HTML), answered with <paramref name="statusCode"/>.</summary>
    public static IResult Render(HttpContext context, string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(title)}} - Partner Exchange</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; color: #222; }
            label { display: block; margin-top: 1rem; }
            input[type=text], input[type=password] { width: 100%; padding: .4rem; box-sizing: border-box; }
            button { margin-top: 1.2rem; padding: .5rem 1.2rem; }
            .error { color: #a00; }
            </style>
            </head>
            <body>
            <h1>{{Encode(title)}}</h1>
            {{body}}
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>The hidden antiforgery field of a form, bound to this browser's antiforgery cookie.</summary>
    public static string AntiforgeryField(Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"""<input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken)}">""";
    }
}
