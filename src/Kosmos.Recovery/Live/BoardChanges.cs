namespace Kosmos.Recovery.Live;

/// <summary>A change to the board: an agent's summary appeared or changed, or an agent is gone.</summary>
public abstract record BoardChange(string Key)
{
    public sealed record Upsert(AgentSummary Agent) : BoardChange(Agent.Key);

    public sealed record Removed(string AgentKey) : BoardChange(AgentKey);
}

/// <summary>The state of the connection to the cluster, as the banner shows it.</summary>
/// <param name="Kinds">Per resource kind (pods, deployments, ...): its sync state.</param>
public sealed record ClusterStatus(
    string ClusterName,
    string Server,
    bool IsSimulated,
    bool IsSynced,
    IReadOnlyList<KindStatus> Kinds)
{
    public IEnumerable<KindStatus> Degraded => Kinds.Where(k => k.State == KindSyncState.Degraded);
}

public enum KindSyncState
{
    Syncing,
    Synced,
    Degraded,
}

/// <summary>Sync state of one resource kind in one namespace; <paramref name="Reason"/> says why it is degraded or what last failed.</summary>
public sealed record KindStatus(string Kind, string Namespace, KindSyncState State, string? Reason, DateTimeOffset? LastEventAt);
