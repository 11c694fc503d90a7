using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Dashboard.Hubs;

/// <summary>
/// One message of the <c>Board</c> stream. The first is <c>snapshot</c> (every agent); then <c>changes</c> (upserted agents
/// and removed keys). A later <c>snapshot</c> means the client fell behind: drop what you hold and apply <see cref="Agents"/> as new.
/// </summary>
public sealed record BoardMessage(string Type, IReadOnlyList<AgentMessage> Agents, IReadOnlyList<string> Removed)
{
    public static BoardMessage From(BoardUpdate update) => update switch
    {
        BoardUpdate.Snapshot s => new BoardMessage("snapshot", [.. s.Agents.Select(AgentMessage.From)], []),
        BoardUpdate.Changes c => FromChanges(c.Items),
        _ => throw new ArgumentOutOfRangeException(nameof(update), update, "unknown board update"),
    };

    // Clients apply the agents, then the removals: an update that caught up several batches may hold an agent removed and
    // then back, so only each agent's last change goes out.
    private static BoardMessage FromChanges(IReadOnlyList<BoardChange> changes)
    {
        var last = new Dictionary<string, BoardChange>(changes.Count, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            last[change.Key] = change;
        }

        return new BoardMessage("changes",
            [.. last.Values.OfType<BoardChange.Upsert>().Select(u => AgentMessage.From(u.Agent))],
            [.. last.Values.OfType<BoardChange.Removed>().Select(r => r.AgentKey)]);
    }
}

/// <summary>An agent as hub clients see it. Keys: <c>namespace/name</c>.</summary>
public sealed record AgentMessage(
    string Key,
    string Namespace,
    string Name,
    string State,
    string Label,
    string Summary,
    IReadOnlyList<string> Evidence,
    DateTimeOffset? Since,
    string RunbookSection,
    int ReadyPods,
    int DesiredPods,
    int Restarts,
    DateTimeOffset? LastChange,
    IReadOnlyList<string> Images)
{
    public static AgentMessage From(AgentSummary a) => new(
        a.Key, a.Namespace, a.Name, a.Health.State.ToString(), HealthStatePresentation.For(a.Health.State).Label, a.Health.Summary,
        a.Health.Evidence, a.Health.Since, a.Health.RunbookSection.ToString(), a.ReadyPods, a.DesiredPods, a.Restarts, a.LastChange, a.Images);
}

/// <summary>One message of the <c>Agent</c> stream: the agent and its pods now (<c>Agent</c> null once it is gone).</summary>
public sealed record AgentDetailMessage(AgentMessage? Agent, IReadOnlyList<PodMessage> Pods);

/// <summary>A pod with the columns kubectl prints, plus its last termination.</summary>
public sealed record PodMessage(
    string Name,
    string Status,
    string Ready,
    int Restarts,
    string? Node,
    DateTimeOffset? Created,
    string? LastTerminationReason,
    int? LastTerminationExitCode,
    DateTimeOffset? LastTerminationAt)
{
    public static PodMessage From(PodSnapshot pod)
    {
        var summary = PodStatusFormatter.Summarize(pod);
        var last = summary.LastTermination;
        return new PodMessage(pod.Name, summary.Status, summary.Ready, summary.Restarts, pod.NodeName, pod.CreationTimestamp,
            last?.Reason, last?.ExitCode, last?.FinishedAt);
    }
}
