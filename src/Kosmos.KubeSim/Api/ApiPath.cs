using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>A parsed resource URL: <c>/api/v1/namespaces/kosmos/pods/p1/log</c> → (pods, kosmos, p1, log).</summary>
public sealed record ApiPath(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    public bool IsCollection => Name is null;

    /// <summary>
    /// Parses a resource path. Returns null when the path is not a resource path at all; throws 404 NotFound when it
    /// names a group, version or resource the simulator does not serve (as a real server answers).
    /// </summary>
    public static ApiPath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        int i;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            group = "";
            i = 1;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            group = segments[1];
            i = 2;
        }
        else
        {
            return null;
        }

        var version = segments[i++];
        var rest = segments.AsSpan(i);
        if (rest.Length == 0)
        {
            return null;
        }

        // namespaces/{ns}/{plural}/... is a namespaced path unless what follows the namespace is its own subresource.
        if (rest[0] == "namespaces" && rest.Length >= 3 && ResourceKinds.Find(group, version, rest[2]) is { Namespaced: true } namespaced)
        {
            return Build(namespaced, rest[1], rest[3..]);
        }

        var kind = ResourceKinds.Find(group, version, rest[0])
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        return Build(kind, null, rest[1..]);
    }

    private static ApiPath Build(ResourceKind kind, string? ns, ReadOnlySpan<string> rest)
    {
        if (rest.Length > 2 || (rest.Length == 2 && !kind.Subresources.Contains(rest[1])))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        return new ApiPath(kind, ns, rest.Length > 0 ? rest[0] : null, rest.Length > 1 ? rest[1] : null);
    }
}
