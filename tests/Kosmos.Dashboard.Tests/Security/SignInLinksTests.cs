using System.Security.Claims;
using Kosmos.Dashboard.Security;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>The header's sign-in links and role label: pure functions, table-tested.</summary>
public sealed class SignInLinksTests
{
    [Theory]
    [InlineData("", "/signin")]
    [InlineData("signin", "/signin")]
    [InlineData("signin?returnUrl=%2Faudit", "/signin")]
    [InlineData("denied", "/signin")]
    [InlineData("agents/kosmos/coder", "/signin?returnUrl=%2Fagents%2Fkosmos%2Fcoder")]
    [InlineData("incidents?status=Open", "/signin?returnUrl=%2Fincidents%3Fstatus%3DOpen")]
    public void SignIn_FromPage_ReturnsThereButNeverToTheFormItself(string relativePath, string expected) =>
        Assert.Equal(expected, SignInLinks.SignIn(relativePath));

    [Fact]
    public void SignIn_ReturnPath_IsAcceptedByTheSignInEndpoint()
    {
        var link = SignInLinks.SignIn("agents/kosmos/coder");
        var returnUrl = Uri.UnescapeDataString(link["/signin?returnUrl=".Length..]);

        Assert.Equal("/agents/kosmos/coder", AuthSetup.LocalPath(returnUrl));
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "Viewer" }, "Viewer")]
    [InlineData(new[] { "Operator" }, "Operator")]
    [InlineData(new[] { "Viewer", "IncidentCommander" }, "IncidentCommander")]
    [InlineData(new[] { "Admin" }, null)]
    public void Of_User_IsTheMostTrustedKosmosRole(string[] roles, string? expected)
    {
        var identity = new ClaimsIdentity(roles.Select(r => new Claim(ClaimTypes.Role, r)), "test");

        Assert.Equal(expected, KosmosRoles.Of(new ClaimsPrincipal(identity)));
    }

    [Theory]
    [InlineData("Viewer", "Viewer")]
    [InlineData("Operator", "Operator")]
    [InlineData("IncidentCommander", "Incident commander")]
    public void DisplayName_Role_ReadsAsWords(string role, string expected) => Assert.Equal(expected, KosmosRoles.DisplayName(role));
}
