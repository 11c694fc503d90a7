using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// An object of a custom resource (e.g. a VolumeSnapshot) as the API server sent it: its metadata parsed, the whole object
/// kept as JSON for the mapper (<c>KubernetesModelMapper.ToVolumeSnapshotSnapshot(resource.Json)</c>).
/// Treat it as read-only: the cache shares one instance with every subscriber.
/// </summary>
public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    public CustomResource(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A Kubernetes object must be a JSON object, not {json.ValueKind}.", nameof(json));
        }

        // Clone: the element must not keep the whole list or response document alive, nor die with it.
        Json = json.Clone();
        ApiVersion = Json.TryGetProperty("apiVersion", out var apiVersion) ? apiVersion.GetString() ?? "" : "";
        Kind = Json.TryGetProperty("kind", out var kind) ? kind.GetString() ?? "" : "";
        Metadata = Json.TryGetProperty("metadata", out var metadata)
            ? KubernetesJson.Deserialize<V1ObjectMeta>(metadata)
            : new V1ObjectMeta();
    }

    public string ApiVersion { get; set; }

    public string Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; }

    /// <summary>The whole object as received.</summary>
    public JsonElement Json { get; }

    public override string ToString() => $"{Kind} {Metadata.NamespaceProperty}/{Metadata.Name}@{Metadata.ResourceVersion}";
}
