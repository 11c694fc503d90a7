using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Hosting;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>The real dashboard over its socket (demo mode): sign-in input, sessions, origins, headers and API errors.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed class HttpHardeningTests(DashboardHostFixture host)
{
    private const string Preview = "/api/agents/kosmos/planner/actions/restart/preview";
    private const string SetResourcesPreview = "/api/agents/kosmos/summarizer/actions/set-resources/preview";

    [Fact]
    public async Task SignOut_CookieCopiedBefore_RefusedAfter()
    {
        var cookies = new CookieContainer();
        using var client = DemoSignIn.NewClient(host.BaseAddress, cookies);
        using (var signIn = await DemoSignIn.PostFormAsync(client, new Dictionary<string, string> { ["name"] = "ada", ["role"] = KosmosRoles.Operator }))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var copied = cookies.GetCookies(host.BaseAddress)["kosmos.auth"]!.Value;
        using var thief = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(thief, Preview, copied)).StatusCode);

        using (var signOut = await client.PostAsync("/signout", content: null))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var after = await SendAsync(thief, Preview, copied);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignInDemo_JsonBody_400WithMessage()
    {
        using var client = DemoSignIn.NewClient(host.BaseAddress);

        using var response = await client.PostAsync("/signin/demo", JsonContent.Create(new { name = "ada", role = "Operator" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task SignInDemo_ReturnUrlOffSite_400NamingIt(string returnUrl)
    {
        using var client = DemoSignIn.NewClient(host.BaseAddress);

        using var response = await DemoSignIn.PostFormAsync(client, new Dictionary<string, string> { ["name"] = "ada", ["role"] = "Operator", ["returnUrl"] = returnUrl });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("returnUrl", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task SignInDemo_NoAntiforgeryToken_400AndNoCookie()
    {
        var cookies = new CookieContainer();
        using var client = DemoSignIn.NewClient(host.BaseAddress, cookies);

        using var response = await DemoSignIn.PostFormAsync(client, new Dictionary<string, string> { ["name"] = "mallory", ["role"] = "IncidentCommander" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Null(cookies.GetCookies(host.BaseAddress)["kosmos.auth"]);
    }

    [Fact]
    public async Task Hub_NegotiateFromAnotherOrigin_403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/agents/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", $"http://127.0.0.1:{host.BaseAddress.Port + 1}");

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_NegotiateFromOwnOrigin_200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/agents/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Hub_WebSocketFromAnotherOrigin_Refused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        var url = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/hubs/agents" }.Uri;

        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyPage_SecurityHeaders_Present()
    {
        using var response = await host.Http.GetAsync("/");

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain http");
    }

    [Fact]
    public async Task BehindTlsProxy_ForwardedProtoHttps_HstsAndSecureCookies()
    {
        // The test's loopback address is a known proxy (as an ingress controller's is once configured in Kosmos:Http:KnownProxies).
        using var client = DemoSignIn.NewClient(host.BaseAddress);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var page = await client.GetAsync("/signin");
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, page.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        // The cookie container will not send Secure cookies over http: hand the antiforgery cookie over explicitly.
        var token = DemoSignInToken(await page.Content.ReadAsStringAsync());
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin/demo")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "ada", ["role"] = "Viewer", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        using var bare = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        bare.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var signIn = await bare.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kosmos.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_GetOnPostRoute_405Problem()
    {
        using var operatorClient = await DemoSignIn.SignInAsync(host.BaseAddress, "ada", KosmosRoles.Operator);

        using var response = await operatorClient.GetAsync(Preview);

        Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("does not answer GET", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task Api_UnknownPath_404Problem()
    {
        using var response = await host.Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("/api/nothing-here", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_NotSignedIn_401Problem()
    {
        using var response = await SendAsync(host.Http, Preview, cookie: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("sign", await DetailAsync(response), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_MalformedJson_400NamingTheField()
    {
        using var operatorClient = await DemoSignIn.SignInAsync(host.BaseAddress, "ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Action(SetResourcesPreview, """{"container":"agent","limits":{"memory":2}}""", "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("$.limits.memory", problem["field"]!.GetValue<string>());
        Assert.Contains("$.limits.memory", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_NotJson_415Problem()
    {
        using var operatorClient = await DemoSignIn.SignInAsync(host.BaseAddress, "ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Action(SetResourcesPreview, "memory=2Gi", "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_TenMegabyteQuantity_413BeforeParsingAndNothingEchoed()
    {
        using var operatorClient = await DemoSignIn.SignInAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        var digits = new string('9', 10 * 1024 * 1024);
        using var request = Action(SetResourcesPreview, "{\"container\":\"agent\",\"limits\":{\"memory\":\"" + digits + "\"}}", "application/json");

        // As curl does for a large body: the server answers before any of it is sent.
        request.Headers.ExpectContinue = true;
        using var response = await operatorClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 1000, $"a {body.Length}-character answer");
        Assert.Contains(ActionEndpoints.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_LongQuantityUnderTheBodyCap_422FastWithAShortEcho()
    {
        using var operatorClient = await DemoSignIn.SignInAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        var digits = new string('9', 12_000);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        using var response = await operatorClient.SendAsync(Action(SetResourcesPreview,
            "{\"container\":\"agent\",\"limits\":{\"memory\":\"" + digits + "\"}}", "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Contains("at most 64 characters", detail, StringComparison.Ordinal);
        Assert.Contains("(12000 characters)", detail, StringComparison.Ordinal);
        Assert.True(detail.Length < 400, detail);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
    }

    private static HttpRequestMessage Action(string path, string body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
        return request;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { }) };
        request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", "kosmos.auth=" + cookie);
        }

        return client.SendAsync(request);
    }

    private static string DemoSignInToken(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, @"name=""__RequestVerificationToken""[^>]*?value=""([^""]+)""");
        Assert.True(match.Success);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) => (await ProblemAsync(response))["detail"]!.GetValue<string>();
}
