using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// Every cached object at one moment, per kind, keyed by namespace and name. Immutable and cheap to take (it shares
/// structure with the cache); safe to read from any thread. The objects are shared with the cache: never mutate them.
/// </summary>
public sealed class ClusterSnapshot
{
    private readonly ImmutableArray<ImmutableDictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>> _kinds;

    internal ClusterSnapshot(ImmutableArray<ImmutableDictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>> kinds)
    {
        _kinds = kinds;
    }

    public static ClusterSnapshot Empty { get; } = new(
        [.. ClusterResourceKinds.All.Select(_ => ImmutableDictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>.Empty)]);

    /// <summary>The objects of one kind.</summary>
    public IReadOnlyDictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>> this[ClusterResourceKind kind] => _kinds[(int)kind];

    /// <summary>Pods as the cache keeps them (see <see cref="CachedPod"/>).</summary>
    public IEnumerable<PodSnapshot> Pods => _kinds[(int)ClusterResourceKind.Pods].Values
        .Select(p => p is CachedPod cached ? cached.Snapshot : Mapping.KubernetesModelMapper.ToPodSnapshot((V1Pod)p));

    public IEnumerable<V1Deployment> Deployments => Of<V1Deployment>(ClusterResourceKind.Deployments);

    public IEnumerable<V1ReplicaSet> ReplicaSets => Of<V1ReplicaSet>(ClusterResourceKind.ReplicaSets);

    public IEnumerable<Corev1Event> Events => Of<Corev1Event>(ClusterResourceKind.Events);

    public IEnumerable<V1PersistentVolumeClaim> PersistentVolumeClaims => Of<V1PersistentVolumeClaim>(ClusterResourceKind.PersistentVolumeClaims);

    public IEnumerable<CustomResource> VolumeSnapshots => Of<CustomResource>(ClusterResourceKind.VolumeSnapshots);

    /// <summary>Objects of all kinds together.</summary>
    public int Count => _kinds.Sum(k => k.Count);

    private IEnumerable<T> Of<T>(ClusterResourceKind kind) => _kinds[(int)kind].Values.Cast<T>();
}
