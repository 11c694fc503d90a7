using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>The rules of <c>pkg/apis/rbac/validation</c> that decide whether a role or binding means anything at all.</summary>
internal static partial class ObjectRules
{
    private static readonly string[] SubjectKinds = ["ServiceAccount", "User", "Group"];

    private static void PolicyRules(List<FieldError> errors, JsonArray? rules, bool namespaced)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i] as JsonObject ?? [];
            var path = $"rules[{i}]";
            if (Count(rule, "verbs") == 0)
            {
                errors.Add(Rules.Required($"{path}.verbs", "verbs must contain at least one value"));
            }

            if (Count(rule, "nonResourceURLs") > 0)
            {
                if (namespaced)
                {
                    errors.Add(Rules.Invalid($"{path}.nonResourceURLs", Rules.Show(rule["nonResourceURLs"]), "namespaced rules cannot apply to non-resource URLs"));
                }

                if (Count(rule, "apiGroups") > 0 || Count(rule, "resources") > 0 || Count(rule, "resourceNames") > 0)
                {
                    errors.Add(Rules.Invalid($"{path}.nonResourceURLs", Rules.Show(rule["nonResourceURLs"]), "rules cannot apply to both regular resources and non-resource URLs"));
                }

                continue;
            }

            if (Count(rule, "apiGroups") == 0)
            {
                errors.Add(Rules.Required($"{path}.apiGroups", "resource rules must supply at least one api group"));
            }

            if (Count(rule, "resources") == 0)
            {
                errors.Add(Rules.Required($"{path}.resources", "resource rules must supply at least one resource"));
            }
        }
    }

    private static void Binding(List<FieldError> errors, JsonObject obj, bool namespaced)
    {
        var roleRef = obj["roleRef"] as JsonObject;
        var kind = Str(roleRef, "kind") ?? "";
        if (namespaced ? kind is not ("Role" or "ClusterRole") : kind != "ClusterRole")
        {
            errors.Add(namespaced ? Rules.NotSupported("roleRef.kind", kind, "Role", "ClusterRole") : Rules.NotSupported("roleRef.kind", kind, "ClusterRole"));
        }

        if (string.IsNullOrEmpty(Str(roleRef, "name")))
        {
            errors.Add(Rules.Required("roleRef.name"));
        }

        if (Str(roleRef, "apiGroup") != "rbac.authorization.k8s.io")
        {
            errors.Add(Rules.NotSupported("roleRef.apiGroup", Str(roleRef, "apiGroup") ?? "", "rbac.authorization.k8s.io"));
        }

        var subjects = obj["subjects"] as JsonArray ?? [];
        for (var i = 0; i < subjects.Count; i++)
        {
            var subject = subjects[i] as JsonObject ?? [];
            var path = $"subjects[{i}]";
            if (string.IsNullOrEmpty(Str(subject, "name")))
            {
                errors.Add(Rules.Required($"{path}.name"));
            }

            var subjectKind = Str(subject, "kind") ?? "";
            if (!SubjectKinds.Contains(subjectKind))
            {
                errors.Add(Rules.NotSupported($"{path}.kind", subjectKind, SubjectKinds));
            }
            else if (subjectKind == "ServiceAccount" && !namespaced && string.IsNullOrEmpty(Str(subject, "namespace")))
            {
                errors.Add(Rules.Required($"{path}.namespace"));
            }
        }
    }

    private static int Count(JsonObject obj, string field) => (obj[field] as JsonArray)?.Count ?? 0;
}
