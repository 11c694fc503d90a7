using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kosmos.Dashboard.Security;

/// <summary>
/// Cookie authentication with role policies. In Demo mode (the explicitly labelled local demo sign-in) anyone may look,
/// and signing in as any name and role is one click — allowed only against the simulated cluster unless
/// Kosmos:Auth:AllowDemoOnRealCluster says otherwise. In OpenIdConnect mode every page, endpoint and hub needs a signed-in
/// user with at least the Viewer role (the fallback policy), except the health endpoints, sign-in and sign-out, static
/// assets and /metrics when Kosmos:Metrics:Access allows it. Mutations always need a signed-in user with the right role,
/// and none at all is allowed in read-only mode (Kosmos:ReadOnly).
/// </summary>
public static class AuthSetup
{
    /// <summary>How the person signed in: <c>demo</c> or <c>oidc</c>.</summary>
    public const string AuthMethodClaim = "kosmos:auth";

    /// <summary>The largest sign-in form accepted (a name, a role, a return path and the antiforgery token).</summary>
    public const long SignInFormMaxBytes = 4096;

    /// <summary>Authentication and policies for <paramref name="auth"/>, not read-only.</summary>
    public static void AddKosmosAuth(this IServiceCollection services, AuthSettings auth) => services.AddKosmosAuth(new KosmosOptions { Auth = auth });

    public static void AddKosmosAuth(this IServiceCollection services, KosmosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = options.Auth;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionRegistry>();
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
            authentication.AddOpenIdConnect(o => OidcSignIn.Configure(o, auth));
        }

        authentication.AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "kosmos.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;

                // Secure whenever the request is HTTPS, including behind a TLS-terminating ingress once the forwarded
                // headers (Kosmos:ForwardedHeaders) have restored the scheme.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = SessionRegistry.IdleTimeout;
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnSigningIn = StartSession;
                o.Events.OnValidatePrincipal = CheckSession;
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        // Changing things needs a live session too: a circuit or hub connection keeps its principal after a sign-out elsewhere.
        var operate = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(KosmosRoles.AtLeast(KosmosRoles.Operator))
            .AddRequirements(new LiveSessionRequirement());
        var approve = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(KosmosRoles.AtLeast(KosmosRoles.IncidentCommander))
            .AddRequirements(new LiveSessionRequirement());
        if (options.ReadOnly)
        {
            operate.AddRequirements(new ReadOnlyRequirement());
            approve.AddRequirements(new ReadOnlyRequirement());
        }

        var view = new AuthorizationPolicyBuilder().AddRequirements(new ViewRequirement(auth.IsDemo)).Build();
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(KosmosPolicies.View, view)
            .AddPolicy(KosmosPolicies.Operate, operate.Build())
            .AddPolicy(KosmosPolicies.Approve, approve.Build());
        if (!auth.IsDemo)
        {
            // Everything without a policy of its own (every page, the Blazor circuit, anything added later) needs a Viewer.
            authorization.SetFallbackPolicy(view);
        }

        services.AddSingleton<IAuthorizationHandler, ViewRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, ReadOnlyRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, LiveSessionRequirementHandler>();
        services.AddCascadingAuthenticationState();
    }

    public static void MapSignIn(this IEndpointRouteBuilder app, AuthSettings auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        app.MapPost("/signout", async (HttpContext http, SessionRegistry sessions) =>
        {
            sessions.End(http.User.FindFirst(SessionRegistry.Claim)?.Value);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        }).AllowAnonymous().DisableAntiforgery(); // the cookie is SameSite=Strict: a cross-site post carries none to end
        if (auth.IsDemo)
        {
            app.MapPost("/signin/demo", DemoSignInAsync).AllowAnonymous().DisableAntiforgery(); // validated in the handler, with a message
        }
        else
        {
            app.MapGet("/signin/oidc", (string? returnUrl) => LocalPath(returnUrl) is { } path
                    ? Results.Challenge(new AuthenticationProperties { RedirectUri = path }, [OpenIdConnectDefaults.AuthenticationScheme])
                    : BadReturnUrl(returnUrl))
                .AllowAnonymous();
        }
    }

    /// <summary>Issues the demo cookie. Public for tests that need a signed-in user of a given role.</summary>
    public static Task SignInAsync(HttpContext http, string name, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim(AuthMethodClaim, "demo")],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>
    /// <paramref name="returnUrl"/> when it is a path on this dashboard (<c>/agents/kosmos/coder</c>), "/" when empty, null
    /// otherwise: <c>//host</c>, <c>/\host</c> and absolute URLs would send the person to another site after signing in.
    /// </summary>
    public static string? LocalPath(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl))
        {
            return "/";
        }

        var local = returnUrl[0] == '/'
            && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            && !returnUrl.Any(char.IsControl)
            && returnUrl.Length <= 2048;
        return local ? returnUrl : null;
    }

    private static async Task<IResult> DemoSignInAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (http.Request.ContentLength > SignInFormMaxBytes)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Sign-in form too large",
                $"The sign-in form may be at most {SignInFormMaxBytes} bytes (got {http.Request.ContentLength}).");
        }

        if (!http.Request.HasFormContentType)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Not a sign-in form",
                "Sign in with the form at /signin: a form post (application/x-www-form-urlencoded) of name, role, returnUrl and its antiforgery token " +
                $"(got Content-Type '{ApiProblems.Excerpt(http.Request.ContentType)}').");
        }

        IFormCollection form;
        try
        {
            // Against login CSRF: another site's form cannot carry the token /signin put in this browser's form and cookie.
            await antiforgery.ValidateRequestAsync(http);
            form = await http.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 16, ValueLengthLimit = (int)SignInFormMaxBytes });
        }
        catch (AntiforgeryValidationException)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Sign-in form expired or forged",
                "The sign-in form's antiforgery token is missing or does not match this browser: open /signin and sign in from there.");
        }
        catch (InvalidDataException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Unreadable sign-in form", ApiProblems.Excerpt(ex.Message, 200));
        }

        var returnUrl = form["returnUrl"].ToString();
        if (LocalPath(returnUrl) is not { } path)
        {
            return BadReturnUrl(returnUrl);
        }

        var name = form["name"].ToString().Trim();
        var role = form["role"].ToString();
        if (name.Length is 0 or > 64 || !KosmosRoles.All.Contains(role))
        {
            return Results.Redirect("/signin?error=" + Uri.EscapeDataString("Give a name (1–64 characters) and one of the roles " + string.Join(", ", KosmosRoles.All) + ".")
                + "&returnUrl=" + Uri.EscapeDataString(path));
        }

        await SignInAsync(http, name, role);
        return Results.LocalRedirect(path);
    }

    private static IResult BadReturnUrl(string? returnUrl) => ApiProblems.Problem(StatusCodes.Status400BadRequest, "Bad returnUrl",
        $"returnUrl must be a path on this dashboard, such as /agents/kosmos/coder (got '{ApiProblems.Excerpt(returnUrl)}').",
        new Dictionary<string, object?> { ["field"] = "returnUrl" });

    private static Task StartSession(CookieSigningInContext ctx)
    {
        if (ctx.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var old in identity.FindAll(SessionRegistry.Claim).ToList())
            {
                identity.RemoveClaim(old);
            }

            identity.AddClaim(new Claim(SessionRegistry.Claim, ctx.HttpContext.RequestServices.GetRequiredService<SessionRegistry>().Start()));
        }

        return Task.CompletedTask;
    }

    // Every request: the cookie alone is not enough, its session must still be live (not signed out, not idle too long).
    private static async Task CheckSession(CookieValidatePrincipalContext ctx)
    {
        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<SessionRegistry>();
        if (!sessions.Touch(ctx.Principal?.FindFirst(SessionRegistry.Claim)?.Value))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    // API and hub callers get a status code (and, from the status-code pages, a problem body), not an HTML sign-in page.
    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ApiProblems.IsApiRequest(ctx.Request))
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

/// <summary>Kosmos:ReadOnly: no one may change anything, whatever their role.</summary>
public sealed class ReadOnlyRequirement : IAuthorizationRequirement
{
    public const string Reason = "This dashboard is read-only (Kosmos:ReadOnly is true): it changes nothing in the cluster, whatever your role.";
}

internal sealed class ReadOnlyRequirementHandler : AuthorizationHandler<ReadOnlyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadOnlyRequirement requirement)
    {
        context.Fail(new AuthorizationFailureReason(this, ReadOnlyRequirement.Reason));
        return Task.CompletedTask;
    }
}

/// <summary>The principal's session (<see cref="SessionRegistry"/>) is still live: not signed out, not idle past the timeout.</summary>
public sealed class LiveSessionRequirement : IAuthorizationRequirement;

internal sealed class LiveSessionRequirementHandler(SessionRegistry sessions) : AuthorizationHandler<LiveSessionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, LiveSessionRequirement requirement)
    {
        if (sessions.HasEnded(context.User))
        {
            context.Fail(new AuthorizationFailureReason(this, SessionRegistry.EndedMessage(Actions.ActionExecutor.ActorOf(context.User).ToString())));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
