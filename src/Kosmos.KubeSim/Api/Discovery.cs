using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>
/// Legacy (non-aggregated) discovery: /api, /apis and one APIResourceList per group-version. kubectl asks for aggregated
/// discovery first and falls back to these when the answer is plain application/json.
/// </summary>
public static class Discovery
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] AllCategory = ["all"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-kosmos-sim",
        ["gitCommit"] = "kosmos-sim",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var group in ResourceKinds.Groups)
        {
            var version = ResourceKinds.All.First(k => k.Group == group).Version;
            var gv = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
            groups.Add(new JsonObject
            {
                ["name"] = group,
                ["versions"] = new JsonArray(gv),
                ["preferredVersion"] = gv.DeepClone(),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>The APIResourceList of one group-version, or null when the simulator does not serve it.</summary>
    public static JsonObject? Resources(string group, string version)
    {
        var kinds = ResourceKinds.All.Where(k => k.Group == group && k.Version == version).ToList();
        if (kinds.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var kind in kinds)
        {
            var entry = new JsonObject
            {
                ["name"] = kind.Plural,
                ["singularName"] = kind.Singular,
                ["namespaced"] = kind.Namespaced,
                ["kind"] = kind.Kind,
                ["verbs"] = Strings(kind.Verbs ?? (kind.Namespaced ? ObjectVerbs : ObjectVerbs.Where(v => v != "deletecollection"))),
            };
            if (kind.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(kind.ShortNames);
            }

            if (kind.InAllCategory)
            {
                entry["categories"] = Strings(AllCategory);
            }

            resources.Add(entry);
            foreach (var sub in kind.Subresources)
            {
                resources.Add(Subresource(kind, sub));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceKind kind, string sub)
    {
        var (subKind, verbs, subGroup, subVersion) = sub switch
        {
            "log" => ("Pod", new[] { "get" }, (string?)null, (string?)null),
            "exec" => ("PodExecOptions", new[] { "create", "get" }, null, null),
            "scale" => ("Scale", new[] { "get", "patch", "update" }, "autoscaling", "v1"),
            _ => (kind.Kind, new[] { "get", "patch", "update" }, null, null),
        };
        var entry = new JsonObject
        {
            ["name"] = $"{kind.Plural}/{sub}",
            ["singularName"] = "",
            ["namespaced"] = kind.Namespaced,
            ["kind"] = subKind,
            ["verbs"] = Strings(verbs),
        };
        if (subGroup is not null)
        {
            entry["group"] = subGroup;
            entry["version"] = subVersion;
        }

        return entry;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
