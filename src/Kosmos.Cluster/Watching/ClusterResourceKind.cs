namespace Kosmos.Cluster.Watching;

/// <summary>The resource kinds the cache keeps, one list+watch loop per kind and namespace.</summary>
public enum ClusterResourceKind
{
    Pods,
    Deployments,
    ReplicaSets,
    Events,
    PersistentVolumeClaims,

    /// <summary>snapshot.storage.k8s.io VolumeSnapshots, a CRD: kept as <see cref="CustomResource"/>.</summary>
    VolumeSnapshots,
}

public static class ClusterResourceKinds
{
    /// <summary>Every kind, in the order of <see cref="ClusterResourceKind"/>.</summary>
    public static IReadOnlyList<ClusterResourceKind> All { get; } = Enum.GetValues<ClusterResourceKind>();

    /// <summary>The plural resource name the API server uses in URLs, e.g. <c>persistentvolumeclaims</c>.</summary>
    public static string ResourceName(this ClusterResourceKind kind) => kind switch
    {
        ClusterResourceKind.Pods => "pods",
        ClusterResourceKind.Deployments => "deployments",
        ClusterResourceKind.ReplicaSets => "replicasets",
        ClusterResourceKind.Events => "events",
        ClusterResourceKind.PersistentVolumeClaims => "persistentvolumeclaims",
        ClusterResourceKind.VolumeSnapshots => "volumesnapshots",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown resource kind"),
    };
}
