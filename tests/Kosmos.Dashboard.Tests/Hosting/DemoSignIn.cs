using System.Net;
using System.Net.Http.Json;
using Kosmos.Dashboard.Actions;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>HTTP clients signed in through the demo sign-in, and action requests with the CSRF header.</summary>
public static class DemoSignIn
{
    /// <summary>A client with the demo sign-in cookie of <paramref name="name"/> in <paramref name="role"/>.</summary>
    public static async Task<HttpClient> ClientAsync(Uri baseAddress, string name, string role)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = DashboardHostFixture.Timeout,
        };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["role"] = role, ["returnUrl"] = "/" });
        using var response = await client.PostAsync("/signin/demo", form);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString() != "/")
        {
            throw new InvalidOperationException($"demo sign-in of {name} ({role}) answered {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>A POST with a JSON body (an empty object when none) and the <see cref="ActionEndpoints.CsrfHeader"/> header.</summary>
    public static HttpRequestMessage Action(string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
        return request;
    }
}
