using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Watching;

namespace Kosmos.Cluster.Tests.Watching.Support;

/// <summary>Creates, changes and lists objects through the test's own KubernetesClient (not the cache's).</summary>
public static class TestObjects
{
    public const string SnapshotGroup = "snapshot.storage.k8s.io";
    public const string SnapshotVersion = "v1";
    public const string Snapshots = "volumesnapshots";

    public static async Task<string> NewNamespaceAsync(this IKubernetes api)
    {
        var name = "w-" + Guid.NewGuid().ToString("N")[..10];
        await api.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static Task<V1Pod> CreatePodAsync(this IKubernetes api, string ns, string name, string app = "agent") =>
        api.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "kosmos/agent:1" }] },
        }, ns);

    /// <summary>A metadata-only change: a new resourceVersion, same uid.</summary>
    public static Task<V1Pod> TouchPodAsync(this IKubernetes api, string ns, string name, string value = "1") =>
        api.CoreV1.PatchNamespacedPodAsync(new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["touched"] = value } } }.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns);

    public static Task DeletePodAsync(this IKubernetes api, string ns, string name) => api.CoreV1.DeleteNamespacedPodAsync(name, ns);

    public static Task<V1Deployment> CreateDeploymentAsync(this IKubernetes api, string ns, string name) =>
        api.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "kosmos/agent:1" }] },
                },
            },
        }, ns);

    public static Task<V1ReplicaSet> CreateReplicaSetAsync(this IKubernetes api, string ns, string name) =>
        api.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "kosmos/agent:1" }] },
                },
            },
        }, ns);

    public static Task<Corev1Event> CreateEventAsync(this IKubernetes api, string ns, string name) =>
        api.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = ns },
            Reason = "BackOff",
            Message = "Back-off restarting failed container",
            Type = "Warning",
        }, ns);

    public static Task<V1PersistentVolumeClaim> CreateClaimAsync(this IKubernetes api, string ns, string name) =>
        api.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, ns);

    public static Task<object> CreateSnapshotAsync(this IKubernetes api, string ns, string name) =>
        api.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = $"{SnapshotGroup}/{SnapshotVersion}",
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = "data" } },
        }, SnapshotGroup, SnapshotVersion, ns, Snapshots);

    public static Task DeleteSnapshotAsync(this IKubernetes api, string ns, string name) =>
        api.CustomObjects.DeleteNamespacedCustomObjectAsync(SnapshotGroup, SnapshotVersion, ns, Snapshots, name);

    /// <summary>One of each kind.</summary>
    public static async Task CreateOneOfEachAsync(this IKubernetes api, string ns, string suffix)
    {
        await api.CreatePodAsync(ns, $"pod-{suffix}");
        await api.CreateDeploymentAsync(ns, $"deploy-{suffix}");
        await api.CreateReplicaSetAsync(ns, $"rs-{suffix}");
        await api.CreateEventAsync(ns, $"event-{suffix}");
        await api.CreateClaimAsync(ns, $"claim-{suffix}");
        await api.CreateSnapshotAsync(ns, $"snap-{suffix}");
    }

    /// <summary>What the server holds now, by a fresh list per kind: (kind, name) → (uid, resourceVersion).</summary>
    public static async Task<SortedDictionary<string, string>> FreshStateAsync(this IKubernetes api, string ns)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(ClusterResourceKind kind, IEnumerable<IKubernetesObject<V1ObjectMeta>> items)
        {
            foreach (var item in items)
            {
                state[$"{kind}/{item.Metadata.Name}"] = $"{item.Metadata.Uid}@{item.Metadata.ResourceVersion}";
            }
        }

        Add(ClusterResourceKind.Pods, (await api.CoreV1.ListNamespacedPodAsync(ns)).Items);
        Add(ClusterResourceKind.Deployments, (await api.AppsV1.ListNamespacedDeploymentAsync(ns)).Items);
        Add(ClusterResourceKind.ReplicaSets, (await api.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);
        Add(ClusterResourceKind.Events, (await api.CoreV1.ListNamespacedEventAsync(ns)).Items);
        Add(ClusterResourceKind.PersistentVolumeClaims, (await api.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns)).Items);
        var snapshots = (JsonElement)await api.CustomObjects.ListNamespacedCustomObjectAsync(SnapshotGroup, SnapshotVersion, ns, Snapshots);
        Add(ClusterResourceKind.VolumeSnapshots, snapshots.GetProperty("items").EnumerateArray().Select(i => new CustomResource(i)));
        return state;
    }

    /// <summary>The same shape as <see cref="FreshStateAsync"/>, from a set of cached objects.</summary>
    public static SortedDictionary<string, string> StateOf(IEnumerable<(ClusterResourceKind Kind, IKubernetesObject<V1ObjectMeta> Object)> objects, string ns)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (kind, obj) in objects.Where(o => o.Object.Metadata.NamespaceProperty == ns))
        {
            state[$"{kind}/{obj.Metadata.Name}"] = $"{obj.Metadata.Uid}@{obj.Metadata.ResourceVersion}";
        }

        return state;
    }

    public static SortedDictionary<string, string> StateOf(ClusterSnapshot snapshot, string ns) =>
        StateOf(ClusterResourceKinds.All.SelectMany(k => snapshot[k].Values.Select(o => (k, o))), ns);

    /// <summary>Empty when equal; otherwise what differs, for a failure message.</summary>
    public static string Diff(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var lines = expected.Where(e => !actual.TryGetValue(e.Key, out var a) || a != e.Value)
            .Select(e => $"expected {e.Key}={e.Value}, got {(actual.TryGetValue(e.Key, out var a) ? a : "nothing")}")
            .Concat(actual.Where(a => !expected.ContainsKey(a.Key)).Select(a => $"unexpected {a.Key}={a.Value}"));
        return string.Join("; ", lines);
    }
}
