namespace Kosmos.KubeSim.Store;

/// <summary>A resource type the simulator serves: everything discovery, routing, tables and storage need to know about it.</summary>
public sealed record ResourceKind(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Subresources,
    bool HasStatus,
    bool HasGeneration,
    bool InAllCategory,
    IReadOnlyList<string>? Verbs = null)
{
    /// <summary>Every verb of a stored kind; a virtual kind (an access review) names its own.</summary>
    public static readonly IReadOnlyList<string> StoredVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>True for kinds that are only ever created and answered, never stored (SelfSubjectAccessReview).</summary>
    public bool IsVirtual => Verbs is not null && !Verbs.Contains("get");

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ApiVersion => GroupVersion;

    /// <summary>The qualified name Kubernetes uses in messages, e.g. <c>deployments.apps</c>, <c>pods</c>.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public override string ToString() => QualifiedPlural;
}

/// <summary>The fixed set of resources the runbook touches, and those a dashboard's deployment (RBAC, network policy, PDB) needs.</summary>
public static class ResourceKinds
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public const string AuthorizationGroup = "authorization.k8s.io";

    private static readonly string[] NoNames = [];

    public static readonly ResourceKind Namespaces = new("", "v1", "namespaces", "namespace", "Namespace",
        Namespaced: false, ["ns"], ["status"], HasStatus: true, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind Pods = new("", "v1", "pods", "pod", "Pod",
        Namespaced: true, ["po"], ["log", "exec", "status"], HasStatus: true, HasGeneration: false, InAllCategory: true);

    public static readonly ResourceKind Events = new("", "v1", "events", "event", "Event",
        Namespaced: true, ["ev"], NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim",
        "PersistentVolumeClaim", Namespaced: true, ["pvc"], ["status"], HasStatus: true, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind ConfigMaps = new("", "v1", "configmaps", "configmap", "ConfigMap",
        Namespaced: true, ["cm"], NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind Secrets = new("", "v1", "secrets", "secret", "Secret",
        Namespaced: true, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind Deployments = new("apps", "v1", "deployments", "deployment", "Deployment",
        Namespaced: true, ["deploy"], ["status", "scale"], HasStatus: true, HasGeneration: true, InAllCategory: true);

    public static readonly ResourceKind ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet",
        Namespaced: true, ["rs"], ["status", "scale"], HasStatus: true, HasGeneration: true, InAllCategory: true);

    public static readonly ResourceKind VolumeSnapshots = new("snapshot.storage.k8s.io", "v1", "volumesnapshots", "volumesnapshot",
        "VolumeSnapshot", Namespaced: true, ["vs"], ["status"], HasStatus: true, HasGeneration: true, InAllCategory: false);

    public static readonly ResourceKind ServiceAccounts = new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount",
        Namespaced: true, ["sa"], NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind Services = new("", "v1", "services", "service", "Service",
        Namespaced: true, ["svc"], ["status"], HasStatus: true, HasGeneration: false, InAllCategory: true);

    public static readonly ResourceKind Roles = new(RbacGroup, "v1", "roles", "role", "Role",
        Namespaced: true, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind ClusterRoles = new(RbacGroup, "v1", "clusterroles", "clusterrole", "ClusterRole",
        Namespaced: false, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind RoleBindings = new(RbacGroup, "v1", "rolebindings", "rolebinding", "RoleBinding",
        Namespaced: true, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind ClusterRoleBindings = new(RbacGroup, "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding",
        Namespaced: false, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false);

    public static readonly ResourceKind NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy",
        Namespaced: true, ["netpol"], NoNames, HasStatus: false, HasGeneration: true, InAllCategory: false);

    public static readonly ResourceKind PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget",
        Namespaced: true, ["pdb"], ["status"], HasStatus: true, HasGeneration: true, InAllCategory: false);

    /// <summary>authorization.k8s.io: answered at once (what <c>kubectl auth can-i</c> asks), never stored.</summary>
    public static readonly ResourceKind SelfSubjectAccessReviews = new(AuthorizationGroup, "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview",
        "SelfSubjectAccessReview", Namespaced: false, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false, Verbs: ["create"]);

    /// <summary>What <c>kubectl auth can-i --list</c> asks; answered at once, never stored.</summary>
    public static readonly ResourceKind SelfSubjectRulesReviews = new(AuthorizationGroup, "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview",
        "SelfSubjectRulesReview", Namespaced: false, NoNames, NoNames, HasStatus: false, HasGeneration: false, InAllCategory: false, Verbs: ["create"]);

    public static readonly IReadOnlyList<ResourceKind> All =
    [
        Namespaces, Pods, Events, PersistentVolumeClaims, ConfigMaps, Secrets, ServiceAccounts, Services, Deployments, ReplicaSets, VolumeSnapshots,
        Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, NetworkPolicies, PodDisruptionBudgets, SelfSubjectAccessReviews, SelfSubjectRulesReviews,
    ];

    public static IEnumerable<string> Groups => All.Select(k => k.Group).Where(g => g.Length > 0).Distinct();

    public static ResourceKind? Find(string group, string version, string plural) =>
        All.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);

    public static ResourceKind? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}
