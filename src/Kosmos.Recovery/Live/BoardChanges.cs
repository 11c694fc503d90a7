namespace Kosmos.Recovery.Live;

/// <summary>A change to the board: an agent's summary appeared or changed, or an agent is gone.</summary>
public abstract record BoardChange(string Key)
{
    public sealed record Upsert(AgentSummary Agent) : BoardChange(Agent.Key);

    public sealed record Removed(string AgentKey) : BoardChange(AgentKey);
}

/// <summary>The state of the connection to the cluster, as the banner shows it.</summary>
/// <param name="Kinds">Per resource kind (pods, deployments, ...): its sync state.</param>
/// <param name="ClusterName">The kubeconfig context's cluster name (or the simulator's).</param>
/// <param name="Server">The API server's address.</param>
/// <param name="IsSimulated">True when the dashboard talks to the simulator.</param>
/// <param name="IsSynced">True once every kind has listed.</param>
public sealed record ClusterStatus(
    string ClusterName,
    string Server,
    bool IsSimulated,
    bool IsSynced,
    IReadOnlyList<KindStatus> Kinds)
{
    public IEnumerable<KindStatus> Degraded => Kinds.Where(k => k.State == KindSyncState.Degraded);

    /// <summary>Kinds whose watch has been failing for more than a few seconds: what the board shows of them may be out of date.</summary>
    public IEnumerable<KindStatus> Stale => Kinds.Where(k => k.IsStale);

    /// <summary>True while any kind's lists and watches are failing (stale or not yet): a view should tick its "ago" texts.</summary>
    public bool AnyFailing => Kinds.Any(k => k.FailingSince is not null);
}

public enum KindSyncState
{
    Syncing,
    Synced,
    Degraded,
}

/// <summary>Sync state of one resource kind in one namespace; <paramref name="Reason"/> says why it is degraded or what last failed.</summary>
/// <param name="IsStale">Failing for more than a few seconds (the cache's StaleAfter).</param>
/// <param name="FailingSince">When the current spell of failures began; null while the API server answers.</param>
/// <param name="LastUpdateAt">When the API server last answered for this kind: the data is current as of then.</param>
/// <param name="Kind">The resource kind (pods, deployments, ...).</param>
/// <param name="Namespace">The namespace it is watched in.</param>
/// <param name="State">Syncing, synced or degraded.</param>
/// <param name="Reason">Why it is degraded or what last failed; null when nothing did.</param>
/// <param name="LastEventAt">When the last watch event for this kind arrived.</param>
public sealed record KindStatus(string Kind, string Namespace, KindSyncState State, string? Reason, DateTimeOffset? LastEventAt,
    bool IsStale = false, DateTimeOffset? FailingSince = null, DateTimeOffset? LastUpdateAt = null);
