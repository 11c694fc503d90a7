namespace Kosmos.Cluster.Watching;

public enum CacheSyncState
{
    /// <summary>The first list has not succeeded yet.</summary>
    Syncing,

    /// <summary>Listed at least once; the watch is running or reconnecting (see <see cref="ReflectorStatus.LastError"/>).</summary>
    Synced,

    /// <summary>
    /// The API server refuses this kind (404: CRD not installed, 403: no permission, ...). Retried slowly; other kinds
    /// are unaffected. Objects listed before, if any, are kept but may be stale.
    /// </summary>
    Degraded,
}

/// <summary>Counters of one reflector since the cache started.</summary>
/// <param name="Lists">List operations (a paged list counts once).</param>
/// <param name="Relists">List attempts after the first: after 410 Gone, an ERROR event, a degraded spell or a failed list.</param>
/// <param name="Watches">Watch requests started.</param>
/// <param name="WatchRestarts">Watches resumed from the last resourceVersion without a list (server closed, timeout, silence, transient error).</param>
/// <param name="EventsApplied">ADDED/MODIFIED/DELETED events applied to the cache (bookmarks excluded).</param>
public sealed record ReflectorCounters(long Lists, long Relists, long Watches, long WatchRestarts, long EventsApplied);

/// <summary>The state of one list+watch loop (one kind in one namespace).</summary>
/// <param name="Reason">Why it is degraded (the server's message), or null.</param>
/// <param name="LastError">The last failure, recovered or not, or null when there was none.</param>
/// <param name="LastEventAt">When the last watch event or bookmark arrived: how fresh the data is.</param>
/// <param name="ResourceVersion">The resourceVersion the next watch resumes from.</param>
/// <param name="Kind">The resource kind the loop lists and watches.</param>
/// <param name="Namespace">The namespace it watches.</param>
/// <param name="State">Syncing, synced or degraded.</param>
/// <param name="LastErrorAt">When <paramref name="LastError"/> happened.</param>
/// <param name="LastSyncAt">When the last list completed.</param>
/// <param name="Counters">Lists, watches and events so far.</param>
public sealed record ReflectorStatus(
    ClusterResourceKind Kind,
    string Namespace,
    CacheSyncState State,
    string? Reason,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastEventAt,
    DateTimeOffset? LastSyncAt,
    string? ResourceVersion,
    ReflectorCounters Counters)
{
    /// <summary>When the current spell of failed lists and watches began; null while the server answers.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>The last time the server answered for this kind (a list, an event or bookmark, a watch that stayed open): how fresh the data is.</summary>
    public DateTimeOffset? LastContactAt { get; init; }

    /// <summary>True when the kind has been failing for <see cref="ClusterCacheOptions.StaleAfter"/> or longer: what the cache holds may be out of date.</summary>
    public bool IsStale { get; init; }
}

/// <summary>Every reflector's state at one moment.</summary>
public sealed record ClusterCacheStatus(IReadOnlyList<ReflectorStatus> Reflectors)
{
    /// <summary>True when every kind in every namespace has listed successfully and none is degraded.</summary>
    public bool IsSynced => Reflectors.All(r => r.State == CacheSyncState.Synced);

    /// <summary>A kind's state over all namespaces: Degraded if any is, else Syncing if any is, else Synced.</summary>
    public CacheSyncState StateOf(ClusterResourceKind kind)
    {
        var states = Reflectors.Where(r => r.Kind == kind).Select(r => r.State).ToList();
        return states.Contains(CacheSyncState.Degraded) ? CacheSyncState.Degraded
            : states.Contains(CacheSyncState.Syncing) ? CacheSyncState.Syncing
            : CacheSyncState.Synced;
    }

    public IEnumerable<ReflectorStatus> Degraded => Reflectors.Where(r => r.State == CacheSyncState.Degraded);

    /// <summary>Kinds whose watch has been failing for longer than <see cref="ClusterCacheOptions.StaleAfter"/>.</summary>
    public IEnumerable<ReflectorStatus> Stale => Reflectors.Where(r => r.IsStale);
}
