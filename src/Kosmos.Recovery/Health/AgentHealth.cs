using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Health;

/// <summary>
/// The verdict on one agent: a state, one line to read, and evidence a person can check against
/// <c>kubectl describe</c> or the events.
/// </summary>
/// <param name="Since">Best estimate of when the current state began (problem start for failures); null when unknown.</param>
/// <param name="AffectedPods">Pods that show the problem, for actions such as "view previous logs" or "delete pod".</param>
/// <param name="AgentName">The agent (Deployment name, or the app label of its pods).</param>
/// <param name="State">The verdict.</param>
/// <param name="Summary">One line a person reads first.</param>
/// <param name="Evidence">Lines a person can check against <c>kubectl describe</c> or the events.</param>
/// <param name="RunbookSection">Where the runbook covers this state.</param>
/// <param name="ReadyPods">Pods ready now.</param>
/// <param name="DesiredPods">Pods the Deployment asks for (the pods seen when there is none).</param>
public sealed record AgentHealth(
    string AgentName,
    HealthState State,
    string Summary,
    ValueList<string> Evidence,
    DateTimeOffset? Since,
    RunbookSection RunbookSection,
    int ReadyPods,
    int DesiredPods,
    ValueList<string> AffectedPods);
