using k8s;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Watching;

/// <summary>The cache's way to key a KubernetesClient object: <c>ObjectKey.Of(obj)</c>.</summary>
public static class ObjectKeys
{
    extension(ObjectKey)
    {
        public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj) =>
            new(obj.Metadata?.NamespaceProperty ?? "", obj.Metadata?.Name ?? "");
    }
}
