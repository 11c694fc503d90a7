using Kosmos.Recovery.Live;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.Guidance;

/// <summary>
/// Builds an agent's <see cref="AgentGuidance"/> for the hub and the HTTP API: the agent from the shared board, the crashed
/// run's log when the guide asks for one (one read of the API server's log endpoint), the rules from Kosmos.Recovery.
/// A singleton; thread-safe.
/// </summary>
public sealed class GuidanceReader(IAgentBoard board, IPodLogs logs, TimeProvider time)
{
    /// <summary>How many lines of the previous run the guidance reads (the page reads as many).</summary>
    public const int PreviousLogTail = 200;

    /// <summary>The guidance for the agent now, or null when there is no such agent. Cancellation abandons the log read.</summary>
    public async Task<AgentGuidance?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (board.GetDetail(ns, name) is not { } detail)
        {
            return null;
        }

        var target = RunbookGuide.Build(detail, time.GetUtcNow())?.PreviousLog;
        var log = target is null ? null : await logs.ReadAsync(ns, target.Pod, target.Container, previous: true, PreviousLogTail, cancellationToken);
        return AgentGuidance.Build(detail, time.GetUtcNow(), log?.Error is null ? log?.Lines : null, log?.Error, Find);
    }

    /// <summary>An agent's summary by namespace and name, for dependency lookups.</summary>
    public AgentSummary? Find(string ns, string name) => board.GetDetail(ns, name)?.Summary;
}
