using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// A browser for the server's sign-in pages: keeps cookies, does not follow redirects by itself, and fills in forms
/// with the antiforgery token the page rendered.
/// </summary>
internal sealed partial class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(Uri webAddress)
        : this(webAddress, new CookieContainer())
    {
    }

    /// <summary>A browser on <paramref name="webAddress"/> sharing <paramref name="cookies"/> with others: one browser that a load balancer sends to several instances.</summary>
    public Browser(Uri webAddress, CookieContainer cookies)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = webAddress,
        };
    }

    public async Task<(HttpResponseMessage Response, string Body)> GetAsync(string pathAndQuery)
    {
        var response = await _http.GetAsync(new Uri(pathAndQuery, UriKind.RelativeOrAbsolute)).DefaultTimeout();
        return (response, await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostAsync(string path, IDictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content).DefaultTimeout();
        return (response, await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    /// <summary>Follows redirects within the server; stops at a page or at a redirect that leaves it (a client's callback).</summary>
    public async Task<(HttpResponseMessage Response, string Body)> FollowAsync((HttpResponseMessage Response, string Body) page)
    {
        for (var hops = 0; hops < 10 && page.Response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hops++)
        {
            var location = page.Response.Headers.Location!;
            if (location.IsAbsoluteUri && location.Authority != _http.BaseAddress!.Authority)
            {
                return page;
            }

            page = await GetAsync(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        }

        return page;
    }

    /// <summary>Opens <paramref name="pathAndQuery"/>, signs in on the page it leads to, and follows on to where it returns.</summary>
    public async Task<(HttpResponseMessage Response, string Body)> SignInThroughAsync(string pathAndQuery, string userName, string password)
    {
        var page = await FollowAsync(await GetAsync(pathAndQuery));
        Assert.Contains("name=\"password\"", page.Body, StringComparison.Ordinal);
        return await FollowAsync(await SubmitSignInAsync(page.Body, userName, password));
    }

    /// <summary>Fills in and submits the sign-in form of <paramref name="signInPage"/>.</summary>
    public Task<(HttpResponseMessage Response, string Body)> SubmitSignInAsync(string signInPage, string userName, string password) =>
        PostAsync("/account/signin", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(signInPage, "__RequestVerificationToken"),
            ["returnUrl"] = Field(signInPage, "returnUrl"),
            ["userName"] = userName,
            ["password"] = password,
        });

    /// <summary>The value of the input <paramref name="name"/> of an HTML form.</summary>
    public static string Field(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"no field {name} in the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form to the token endpoint; the status and the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(IDictionary<string, string> form)
    {
        var (response, body) = await PostAsync("/connect/token", form);
        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Posts a form to an OAuth endpoint that answers JSON (the device authorization endpoint).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> TokenLikeAsync(string path, IDictionary<string, string> form)
    {
        var (response, body) = await PostAsync(path, form);
        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.Clone());
    }

    public void Dispose() => _http.Dispose();
}
