using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Health;

/// <summary>
/// The verdict on one agent: a state, one line to read, and evidence a person can check against
/// <c>kubectl describe</c> or the events.
/// </summary>
/// <param name="Since">Best estimate of when the current state began (problem start for failures); null when unknown.</param>
/// <param name="AffectedPods">Pods that show the problem, for actions such as "view previous logs" or "delete pod".</param>
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
