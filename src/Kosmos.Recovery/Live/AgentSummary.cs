using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Live;

/// <summary>One row of the board: an agent (a Deployment, or pods labelled app=&lt;agent&gt; without one) and its verdict.</summary>
/// <param name="Restarts">Container restarts summed over the agent's current pods.</param>
/// <param name="LastChange">The most recent change seen for this agent: a rollout, a pod start or termination, an event.</param>
/// <param name="Images">Images of the agent's template (or pods when there is no deployment).</param>
/// <param name="Namespace">The agent's namespace.</param>
/// <param name="Name">The agent's name.</param>
/// <param name="Health">The verdict, with its evidence.</param>
/// <param name="ReadyPods">Pods ready now.</param>
/// <param name="DesiredPods">Pods the Deployment asks for (the pods seen when there is none).</param>
/// <param name="HasDeployment">False for pods labelled app=&lt;agent&gt; with no Deployment (actions that need one are disabled).</param>
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
    /// <summary>
    /// <c>namespace/name</c>, made once per summary rather than on every read: every board viewer (a Blazor circuit each)
    /// keys its rows by it, and a fresh string per viewer per agent was the largest part of its board state. <c>with</c> that
    /// changes <see cref="Namespace"/> or <see cref="Name"/> makes it again.
    /// </summary>
    public string Key { get; private init; } = AgentKey.Of(Namespace, Name);

    public string Namespace
    {
        get;
        init
        {
            field = value;
            Key = AgentKey.Of(value, this.Name);
        }
    } = Namespace;

    public string Name
    {
        get;
        init
        {
            field = value;
            Key = AgentKey.Of(this.Namespace, value);
        }
    } = Name;
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
