using k8s;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// A pod as the cache keeps it: the domain's <see cref="PodSnapshot"/> (everything the board, the describe panels and the
/// actions read) and the four metadata fields the cache keys and compares by, instead of the whole <see cref="V1Pod"/>.
/// Like client-go's informer transforms, this drops what nothing reads (managedFields, last-applied, termination message
/// paths, scheduler and DNS settings, ...) as each object arrives; a full V1Pod weighed 5–6 KB of managed heap, this
/// about 1 KB. Made by <see cref="PodCompactor"/>. Read-only: the cache shares one instance with every subscriber.
/// </summary>
public sealed class CachedPod : IKubernetesObject<V1ObjectMeta>
{
    internal CachedPod(PodSnapshot snapshot)
    {
        Snapshot = snapshot;
        Metadata = new V1ObjectMeta
        {
            Name = snapshot.Name,
            NamespaceProperty = snapshot.Namespace,
            // The snapshot writes absent as empty; metadata keeps absent as null, as the API object had it.
            Uid = snapshot.Uid is "" ? null : snapshot.Uid,
            ResourceVersion = snapshot.ResourceVersion is "" ? null : snapshot.ResourceVersion,
        };
    }

    public string ApiVersion { get; set; } = "v1";

    public string Kind { get; set; } = "Pod";

    /// <summary>Name, namespace, uid and resourceVersion only; labels and the rest are in <see cref="Snapshot"/>.</summary>
    public V1ObjectMeta Metadata { get; set; }

    public PodSnapshot Snapshot { get; }

    public override string ToString() => $"Pod {Snapshot.Namespace}/{Snapshot.Name}@{Snapshot.ResourceVersion}";
}
