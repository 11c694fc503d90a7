using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Auth.Rbac;

/// <summary>
/// One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule), with the matching of
/// <c>pkg/apis/rbac/v1/evaluation_helpers.go</c>: <c>*</c> matches every verb, group or resource; <c>*/SUB</c> matches a
/// subresource of every resource; <c>pods</c> does not match <c>pods/log</c>; empty resourceNames match every name; a
/// nonResourceURL ending in <c>*</c> is a prefix.
/// </summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public const string All = "*";

    public static PolicyRule FromJson(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]), Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    public static IReadOnlyList<PolicyRule> ListFromJson(JsonNode? rules) =>
        (rules as JsonArray ?? []).Select(FromJson).ToList();

    /// <summary>RuleAllows: whether this rule grants the request.</summary>
    public bool Allows(RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return VerbMatches(request.Verb) && NonResourceUrlMatches(request.Path);
        }

        return VerbMatches(request.Verb)
            && ApiGroupMatches(request.ApiGroup)
            && ResourceMatches(request.CombinedResource, request.Subresource)
            && ResourceNameMatches(request.Name);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["verbs"] = Array(Verbs) };
        if (NonResourceUrls.Count > 0)
        {
            json["nonResourceURLs"] = Array(NonResourceUrls);
            return json;
        }

        json["apiGroups"] = Array(ApiGroups);
        json["resources"] = Array(Resources);
        if (ResourceNames.Count > 0)
        {
            json["resourceNames"] = Array(ResourceNames);
        }

        return json;
    }

    private bool VerbMatches(string verb) => Verbs.Any(v => v == All || v == verb);

    private bool ApiGroupMatches(string group) => ApiGroups.Any(g => g == All || g == group);

    private bool ResourceMatches(string combined, string subresource) => Resources.Any(r =>
        r == All
        || r == combined
        || (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(subresource, StringComparison.Ordinal)));

    private bool ResourceNameMatches(string name) => ResourceNames.Count == 0 || ResourceNames.Contains(name);

    private bool NonResourceUrlMatches(string path) => NonResourceUrls.Any(u =>
        u == All || u == path || (u.EndsWith('*') && path.StartsWith(u.TrimEnd('*'), StringComparison.Ordinal)));

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
