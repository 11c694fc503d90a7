using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Auth.Rbac;

/// <summary>
/// The default roles every cluster starts with (kube-apiserver's bootstrap policy), as real, listable objects:
/// <c>cluster-admin</c> bound to <c>system:masters</c>; <c>system:basic-user</c> (access reviews about oneself),
/// <c>system:discovery</c> and <c>system:public-info-viewer</c> (discovery, /version, health) bound to every authenticated user.
/// </summary>
internal static class BootstrapPolicy
{
    public static readonly PolicyRule Everything = new([PolicyRule.All], [PolicyRule.All], [PolicyRule.All], [], []);

    public static readonly PolicyRule EveryUrl = new([PolicyRule.All], [], [], [], [PolicyRule.All]);

    public static void Seed(ObjectStore store)
    {
        Role(store, "cluster-admin", Everything, EveryUrl);
        Binding(store, "cluster-admin", UserInfo.Masters);
        Role(store, "system:basic-user",
            new PolicyRule(["create"], [ResourceKinds.AuthorizationGroup], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], [], []));
        Binding(store, "system:basic-user", UserInfo.Authenticated);
        Role(store, "system:discovery",
            new PolicyRule(["get"], [], [], [], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]));
        Binding(store, "system:discovery", UserInfo.Authenticated);
        Role(store, "system:public-info-viewer",
            new PolicyRule(["get"], [], [], [], ["/healthz", "/livez", "/readyz", "/version", "/version/"]));
        Binding(store, "system:public-info-viewer", UserInfo.Authenticated);
    }

    private static void Role(ObjectStore store, string name, params PolicyRule[] rules) =>
        store.Create(ResourceKinds.ClusterRoles, new JsonObject
        {
            ["apiVersion"] = ResourceKinds.ClusterRoles.ApiVersion,
            ["kind"] = ResourceKinds.ClusterRoles.Kind,
            ["metadata"] = Metadata(name),
            ["rules"] = new JsonArray(rules.Select(r => (JsonNode?)r.ToJson()).ToArray()),
        });

    private static void Binding(ObjectStore store, string name, string group) =>
        store.Create(ResourceKinds.ClusterRoleBindings, new JsonObject
        {
            ["apiVersion"] = ResourceKinds.ClusterRoleBindings.ApiVersion,
            ["kind"] = ResourceKinds.ClusterRoleBindings.Kind,
            ["metadata"] = Metadata(name),
            ["roleRef"] = new JsonObject { ["apiGroup"] = ResourceKinds.RbacGroup, ["kind"] = "ClusterRole", ["name"] = name },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = ResourceKinds.RbacGroup, ["kind"] = "Group", ["name"] = group }),
        });

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };
}
