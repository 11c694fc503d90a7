using System.Net;
using System.Net.Http.Json;
using Kosmos.Dashboard.Actions;
using System.Text.RegularExpressions;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>The demo sign-in as a browser does it: GET /signin (the form's antiforgery token and cookie), then post the form.</summary>
public static partial class DemoSignIn
{
    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public static HttpClient NewClient(Uri baseAddress, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = DashboardHostFixture.Timeout,
        };

    /// <summary>A client with the demo sign-in cookie of <paramref name="name"/> in <paramref name="role"/>.</summary>
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string name, string role)
    {
        var client = NewClient(baseAddress);
        using var response = await PostFormAsync(client, new Dictionary<string, string> { ["name"] = name, ["role"] = role, ["returnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Posts the sign-in form with <paramref name="fields"/> and, unless told otherwise, the token /signin gave this client.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, IDictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            form["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client);
        }

        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync("/signin/demo", content);
    }

    /// <summary>The antiforgery token in the /signin page's form (its cookie lands in the client's container).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/signin");
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "the /signin form carries no __RequestVerificationToken");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*?value=""([^""]+)""")]
    private static partial Regex TokenInput();

    /// <summary>A client with the demo sign-in cookie of <paramref name="name"/> in <paramref name="role"/>.</summary>
    public static Task<HttpClient> ClientAsync(Uri baseAddress, string name, string role) => SignInAsync(baseAddress, name, role);

    /// <summary>A POST with a JSON body (an empty object when none) and the <see cref="ActionEndpoints.CsrfHeader"/> header.</summary>
    public static HttpRequestMessage Action(string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
        return request;
    }
}
