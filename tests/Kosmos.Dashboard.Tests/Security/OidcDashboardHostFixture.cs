using System.Net;
using Kosmos.Dashboard.Tests.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>
/// The dashboard as a platform team deploys it: Kosmos:Auth:Mode=OpenIdConnect against <see cref="LocalOidcIssuer"/>, roles from
/// the ID token's <c>groups</c> claim through Kosmos:Auth:RoleMapping, and Kosmos:ReadOnly=true.
/// </summary>
public sealed class OidcDashboardHostFixture : DashboardHostFixture
{
    public const string OperatorGroup = "sre-oncall";
    public const string ViewerGroup = "kosmos-viewers";

    public LocalOidcIssuer Issuer { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Issuer = await LocalOidcIssuer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    /// <summary>
    /// Signs in through the issuer as the test plays the person: opens <paramref name="path"/>, follows the dashboard's
    /// redirect to the issuer, gets a code for <paramref name="claims"/>, and posts it back as the issuer's form_post page
    /// would. Returns the client (with the session cookie) and the dashboard's answer to the callback.
    /// </summary>
    public async Task<(HttpClient Client, HttpResponseMessage Callback)> SignInAsync(string path, IReadOnlyDictionary<string, object> claims)
    {
        var client = DemoSignIn.NewClient(BaseAddress);
        using var challenge = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(Issuer.Issuer + "/authorize", authorize.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        var code = Issuer.IssueCode(authorize, claims);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = query["state"].ToString() });
        Assert.Equal("form_post", query["response_mode"].ToString());
        var callback = await client.PostAsync(new Uri(query["redirect_uri"].ToString()), form);
        return (client, callback);
    }

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["Kosmos:Auth:Mode"] = "OpenIdConnect";
        settings["Kosmos:Auth:Authority"] = Issuer.Issuer;
        settings["Kosmos:Auth:ClientId"] = LocalOidcIssuer.ClientId;
        settings["Kosmos:Auth:ClientSecret"] = LocalOidcIssuer.ClientSecret;
        settings["Kosmos:Auth:RoleClaim"] = "groups";
        settings[$"Kosmos:Auth:RoleMapping:{OperatorGroup}"] = "Operator";
        settings[$"Kosmos:Auth:RoleMapping:{ViewerGroup}"] = "Viewer";
        settings["Kosmos:ReadOnly"] = "true";
    }
}

/// <summary>
/// Not in parallel with the other dashboard host: Program's Serilog bootstrap logger is process-wide, and two hosts starting
/// at once both try to freeze it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OidcDashboardHostCollection : ICollectionFixture<OidcDashboardHostFixture>
{
    public const string Name = "Dashboard host (OpenID Connect, read-only)";
}
