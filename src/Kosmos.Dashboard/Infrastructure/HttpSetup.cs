using System.Net;
using Kosmos.Cluster.Watching;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Security;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// The HTTP edge: forwarded headers from known proxies, problem+json for every API error, and the /metrics endpoint.
/// </summary>
public static class HttpSetup
{
    /// <summary>The largest request body Kestrel accepts at all; endpoints cap theirs lower.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>
    /// X-Forwarded-For, -Proto and -Host are believed only from loopback and Kosmos:Http:KnownProxies / KnownNetworks (the
    /// ingress controller), so that behind a TLS-terminating ingress the scheme is https (Secure cookies, HSTS) and the
    /// Origin check compares with the public host.
    /// </summary>
    public static void AddKosmosHttp(this IServiceCollection services, HttpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in settings.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    /// <summary>
    /// Unhandled exceptions become a 500 problem (no stack trace to the client); an API response that would leave with an
    /// error status and no body (401 from authentication, 404 and 405 from routing, 413 from Kestrel) gets a problem body
    /// that says what was wrong. Pages keep their own rendering.
    /// </summary>
    public static void UseApiProblems(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
        }

        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (ApiProblems.IsApiRequest(http.Request))
            {
                if (http.Response.StatusCode == StatusCodes.Status404NotFound && MethodsAnswering(http) is { Count: > 0 } methods)
                {
                    http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    http.Response.Headers.Allow = string.Join(", ", methods);
                }

                var (title, detail) = ApiProblems.Describe(http);
                await ApiProblems.WriteAsync(http, http.Response.StatusCode, title, detail);
            }
        });
    }

    // Routing answers 405 only when no endpoint of another method could take the path; the static-asset fallback (a GET
    // for any path, constrained to file names afterwards) always could, so a GET on a POST route comes out as 404. Tell
    // them apart here, on the error path only.
    private static List<string> MethodsAnswering(HttpContext http)
    {
        var methods = new List<string>();
        foreach (var endpoint in http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is not { } allowed || endpoint.RoutePattern.RawText is not { } template
                || endpoint.RoutePattern.Parameters.Any(p => p.IsCatchAll))
            {
                continue;
            }

            var matcher = new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(
                Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(template.TrimStart('/')), []);
            if (matcher.TryMatch(http.Request.Path, []))
            {
                methods.AddRange(allowed.HttpMethods.Where(m => !methods.Contains(m, StringComparer.Ordinal)));
            }
        }

        return methods;
    }

    public static void AddKosmosMetrics(this IServiceCollection services)
    {
        services.AddSingleton<DashboardMetrics>();
        services.Configure<HubOptions>(o => o.AddFilter<HubConnectionMetricsFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitMetricsHandler>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ClusterCache.MeterName, DashboardMetrics.MeterName)
            .AddPrometheusExporter());
    }

    /// <summary>/metrics in Prometheus' text format, readable by whom Kosmos:Metrics:Access says.</summary>
    public static void MapMetricsEndpoint(this WebApplication app, MetricsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Access)
        {
            case "Off":
                return;
            case "Viewer":
                app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(KosmosPolicies.View);
                break;
            default:
                app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
                break;
        }
    }
}
