using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Auth;

/// <summary>
/// What a request asks to do, in the terms authorizers decide on: k8s.io/apiserver's <c>RequestInfo</c> plus the user.
/// <see cref="Subresource"/> and <see cref="Name"/> are empty strings when absent, as in Go.
/// </summary>
public sealed record RequestAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Path,
    string ApiGroup,
    string ApiVersion,
    string Resource,
    string Subresource,
    string Namespace,
    string Name)
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary><c>pods/log</c>, or <c>pods</c> without a subresource: the resource as RBAC rules name it.</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";

    /// <summary>A resource request for the same user (used by access reviews).</summary>
    public static RequestAttributes ForResource(UserInfo user, string verb, string group, string resource, string subresource, string ns, string name) =>
        new(user, verb, IsResourceRequest: true, "", group, "*", resource, subresource, ns, name);

    /// <summary>
    /// Parses a request as <c>RequestInfoFactory.NewRequestInfo</c> does: <c>/api/v1/namespaces/NS/RESOURCE/NAME/SUB</c> and
    /// <c>/apis/GROUP/VERSION/...</c> are resource requests whose verb comes from the method (GET without a name is list or,
    /// with <c>watch=true</c>, watch; a list or watch with <c>fieldSelector=metadata.name=X</c> names X; DELETE without a name
    /// is deletecollection); anything else (discovery, /version, /openapi) is a non-resource request whose verb is the method.
    /// </summary>
    public static RequestAttributes Parse(UserInfo user, HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var method = request.Method.ToUpperInvariant();
        var nonResource = new RequestAttributes(user, method.ToLowerInvariant(), IsResourceRequest: false, path, "", "", "", "", "", "");
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int rest;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, rest) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, rest) = (parts[1], parts[2], 3);
        }
        else
        {
            return nonResource;
        }

        var current = parts[rest..];
        var verb = method switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        };
        if (current[0] == "watch")
        {
            verb = "watch";
            current = current[1..];
        }

        var ns = "";
        if (current.Length > 0 && current[0] == "namespaces")
        {
            if (current.Length > 1)
            {
                ns = current[1];
                if (current.Length > 2 && !NamespaceSubresources.Contains(current[2]))
                {
                    current = current[2..];
                }
            }
        }

        if (current.Length == 0)
        {
            return nonResource;
        }

        var resource = current[0];
        var name = current.Length >= 2 ? current[1] : "";
        var subresource = current.Length >= 3 ? current[2] : "";
        if (name.Length == 0 && verb == "get")
        {
            verb = request.Query["watch"].ToString() is "true" or "1" ? "watch" : "list";
        }

        if (name.Length == 0 && verb is "list" or "watch" && ExactName(request.Query["fieldSelector"].ToString()) is { } selected)
        {
            name = selected;
        }

        if (name.Length == 0 && verb == "delete")
        {
            verb = "deletecollection";
        }

        return new RequestAttributes(user, verb, IsResourceRequest: true, path, group, version, resource, subresource, ns, name);
    }

    // fields.Selector.RequiresExactMatch("metadata.name"): only a plain equality, not among other terms.
    private static string? ExactName(string fieldSelector)
    {
        foreach (var term in fieldSelector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var op in new[] { "==", "=" })
            {
                if (term.StartsWith("metadata.name" + op, StringComparison.Ordinal) && !term.Contains("!=", StringComparison.Ordinal))
                {
                    var value = term[("metadata.name" + op).Length..];
                    return value.Length > 0 && !value.Contains('/', StringComparison.Ordinal) ? value : null;
                }
            }
        }

        return null;
    }
}
