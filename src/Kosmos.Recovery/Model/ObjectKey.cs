namespace Kosmos.Recovery.Model;

/// <summary>
/// A namespaced object's identity within one kind: namespace and name (what the API server makes unique). The dashboard's
/// watch cache and the simulator's controllers key their objects by it; each side adds its own <c>ObjectKey.Of</c> for the
/// object type it holds (KubernetesClient models, stored JSON).
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
