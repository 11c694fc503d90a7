using System.Globalization;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>The board's texts for one agent.</summary>
public static class AgentRowText
{
    /// <summary>Evidence lines shown under the reason on the board; the agent page has them all.</summary>
    public const int EvidencePreview = 2;

    public static string Pods(AgentSummary agent) =>
        string.Create(CultureInfo.InvariantCulture, $"{agent.ReadyPods}/{agent.DesiredPods}");

    /// <summary>How long the current state has lasted: "for 12m", or a dash.</summary>
    public static string Since(AgentSummary agent, DateTimeOffset now) =>
        agent.Health.Since is null ? TimeText.None : "for " + TimeText.Duration(agent.Health.Since, now);

    public static string LastChange(AgentSummary agent, DateTimeOffset now) => TimeText.Ago(agent.LastChange, now);

    public static IReadOnlyList<string> Evidence(AgentSummary agent) => [.. agent.Health.Evidence.Take(EvidencePreview)];

    public static int MoreEvidence(AgentSummary agent) => Math.Max(0, agent.Health.Evidence.Count - EvidencePreview);
}
