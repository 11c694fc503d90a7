using Kosmos.Dashboard.Configuration;

namespace Kosmos.Dashboard.Tests.Configuration;

/// <summary>The production settings (sign-in, proxies, origins, metrics) are checked at start with the bad key named.</summary>
public sealed class ProductionOptionsValidatorTests
{
    [Fact]
    public void Validate_OidcWithPlainHttpIssuerOffLoopback_NamesAuthority()
    {
        var result = Validate(o => o.Auth = new AuthSettings { Mode = "OpenIdConnect", Authority = "http://login.example.com", ClientId = "kosmos" });

        Assert.Contains(result, f => f.StartsWith("Kosmos:Auth:Authority must be an https URL (http only on loopback)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OidcWithLoopbackHttpIssuer_Accepted()
    {
        var result = Validate(o => o.Auth = new AuthSettings { Mode = "OpenIdConnect", Authority = "http://127.0.0.1:8080/realms/dev", ClientId = "kosmos" });

        Assert.Empty(result);
    }

    [Fact]
    public void Validate_RoleMappingToUnknownRole_NamesTheEntry()
    {
        var result = Validate(o => o.Auth = new AuthSettings
        {
            Mode = "OpenIdConnect", Authority = "https://login.example.com", ClientId = "kosmos",
            RoleMapping = new() { ["sre-oncall"] = "Admin" },
        });

        Assert.Contains("Kosmos:Auth:RoleMapping:sre-oncall must be one of Viewer, Operator, IncidentCommander (got 'Admin').", result);
    }

    [Theory]
    [InlineData("KnownProxies", "10.0.0.300", "Kosmos:Http:KnownProxies:0 is not an IP address (got '10.0.0.300').")]
    [InlineData("KnownNetworks", "10.0.0.0/33", "Kosmos:Http:KnownNetworks:0 is not a CIDR network such as 10.0.0.0/8 (got '10.0.0.0/33').")]
    [InlineData("AllowedOrigins", "https://wallboard.example/path", "Kosmos:Http:AllowedOrigins:0 is not an origin such as https://wallboard.example.com (got 'https://wallboard.example/path').")]
    public void Validate_BadHttpSetting_NamesTheKey(string key, string value, string error)
    {
        var result = Validate(o =>
        {
            var list = key switch { "KnownProxies" => o.Http.KnownProxies, "KnownNetworks" => o.Http.KnownNetworks, _ => o.Http.AllowedOrigins };
            list.Add(value);
        });

        Assert.Contains(error, result);
    }

    [Fact]
    public void Validate_MetricsAccessUnknown_NamesTheKey()
    {
        var result = Validate(o => o.Metrics.Access = "Everyone");

        Assert.Contains("Kosmos:Metrics:Access must be Anonymous, Viewer or Off (got 'Everyone').", result);
    }

    private static IEnumerable<string> Validate(Action<KosmosOptions> change)
    {
        var options = new KosmosOptions();
        change(options);
        return new KosmosOptionsValidator().Validate(null, options).Failures ?? [];
    }
}
