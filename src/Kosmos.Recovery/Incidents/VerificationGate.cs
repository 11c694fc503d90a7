using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Recovery.Incidents;

/// <summary>
/// When "Verify agent functionality" may be ticked: the rollout is complete and every desired pod is Ready (the board's
/// verdict is Healthy), and nothing new went wrong (no restart, no Warning event) for the whole settle window. Pure.
/// </summary>
public static class VerificationGate
{
    /// <summary>Whether the agent looks recovered right now (the start condition of the quiet window).</summary>
    public static bool LooksRecovered(AgentSummary agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.Health.State == HealthState.Healthy && agent.DesiredPods > 0 && agent.ReadyPods >= agent.DesiredPods;
    }

    /// <summary>Why the gate does not hold yet, or null when it holds.</summary>
    public static string? Pending(Incident incident, AgentSummary? agent, DateTimeOffset now, TimeSpan settle)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (agent is null)
        {
            return "the agent is not on the board";
        }

        if (!LooksRecovered(agent))
        {
            return $"the agent is {agent.Health.State} ({agent.ReadyPods}/{agent.DesiredPods} pods ready)";
        }

        if (incident.QuietSince is not { } quiet)
        {
            return "the agent has not been quiet yet";
        }

        var left = settle - (now - quiet);
        return left > TimeSpan.Zero ? $"quiet for {Durations.Format(now - quiet)} of {Durations.Format(settle)}" : null;
    }
}
