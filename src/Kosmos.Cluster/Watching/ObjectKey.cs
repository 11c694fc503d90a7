using k8s;
using k8s.Models;

namespace Kosmos.Cluster.Watching;

/// <summary>Identifies an object within one kind: namespace and name (what the API server makes unique).</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj) =>
        new(obj.Metadata?.NamespaceProperty ?? "", obj.Metadata?.Name ?? "");

    public override string ToString() => $"{Namespace}/{Name}";
}
