using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Auth.Rbac;

/// <summary>Where an allowing rule came from: the binding (described as kube-apiserver's RBAC reason does), its role and the rule's index.</summary>
public sealed record RuleSource(string Binding, string RoleKind, string RoleName, string RoleNamespace, int RuleIndex, PolicyRule Rule)
{
    /// <summary><c>Role kosmos/kosmos-dashboard</c>, <c>ClusterRole view</c>.</summary>
    public string Role => RoleNamespace.Length > 0 ? $"{RoleKind} {RoleNamespace}/{RoleName}" : $"{RoleKind} {RoleName}";
}

/// <summary>An authorizer's answer. <see cref="Reason"/> is empty when RBAC has nothing to say, as on a real server.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason, RuleSource? Source)
{
    public static AuthorizationDecision AllowAll(string reason) => new(true, reason, null);
}

/// <summary>
/// The RBAC authorizer of kube-apiserver (<c>plugin/pkg/auth/authorizer/rbac</c>) over the simulator's own store: the rules of
/// every ClusterRoleBinding whose subject is the user, then of every RoleBinding in the request's namespace (a RoleBinding may
/// name a Role of its namespace or a ClusterRole); the first rule that allows decides. Nothing allows → denied. Members of
/// <c>system:masters</c> are allowed before RBAC is asked. Reads the store on every request, so a change to a role or binding
/// applies to the next request. Thread-safe.
/// </summary>
public sealed class RbacAuthorizer(ObjectStore store)
{
    public AuthorizationDecision Authorize(RequestAttributes request)
    {
        if (request.User.IsSuperUser)
        {
            return AuthorizationDecision.AllowAll($"allowed: {UserInfo.Masters} (privileged group)");
        }

        var errors = new List<string>();
        foreach (var (binding, roleKind, roleName, roleNamespace, rules) in RulesFor(request.User, request.Namespace, errors))
        {
            for (var i = 0; i < rules.Count; i++)
            {
                if (rules[i].Allows(request))
                {
                    var source = new RuleSource(binding, roleKind, roleName, roleNamespace, i, rules[i]);
                    return new AuthorizationDecision(true, $"RBAC: allowed by {binding}", source);
                }
            }
        }

        return new AuthorizationDecision(false, errors.Count == 0 ? "" : "RBAC: " + string.Join(", ", errors.Distinct()), null);
    }

    /// <summary>Every rule that applies to the user in a namespace (empty: cluster-wide bindings only), for SelfSubjectRulesReview.</summary>
    public IReadOnlyList<PolicyRule> RulesFor(UserInfo user, string ns) =>
        RulesFor(user, ns, []).SelectMany(r => r.Rules).ToList();

    private IEnumerable<(string Binding, string RoleKind, string RoleName, string RoleNamespace, IReadOnlyList<PolicyRule> Rules)> RulesFor(
        UserInfo user, string ns, List<string> errors)
    {
        foreach (var binding in store.List(ResourceKinds.ClusterRoleBindings, null).Items.OrderBy(Name, StringComparer.Ordinal))
        {
            var subject = MatchingSubject(binding, user, "");
            if (subject is null)
            {
                continue;
            }

            var roleName = Str(binding["roleRef"]?["name"]);
            var rules = ClusterRoleRules(roleName, errors);
            if (rules is not null)
            {
                yield return ($"ClusterRoleBinding \"{Name(binding)}\" of ClusterRole \"{roleName}\" to {Describe(subject, "")}", "ClusterRole", roleName, "", rules);
            }
        }

        if (ns.Length == 0)
        {
            yield break;
        }

        foreach (var binding in store.List(ResourceKinds.RoleBindings, ns).Items.OrderBy(Name, StringComparer.Ordinal))
        {
            var subject = MatchingSubject(binding, user, ns);
            if (subject is null)
            {
                continue;
            }

            var roleKind = Str(binding["roleRef"]?["kind"]);
            var roleName = Str(binding["roleRef"]?["name"]);
            IReadOnlyList<PolicyRule>? rules;
            if (roleKind == "ClusterRole")
            {
                rules = ClusterRoleRules(roleName, errors);
            }
            else
            {
                var role = store.Get(ResourceKinds.Roles, ns, roleName);
                if (role is null)
                {
                    errors.Add($"role.rbac.authorization.k8s.io \"{roleName}\" not found");
                }

                rules = role is null ? null : PolicyRule.ListFromJson(role["rules"]);
            }

            if (rules is not null)
            {
                yield return ($"RoleBinding \"{Name(binding)}/{ns}\" of {roleKind} \"{roleName}\" to {Describe(subject, ns)}", roleKind,
                    roleName, roleKind == "ClusterRole" ? "" : ns, rules);
            }
        }
    }

    private IReadOnlyList<PolicyRule>? ClusterRoleRules(string name, List<string> errors)
    {
        var role = store.Get(ResourceKinds.ClusterRoles, null, name);
        if (role is null)
        {
            errors.Add($"clusterrole.rbac.authorization.k8s.io \"{name}\" not found");
            return null;
        }

        return PolicyRule.ListFromJson(role["rules"]);
    }

    // appliesToUser: a ServiceAccount subject without a namespace means the binding's own namespace.
    private static JsonNode? MatchingSubject(JsonObject binding, UserInfo user, string bindingNamespace) =>
        (binding["subjects"] as JsonArray ?? []).FirstOrDefault(s => Str(s?["kind"]) switch
        {
            "User" => user.Name == Str(s?["name"]),
            "Group" => user.Groups.Contains(Str(s?["name"])),
            "ServiceAccount" => (Str(s?["namespace"]) is { Length: > 0 } saNs ? saNs : bindingNamespace) is { Length: > 0 } target
                && user.Name == $"{UserInfo.ServiceAccountPrefix}{target}:{Str(s?["name"])}",
            _ => false,
        });

    // describeSubject in rbac.go.
    private static string Describe(JsonNode? subject, string bindingNamespace)
    {
        var kind = Str(subject?["kind"]);
        var name = Str(subject?["name"]);
        if (kind != "ServiceAccount")
        {
            return $"{kind} \"{name}\"";
        }

        var ns = Str(subject?["namespace"]) is { Length: > 0 } own ? own : bindingNamespace;
        return $"{kind} \"{name}/{ns}\"";
    }

    private static string Name(JsonObject obj) => Str(obj["metadata"]?["name"]);

    private static string Str(JsonNode? node) => JsonValues.String(node) ?? "";
}
