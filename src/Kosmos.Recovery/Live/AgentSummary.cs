using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Live;

/// <summary>One row of the board: an agent (a Deployment, or pods labelled app=&lt;agent&gt; without one) and its verdict.</summary>
/// <param name="Restarts">Container restarts summed over the agent's current pods.</param>
/// <param name="LastChange">The most recent change seen for this agent: a rollout, a pod start or termination, an event.</param>
/// <param name="Images">Images of the agent's template (or pods when there is no deployment).</param>
public sealed record AgentSummary(
    string Namespace,
    string Name,
    AgentHealth Health,
    int ReadyPods,
    int DesiredPods,
    int Restarts,
    DateTimeOffset? LastChange,
    ValueList<string> Images,
    bool HasDeployment)
{
    public string Key => AgentKey.Of(Namespace, Name);
}

/// <summary>Everything about one agent the agent page shows, as of one moment.</summary>
public sealed record AgentDetail(
    AgentSummary Summary,
    DeploymentSnapshot? Deployment,
    ValueList<PodSnapshot> Pods,
    ValueList<ReplicaSetSnapshot> ReplicaSets,
    ValueList<EventSnapshot> Events,
    ValueList<PvcSnapshot> Claims,
    ValueList<VolumeSnapshotSnapshot> VolumeSnapshots);

public static class AgentKey
{
    public static string Of(string ns, string name) => $"{ns}/{name}";
}
