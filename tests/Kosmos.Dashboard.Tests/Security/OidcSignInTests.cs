using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Actions;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>
/// Production sign-in end to end against the test's own OpenID Connect issuer: the dashboard's redirect, the code flow with
/// PKCE and the client secret on the back channel, the signed ID token, and its groups mapped to Kosmos roles.
/// </summary>
[Collection(OidcDashboardHostCollection.Name)]
public sealed class OidcSignInTests(OidcDashboardHostFixture host)
{
    [Fact]
    public async Task CodeFlow_GroupMappedToOperator_SignedInOnTheRequestedPage()
    {
        var (client, callback) = await host.SignInAsync("/audit", Person("Grace Hopper", OidcDashboardHostFixture.OperatorGroup, "everyone"));
        using (client)
        using (callback)
        {
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            Assert.Equal("/audit", callback.Headers.Location?.OriginalString);
            Assert.Contains("issued", host.Issuer.TokenRequests);

            using var page = await client.GetAsync("/audit");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Grace Hopper", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var audit = await client.GetAsync("/api/audit");
            Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        }
    }

    [Fact]
    public async Task CodeFlow_OperatorInReadOnlyMode_ActionRefused403WithTheReason()
    {
        var (client, callback) = await host.SignInAsync("/", Person("Ada Operator", OidcDashboardHostFixture.OperatorGroup));
        using (client)
        using (callback)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agents/kosmos/coder/actions/restart/preview") { Content = JsonContent.Create(new { }) };
            request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Contains("read-only", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CodeFlow_NoMappedGroup_SignedInButDenied()
    {
        var (client, callback) = await host.SignInAsync("/", Person("Mallory Contractor", "contractors"));
        using (client)
        using (callback)
        {
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);

            using var board = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
            Assert.Equal("/denied", board.Headers.Location?.AbsolutePath);
            using var api = await client.GetAsync("/api/audit");
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task TokenEndpoint_CodeReplayed_RefusedAndNoSession()
    {
        using var client = Hosting.DemoSignIn.NewClient(host.BaseAddress);
        using var challenge = await client.GetAsync("/");
        var authorize = challenge.Headers.Location!;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        var code = host.Issuer.IssueCode(authorize, Person("Eve", OidcDashboardHostFixture.OperatorGroup));
        using var first = await client.PostAsync(new Uri(query["redirect_uri"].ToString()),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = query["state"].ToString() }));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        // The same code again, from a fresh browser that starts its own sign-in: the issuer refuses a used code.
        using var other = Hosting.DemoSignIn.NewClient(host.BaseAddress);
        using var otherChallenge = await other.GetAsync("/");
        var otherQuery = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(otherChallenge.Headers.Location!.Query);
        using var replay = await other.PostAsync(new Uri(otherQuery["redirect_uri"].ToString()),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = otherQuery["state"].ToString() }));

        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith("/signin?error=", replay.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Contains(host.Issuer.TokenRequests, r => r.StartsWith("invalid_grant", StringComparison.Ordinal));
        using var board = await other.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
        Assert.StartsWith(host.Issuer.Issuer, board.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, object> Person(string name, params string[] groups) => new()
    {
        ["sub"] = "user-" + name.GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
        ["name"] = name,
        ["groups"] = groups,
    };
}
