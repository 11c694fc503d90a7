using System.Net;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Tests.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>What a person who has not signed in gets from every page, endpoint and the hub, in each auth mode.</summary>
internal static class Anonymous
{
    /// <summary>Open to anyone in every mode: probes, signing in and out, the access-denied page, and /metrics (Kosmos:Metrics:Access=Anonymous).</summary>
    public static readonly string[] PublicPatterns = ["/healthz", "/readyz", "/metrics", "/signin", "/signin/demo", "/signin/oidc", "/signout", "/denied"];

    public static bool IsPublic(EndpointRequest request) => PublicPatterns.Contains(request.Pattern, StringComparer.Ordinal);

    public static bool IsApi(EndpointRequest request) =>
        request.Path.StartsWith("/api/", StringComparison.Ordinal) || request.Path.StartsWith("/hubs/", StringComparison.Ordinal)
        || request.Path.StartsWith("/_blazor", StringComparison.Ordinal);

    /// <summary>A page to look at: a GET that is neither an API, a framework endpoint nor public.</summary>
    public static bool IsPage(EndpointRequest request) =>
        request.Method == "GET" && !IsApi(request) && !IsPublic(request) && !request.Pattern.StartsWith("/_framework/", StringComparison.Ordinal)
        && !request.Pattern.Contains(":file", StringComparison.Ordinal)
        && !request.Path.StartsWith("/terminal/", StringComparison.Ordinal); // a WebSocket endpoint, refused before any upgrade

    public static async Task<(EndpointRequest Request, HttpStatusCode Status, string? Location, string? ContentType)> SendAsync(
        Uri baseAddress, EndpointRequest request)
    {
        using var client = DemoSignIn.NewClient(baseAddress);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        message.Headers.Add(ActionEndpoints.CsrfHeader, "1"); // past the CSRF check: the question is authentication
        if (request.Method is "POST" or "PUT" or "PATCH")
        {
            message.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(message);
        return (request, response.StatusCode, response.Headers.Location?.ToString(), response.Content.Headers.ContentType?.MediaType);
    }
}

[Collection(OidcDashboardHostCollection.Name)]
public sealed class OidcAnonymousAccessTests(OidcDashboardHostFixture host)
{
    [Fact]
    public async Task EveryEndpoint_NotSignedIn_PagesGoToTheIssuerAndTheRestAnswers401()
    {
        var endpoints = AppEndpoints.All(host.Services);
        Assert.Contains(endpoints, e => e.Pattern == "/");
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/wallboard", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/agents/", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/hubs/agents", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/agents/", StringComparison.Ordinal));

        var wrong = new List<string>();
        foreach (var request in endpoints.Where(e => !Anonymous.IsPublic(e)))
        {
            var (_, status, location, contentType) = await Anonymous.SendAsync(host.BaseAddress, request);
            var ok = Anonymous.IsApi(request)
                ? status == HttpStatusCode.Unauthorized && contentType == "application/problem+json"
                : status == HttpStatusCode.Redirect && location?.StartsWith(host.Issuer.Issuer + "/authorize", StringComparison.Ordinal) == true;
            if (!ok)
            {
                wrong.Add($"{request}: {(int)status} {location} {contentType}");
            }
        }

        Assert.True(wrong.Count == 0, "answered a person who is not signed in:\n" + string.Join('\n', wrong));
    }

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/readyz", HttpStatusCode.OK)]
    [InlineData("/metrics", HttpStatusCode.OK)]
    [InlineData("/denied", HttpStatusCode.OK)]
    public async Task PublicEndpoint_NotSignedIn_Answers(string path, HttpStatusCode expected)
    {
        using var response = await host.Http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Hub_NotSignedIn_Refused401()
    {
        await using var hub = host.NewHubConnection();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }
}

[Collection(DashboardHostCollection.Name)]
public sealed class DemoAnonymousAccessTests(DashboardHostFixture host)
{
    [Fact]
    public async Task EveryEndpoint_NotSignedIn_PagesOpenMutationsRefusedNothingFails()
    {
        var endpoints = AppEndpoints.All(host.Services);
        var wrong = new List<string>();
        foreach (var request in endpoints)
        {
            var (_, status, location, contentType) = await Anonymous.SendAsync(host.BaseAddress, request);
            var ok = request.Pattern.StartsWith("/api/agents/", StringComparison.Ordinal)
                ? status == HttpStatusCode.Unauthorized && contentType == "application/problem+json"
                : Anonymous.IsPage(request)
                    ? status == HttpStatusCode.OK // the local demo: anyone may look
                    : (int)status < 500;
            if (!ok)
            {
                wrong.Add($"{request}: {(int)status} {location} {contentType}");
            }
        }

        Assert.True(wrong.Count == 0, "answered a person who is not signed in:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public async Task Hub_NotSignedIn_StreamsTheBoard()
    {
        await using var hub = host.NewHubConnection();
        await hub.StartAsync();

        using var cts = new CancellationTokenSource(DashboardHostFixture.Timeout);
        await foreach (var message in hub.StreamAsync<BoardMessage>("Board", cts.Token))
        {
            Assert.Equal("snapshot", message.Type);
            Assert.NotEmpty(message.Agents);
            break;
        }
    }
}
