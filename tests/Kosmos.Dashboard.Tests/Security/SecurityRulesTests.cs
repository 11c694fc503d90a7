using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Quantities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>The pure rules behind sign-in, roles, origins and read-only mode, table by table.</summary>
public sealed class SecurityRulesTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/agents/kosmos/coder", "/agents/kosmos/coder")]
    [InlineData("/audit?count=5", "/audit?count=5")]
    [InlineData("//evil.example", null)]
    [InlineData("/\\evil.example", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("evil", null)]
    [InlineData("/a\r\nSet-Cookie: x", null)]
    public void LocalPath_Table(string? returnUrl, string? expected) => Assert.Equal(expected, AuthSetup.LocalPath(returnUrl));

    [Theory]
    [InlineData(new[] { "sre-oncall" }, new[] { "Operator" })]
    [InlineData(new[] { "platform-leads", "sre-oncall" }, new[] { "Operator", "IncidentCommander" })]
    [InlineData(new[] { "IncidentCommander" }, new string[0])] // a group named like a role grants nothing once there is a mapping
    [InlineData(new[] { "viewer", "contractors" }, new string[0])]
    [InlineData(new string[0], new string[0])]
    public void RolesOf_WithAMapping_OnlyMappedValuesCount(string[] values, string[] expected)
    {
        var auth = new AuthSettings { RoleMapping = new Dictionary<string, string> { ["sre-oncall"] = "Operator", ["platform-leads"] = "IncidentCommander" } };

        Assert.Equal(expected, OidcSignIn.RolesOf(values, auth));
    }

    [Theory]
    [InlineData(new[] { "Operator" }, new[] { "Operator" })]
    [InlineData(new[] { "viewer", "INCIDENTCOMMANDER" }, new[] { "Viewer", "IncidentCommander" })]
    [InlineData(new[] { "sre-oncall" }, new string[0])]
    public void RolesOf_WithoutAMapping_RoleNamesAsIssued(string[] values, string[] expected) =>
        Assert.Equal(expected, OidcSignIn.RolesOf(values, new AuthSettings()));

    [Fact]
    public void ToKosmosUser_IssuerClaims_NameRolesSubjectAndMethod()
    {
        var issued = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "u-1"), new Claim("preferred_username", "grace"), new Claim("groups", "sre-oncall"), new Claim("groups", "everyone")], "oidc"));

        var user = OidcSignIn.ToKosmosUser(issued, new AuthSettings { RoleClaim = "groups", RoleMapping = new() { ["sre-oncall"] = "Operator" } });

        Assert.Equal("grace", user.Identity!.Name);
        Assert.True(user.IsInRole(KosmosRoles.Operator));
        Assert.False(user.IsInRole(KosmosRoles.IncidentCommander));
        Assert.Equal("u-1", user.FindFirst("sub")!.Value);
        Assert.Equal("oidc", user.FindFirst(AuthSetup.AuthMethodClaim)!.Value);
    }

    [Theory]
    [InlineData("http://dash.example:5080", true)]
    [InlineData("http://DASH.example:5080", true)]
    [InlineData("https://wallboard.example", true)]
    [InlineData("http://dash.example:5081", false)]
    [InlineData("https://dash.example:5080", false)]
    [InlineData("null", false)]
    [InlineData("http://evil.example", false)]
    public void OriginIsAllowed_Table(string origin, bool expected)
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "http";
        request.Host = new HostString("dash.example:5080");

        Assert.Equal(expected, OriginCheck.IsAllowed(origin, request, new HashSet<string>(["https://wallboard.example"], StringComparer.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task OperatePolicy_IncidentCommander_RefusedOnlyInReadOnlyModeWithTheReason(bool readOnly, bool allowed)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddKosmosAuth(new KosmosOptions { ReadOnly = readOnly });
        await using var provider = services.BuildServiceProvider();
        var commander = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ic"), new Claim(ClaimTypes.Role, KosmosRoles.IncidentCommander)], "demo"));

        var result = await provider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(commander, KosmosPolicies.Operate);

        Assert.Equal(allowed, result.Succeeded);
        Assert.Equal(!allowed, result.Failure?.FailureReasons.Any(r => r.Message == ReadOnlyRequirement.Reason) == true);
    }

    [Fact]
    public void SessionRegistry_Ended_RefusedAndUnknownRefused()
    {
        var sessions = new SessionRegistry(TimeProvider.System);
        var id = sessions.Start();

        Assert.True(sessions.Touch(id));
        sessions.End(id);
        Assert.False(sessions.Touch(id));
        Assert.False(sessions.Touch("forged"));
        Assert.False(sessions.Touch(null));
    }

    [Fact]
    public void Excerpt_TenMegabytes_ShortWithTheLength()
    {
        var huge = new string('9', 10 * 1024 * 1024);

        var excerpt = Quantity.Excerpt(huge);

        Assert.Equal("999999999999999999999999… (10485760 characters)", excerpt);
    }
}
