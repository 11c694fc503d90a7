using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Infrastructure;

namespace Kosmos.Dashboard.Hubs;

/// <summary>
/// Refuses hub and Blazor-circuit requests (negotiate, WebSocket, long polling) whose <c>Origin</c> is another site's.
/// WebSockets are outside CORS: without this, a page on another port of the same host (same-site, so even a
/// SameSite=Strict cookie goes along) could read the whole board. The dashboard's own origin (after forwarded headers) and
/// Kosmos:Http:AllowedOrigins pass; a request without Origin is not from a browser page and passes too (a script's
/// HubConnection), since it carries only the credentials its owner gave it.
/// </summary>
public static class OriginCheck
{
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, HttpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var allowed = settings.AllowedOrigins.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (http, next) =>
        {
            var path = http.Request.Path;
            if ((path.StartsWithSegments("/hubs") || path.StartsWithSegments("/_blazor"))
                && http.Request.Headers.Origin is { Count: > 0 } origins
                && !IsAllowed(origins.ToString(), http.Request, allowed))
            {
                await ApiProblems.WriteAsync(http, StatusCodes.Status403Forbidden, "Origin not allowed",
                    $"Origin '{ApiProblems.Excerpt(origins.ToString())}' may not connect to {path}: only this dashboard's own pages " +
                    $"({http.Request.Scheme}://{http.Request.Host}) and Kosmos:Http:AllowedOrigins may.");
                return;
            }

            await next(http);
        });
    }

    /// <summary>True when <paramref name="origin"/> is the request's own scheme and host, or one of <paramref name="allowed"/>. Pure.</summary>
    public static bool IsAllowed(string origin, HttpRequest request, IReadOnlySet<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(allowed);
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false; // includes "null", sent by sandboxed frames and file: pages
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        var normalised = uri.GetLeftPart(UriPartial.Authority);
        return string.Equals(normalised, own, StringComparison.OrdinalIgnoreCase) || allowed.Contains(normalised);
    }
}
