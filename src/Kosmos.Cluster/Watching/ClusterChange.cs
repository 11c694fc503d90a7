using k8s;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Watching;

public enum ClusterChangeType
{
    /// <summary>The object was added or changed: store it under its key, replacing what was there.</summary>
    Upsert,

    /// <summary>The object is gone: remove its key. <see cref="ClusterChange.Object"/> is its last known state.</summary>
    Delete,
}

/// <summary>
/// One change to one object. The object is the cache's own instance (a KubernetesClient model, a <see cref="CachedPod"/>
/// for pods, or a <see cref="CustomResource"/> for VolumeSnapshots) shared with every subscriber: never mutate it.
/// </summary>
public sealed record ClusterChange(ClusterChangeType Type, ClusterResourceKind Kind, IKubernetesObject<V1ObjectMeta> Object)
{
    public ObjectKey Key => ObjectKey.Of(Object);

    public override string ToString() => $"{Type} {Kind} {Key}@{Object.Metadata?.ResourceVersion}";
}

/// <summary>
/// What a subscriber reads: either a batch of changes in the order they happened, or — when the subscriber fell too far
/// behind and its queued batches were thrown away — a <see cref="Resync"/> snapshot that replaces everything it holds.
/// Changes are idempotent by key (upsert replaces, delete of an absent key is a no-op), so a change that repeats what a
/// snapshot already contains is harmless.
/// </summary>
public sealed class ClusterChangeBatch
{
    internal ClusterChangeBatch(IReadOnlyList<ClusterChange> changes, ClusterSnapshot? resync)
    {
        Changes = changes;
        Resync = resync;
    }

    public IReadOnlyList<ClusterChange> Changes { get; }

    /// <summary>Non-null when this subscriber was resynced: discard your state and rebuild it from this snapshot (<see cref="Changes"/> is then empty).</summary>
    public ClusterSnapshot? Resync { get; }
}
