namespace Kosmos.Dashboard.Security;

/// <summary>
/// Headers on every response: a Content-Security-Policy that lets in only this dashboard's own scripts (Blazor's and
/// MudBlazor's files; no inline script, no eval) and connections; X-Content-Type-Options nosniff; a Referrer-Policy that
/// keeps agent names out of other sites' logs; and HSTS on HTTPS responses (behind an ingress, once the forwarded headers
/// said HTTPS). Written here rather than with UseHsts, which leaves out localhost and so cannot be seen in a test.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// <c>style-src 'unsafe-inline'</c> because MudBlazor sets style attributes and its theme provider writes a style element;
    /// styles cannot run code. Scripts are 'self' only. <c>connect-src 'self'</c> covers the circuit's and the hub's
    /// WebSockets (CSP level 3 matches ws: and wss: for 'self').
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string StrictTransportSecurity = "max-age=31536000";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = StrictTransportSecurity;
            }

            return Task.CompletedTask;
        });
        return next(http);
    });
}
