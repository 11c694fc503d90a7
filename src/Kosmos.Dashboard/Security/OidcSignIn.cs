using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Infrastructure;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Kosmos.Dashboard.Security;

/// <summary>
/// Production sign-in through an OpenID Connect issuer (Kosmos:Auth:Mode=OpenIdConnect): the authorization code flow with
/// PKCE and a client secret; the ID token's claims become the dashboard's user. Its name is the first of
/// Kosmos:Auth:NameClaim, <c>preferred_username</c>, <c>email</c>, <c>sub</c>; its roles come from the values of
/// Kosmos:Auth:RoleClaim (e.g. <c>roles</c> or <c>groups</c>): through Kosmos:Auth:RoleMapping when one is configured
/// (<c>"sre-oncall": "Operator"</c>; then only mapped values count), otherwise a value that is a Kosmos role name is that
/// role. A user with no role is signed in but may see nothing (403, /denied).
/// </summary>
public static class OidcSignIn
{
    public static void Configure(OpenIdConnectOptions o, AuthSettings auth)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(auth);
        o.Authority = auth.Authority;
        o.ClientId = auth.ClientId;
        o.ClientSecret = auth.ClientSecret;
        o.ResponseType = "code";
        o.UsePkce = true;
        o.SaveTokens = false;

        // Roles and groups are read from the ID token (Entra app roles, Keycloak's and Dex's group claims put them there).
        o.GetClaimsFromUserInfoEndpoint = false;
        o.MapInboundClaims = false;

        // The validator allows plain http only for an issuer on loopback (a local Keycloak or a test's own issuer).
        o.RequireHttpsMetadata = !Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority) || authority.Scheme == Uri.UriSchemeHttps;
        if (!o.RequireHttpsMetadata)
        {
            // A loopback issuer over plain http (local set-ups, tests): the correlation and nonce cookies cannot be Secure there.
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        o.TokenValidationParameters.NameClaimType = auth.NameClaim;
        o.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
        o.Events.OnRedirectToIdentityProvider = ctx =>
        {
            // A script or hub client cannot follow a sign-in page: it gets 401 (with a problem body from the status-code pages).
            if (ApiProblems.IsApiRequest(ctx.Request))
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                ctx.HandleResponse();
            }

            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = ctx =>
        {
            // A refused code, a bad signature, a replayed state: the person gets a sentence on the sign-in page, not a 500.
            ctx.Response.Redirect("/signin?error=" + Uri.EscapeDataString(
                "Signing in at the identity provider failed: " + ApiProblems.Excerpt(ctx.Failure?.Message, 300)));
            ctx.HandleResponse();
            return Task.CompletedTask;
        };
        o.Events.OnTokenValidated = ctx =>
        {
            if (ctx.Principal is { } principal)
            {
                ctx.Principal = ToKosmosUser(principal, auth);
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>The dashboard's user for an issuer's validated claims: a name, Kosmos roles, the subject and the issuer. Pure.</summary>
    public static ClaimsPrincipal ToKosmosUser(ClaimsPrincipal principal, AuthSettings auth)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(auth);
        string? First(string type) => principal.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;
        var name = First(auth.NameClaim) ?? First("preferred_username") ?? First("email") ?? First("sub") ?? "unknown";
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(AuthSetup.AuthMethodClaim, "oidc") };
        foreach (var type in new[] { "sub", "iss" })
        {
            if (First(type) is { } value)
            {
                claims.Add(new Claim(type, value));
            }
        }

        claims.AddRange(RolesOf(principal.FindAll(auth.RoleClaim).Select(c => c.Value), auth).Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc", ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The Kosmos roles that claim values give, each once, in <see cref="KosmosRoles.All"/> order. Pure.</summary>
    public static IReadOnlyList<string> RolesOf(IEnumerable<string> values, AuthSettings auth)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(auth);
        var roles = new HashSet<string>(StringComparer.Ordinal);

        // With a mapping, the mapping is the whole list: a group someone named "IncidentCommander" grants nothing unless
        // mapped. Without one, the issuer sends the role names themselves (e.g. app roles assigned by an administrator).
        var namesAsIs = auth.RoleMapping.Count == 0;
        foreach (var value in values)
        {
            if (namesAsIs && KosmosRoles.All.FirstOrDefault(r => string.Equals(r, value, StringComparison.OrdinalIgnoreCase)) is { } direct)
            {
                roles.Add(direct);
            }

            if (auth.RoleMapping.TryGetValue(value, out var mapped))
            {
                roles.Add(mapped);
            }
        }

        return [.. KosmosRoles.All.Where(roles.Contains)];
    }
}
