using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;

namespace Kosmos.Dashboard.Security;

/// <summary>
/// Cookie authentication with role policies. In Demo mode (the explicitly labelled local demo sign-in) anyone may look,
/// and signing in as any name and role is one click — allowed only against the simulated cluster unless
/// Kosmos:Auth:AllowDemoOnRealCluster says otherwise. Mutations always need a signed-in user with the right role.
/// </summary>
public static class AuthSetup
{
    public static void AddKosmosAuth(this IServiceCollection services, AuthSettings auth)
    {
        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            if (auth.IsOpenIdConnect)
            {
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            }
        });
        if (auth.IsOpenIdConnect)
        {
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = auth.Authority;
                o.ClientId = auth.ClientId;
                o.ClientSecret = auth.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
                o.TokenValidationParameters.NameClaimType = "name";
                o.MapInboundClaims = false;
            });
        }

        authentication.AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "kosmos.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(KosmosPolicies.View, p => p.AddRequirements(new ViewRequirement(auth.IsDemo)))
            .AddPolicy(KosmosPolicies.Operate, p => p.RequireAuthenticatedUser().RequireRole(KosmosRoles.AtLeast(KosmosRoles.Operator)))
            .AddPolicy(KosmosPolicies.Approve, p => p.RequireAuthenticatedUser().RequireRole(KosmosRoles.AtLeast(KosmosRoles.IncidentCommander)));
        services.AddSingleton<IAuthorizationHandler, ViewRequirementHandler>();
        services.AddCascadingAuthenticationState();
    }

    public static void MapDemoSignIn(this IEndpointRouteBuilder app, AuthSettings auth)
    {
        if (!auth.IsDemo)
        {
            return;
        }

        app.MapPost("/signin/demo", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var name = form["name"].ToString().Trim();
            var role = form["role"].ToString();
            var returnUrl = form["returnUrl"].ToString();
            if (name.Length is 0 or > 64 || !KosmosRoles.All.Contains(role))
            {
                return Results.Redirect("/signin?error=" + Uri.EscapeDataString("Give a name (1–64 characters) and one of the roles " + string.Join(", ", KosmosRoles.All) + "."));
            }

            await SignInAsync(http, name, role);
            return Results.LocalRedirect(Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') ? returnUrl : "/");
        }).DisableAntiforgery();
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        }).DisableAntiforgery();
    }

    /// <summary>Issues the demo cookie. Public for tests that need a signed-in user of a given role.</summary>
    public static Task SignInAsync(HttpContext http, string name, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim("kosmos:auth", "demo")],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    // API and hub callers get a status code, not a redirect to an HTML sign-in page.
    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Looking requires a Viewer role, except in the local demo, where anyone on this machine may look.</summary>
public sealed record ViewRequirement(bool AnonymousAllowed) : IAuthorizationRequirement;

internal sealed class ViewRequirementHandler : AuthorizationHandler<ViewRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ViewRequirement requirement)
    {
        var user = context.User;
        if (requirement.AnonymousAllowed || KosmosRoles.AtLeast(KosmosRoles.Viewer).Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
