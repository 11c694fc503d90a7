namespace Kosmos.Cluster.Watching;

/// <summary>
/// Live cluster state shared by every viewer: one list+watch loop per resource kind and namespace, however many
/// subscribers there are. A singleton; every member is thread-safe. Objects handed out (in snapshots and changes) are the
/// cache's own instances — KubernetesClient models, <see cref="CachedPod"/> for pods (trimmed on arrival to what is read) and
/// <see cref="CustomResource"/> for VolumeSnapshots: read them, map them, never mutate them. Nothing here talks to the API server on the caller's behalf: reading and subscribing are free.
/// </summary>
public interface IClusterCache
{
    /// <summary>Every reflector's sync state, reason, last error and counters, as of now.</summary>
    ClusterCacheStatus Status { get; }

    /// <summary>
    /// Raised when a reflector changes state (Syncing → Synced, → Degraded, recovered). Raised on a reflector's thread:
    /// handlers must be quick and must not block; marshal to the UI yourself. Exceptions are logged and swallowed.
    /// </summary>
    event Action<ClusterCacheStatus>? StatusChanged;

    /// <summary>
    /// Completes when every kind in every namespace has either listed successfully once or been found degraded (a refused
    /// kind must not keep the dashboard from becoming ready; check <see cref="Status"/> for which). Does not complete while
    /// the API server is unreachable. Cancel through <paramref name="cancellationToken"/> (e.g. a /readyz deadline); it
    /// then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>Every cached object now. Immutable; O(1) to take.</summary>
    ClusterSnapshot GetSnapshot();

    /// <summary>
    /// A snapshot plus every change from then on, batched (at once when the cache was quiet, at most one batch per <c>BatchWindow</c> while things keep changing). Changes
    /// may repeat what the snapshot already holds; apply them by key and they converge. Dispose the subscription to stop;
    /// it also ends (its channel completes) when the cache stops. Throws <see cref="ObjectDisposedException"/> after stop.
    /// </summary>
    ClusterSubscription Subscribe();
}
