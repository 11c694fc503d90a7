using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kosmos.Cluster.Watching;

/// <summary>One page of a list: its items, the list's resourceVersion and the continue token of the next page, if any.</summary>
internal sealed record ListPage(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string? ResourceVersion, string? Continue);

/// <summary>
/// How to list and watch one kind through KubernetesClient: the typed <c>List…Async</c>/<c>WatchList…Async</c> pair, or the
/// custom-objects API for a CRD. The only place that knows which client method serves which kind.
/// </summary>
internal sealed class ResourceAdapter
{
    public delegate Task<ListPage> ListPageFunc(IKubernetes client, string ns, int? limit, string? continueToken, CancellationToken ct);

    public delegate IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)> WatchFunc(
        IKubernetes client, string ns, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken ct);

    private ResourceAdapter(ClusterResourceKind kind, string resource, ListPageFunc listPage, WatchFunc watch)
    {
        Kind = kind;
        Resource = resource;
        ListPage = listPage;
        Watch = watch;
    }

    public ClusterResourceKind Kind { get; }

    /// <summary>For logs and errors, e.g. <c>volumesnapshots.snapshot.storage.k8s.io/v1</c>.</summary>
    public string Resource { get; }

    public ListPageFunc ListPage { get; }

    public WatchFunc Watch { get; }

    public static IReadOnlyList<ResourceAdapter> For(ClusterCacheOptions options)
    {
        // Pods are most of the cache: each is trimmed to what is read as it arrives, a list page at a time, so not even a
        // whole list of full V1Pods is ever held at once.
        var pods = new PodCompactor();
        return For(options, pods);
    }

    private static IReadOnlyList<ResourceAdapter> For(ClusterCacheOptions options, PodCompactor pods) =>
    [
        Typed<V1Pod, V1PodList>(ClusterResourceKind.Pods,
            (k, ns, limit, cont, ct) => k.CoreV1.ListNamespacedPodAsync(ns, limit: limit, continueParameter: cont, cancellationToken: ct),
            (k, ns, rv, timeout, onError, ct) => k.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            pods.Compact),
        Typed<V1Deployment, V1DeploymentList>(ClusterResourceKind.Deployments,
            (k, ns, limit, cont, ct) => k.AppsV1.ListNamespacedDeploymentAsync(ns, limit: limit, continueParameter: cont, cancellationToken: ct),
            (k, ns, rv, timeout, onError, ct) => k.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct)),
        Typed<V1ReplicaSet, V1ReplicaSetList>(ClusterResourceKind.ReplicaSets,
            (k, ns, limit, cont, ct) => k.AppsV1.ListNamespacedReplicaSetAsync(ns, limit: limit, continueParameter: cont, cancellationToken: ct),
            (k, ns, rv, timeout, onError, ct) => k.AppsV1.WatchListNamespacedReplicaSetAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct)),
        Typed<Corev1Event, Corev1EventList>(ClusterResourceKind.Events,
            (k, ns, limit, cont, ct) => k.CoreV1.ListNamespacedEventAsync(ns, limit: limit, continueParameter: cont, cancellationToken: ct),
            (k, ns, rv, timeout, onError, ct) => k.CoreV1.WatchListNamespacedEventAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct)),
        Typed<V1PersistentVolumeClaim, V1PersistentVolumeClaimList>(ClusterResourceKind.PersistentVolumeClaims,
            (k, ns, limit, cont, ct) => k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, limit: limit, continueParameter: cont, cancellationToken: ct),
            (k, ns, rv, timeout, onError, ct) => k.CoreV1.WatchListNamespacedPersistentVolumeClaimAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct)),
        Custom(ClusterResourceKind.VolumeSnapshots, options.VolumeSnapshotGroup, options.VolumeSnapshotVersion),
    ];

    private static ResourceAdapter Typed<T, TList>(
        ClusterResourceKind kind,
        Func<IKubernetes, string, int?, string?, CancellationToken, Task<TList>> list,
        Func<IKubernetes, string, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<T, IKubernetesObject<V1ObjectMeta>>? transform = null)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IMetadata<V1ListMeta>, IItems<T>
    {
        var keep = transform ?? (obj => obj);
        return new ResourceAdapter(kind, kind.ResourceName(),
            async (k, ns, limit, cont, ct) =>
            {
                var page = await list(k, ns, limit, cont, ct).ConfigureAwait(false);
                return new ListPage(
                    [.. (page.Items ?? []).Where(i => HasIdentity(i)).Select(keep)],
                    page.Metadata?.ResourceVersion,
                    page.Metadata?.ContinueProperty);
            },
            (k, ns, rv, timeout, onError, ct) => Upcast(watch(k, ns, rv, timeout, onError, ct), keep, ct));
    }

    private static ResourceAdapter Custom(ClusterResourceKind kind, string group, string version)
    {
        var plural = kind.ResourceName();
        return new ResourceAdapter(kind, $"{plural}.{group}/{version}",
            async (k, ns, limit, cont, ct) =>
            {
                var page = (JsonElement)await k.CustomObjects.ListNamespacedCustomObjectAsync(group, version, ns, plural,
                    limit: limit, continueParameter: cont, cancellationToken: ct).ConfigureAwait(false);
                var items = page.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
                    ? [.. array.EnumerateArray().Select(i => new CustomResource(i)).Where(HasIdentity).Cast<IKubernetesObject<V1ObjectMeta>>()]
                    : new List<IKubernetesObject<V1ObjectMeta>>();
                var metadata = page.TryGetProperty("metadata", out var m) ? m : default;
                return new ListPage(items, Text(metadata, "resourceVersion"), Text(metadata, "continue"));
            },
            (k, ns, rv, timeout, onError, ct) => FromJson(
                k.CustomObjects.WatchListNamespacedCustomObjectAsync(group, version, ns, plural, allowWatchBookmarks: true,
                    resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
                ct));
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Upcast<T>(
        IAsyncEnumerable<(WatchEventType, T)> source, Func<T, IKubernetesObject<V1ObjectMeta>> keep, [EnumeratorCancellation] CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, obj) in source.WithCancellation(ct).ConfigureAwait(false))
        {
            // A bookmark carries only a resourceVersion: nothing to map, and the reflector reads just that.
            yield return (type, type == WatchEventType.Bookmark ? obj : keep(obj));
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> FromJson(
        IAsyncEnumerable<(WatchEventType, object)> source, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, obj) in source.WithCancellation(ct).ConfigureAwait(false))
        {
            if (obj is JsonElement json)
            {
                yield return (type, new CustomResource(json));
            }
        }
    }

    private static bool HasIdentity(IKubernetesObject<V1ObjectMeta> obj) => !string.IsNullOrEmpty(obj.Metadata?.Name);

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
