using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>One request to one of the app's endpoints, its route values filled with an existing agent and action.</summary>
public sealed record EndpointRequest(string Method, string Path, string Pattern)
{
    public override string ToString() => $"{Method} {Path} ({Pattern})";
}

/// <summary>
/// Every endpoint the running app has mapped (pages, APIs, the hub, sign-in, health, metrics), read from its routing, so a
/// page or endpoint added later is covered by the tests without anyone listing it. Static files are left out.
/// </summary>
public static class AppEndpoints
{
    public static IReadOnlyList<EndpointRequest> All(IServiceProvider services)
    {
        var sources = services.GetRequiredService<EndpointDataSource>();
        var requests = new List<EndpointRequest>();
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            if (IsStaticFile(pattern))
            {
                continue;
            }

            var path = Fill(endpoint);
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m is not "OPTIONS" and not "HEAD"))
            {
                requests.Add(new EndpointRequest(method, path, pattern));
            }
        }

        return [.. requests.DistinctBy(r => (r.Method, r.Path))];
    }

    private static bool IsStaticFile(string pattern) =>
        pattern.StartsWith("/_framework/", StringComparison.Ordinal) && Path.HasExtension(pattern)
        || pattern.StartsWith("/_content/", StringComparison.Ordinal)
        || (Path.HasExtension(pattern) && !pattern.Contains('{', StringComparison.Ordinal));

    private static string Fill(RouteEndpoint endpoint)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Value(parameter.Name),
            _ => "x",
        })));
        return "/" + string.Join('/', segments);
    }

    private static string Value(string parameter) => parameter.ToLowerInvariant() switch
    {
        "ns" or "namespace" => "kosmos",
        "name" or "agent" => "coder",
        "action" => "restart",
        "id" => "00000000-0000-0000-0000-000000000001", // fits {id:guid} routes, names nothing that exists
        _ => "x",
    };
}
