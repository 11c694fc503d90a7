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
    bool InAllCategory)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ApiVersion => GroupVersion;

    /// <summary>The qualified name Kubernetes uses in messages, e.g. <c>deployments.apps</c>, <c>pods</c>.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public override string ToString() => QualifiedPlural;
}

/// <summary>The fixed set of resources the runbook touches.</summary>
public static class ResourceKinds
{
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

    public static readonly IReadOnlyList<ResourceKind> All =
        [Namespaces, Pods, Events, PersistentVolumeClaims, ConfigMaps, Secrets, Deployments, ReplicaSets, VolumeSnapshots];

    public static IEnumerable<string> Groups => All.Select(k => k.Group).Where(g => g.Length > 0).Distinct();

    public static ResourceKind? Find(string group, string version, string plural) =>
        All.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);

    public static ResourceKind? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}
