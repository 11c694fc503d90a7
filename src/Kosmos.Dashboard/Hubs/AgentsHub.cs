using System.Runtime.CompilerServices;
using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Guidance;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Kosmos.Dashboard.Hubs;

/// <summary>
/// Read-only live agent state for non-Blazor clients (wallboards, scripts) at <c>/hubs/agents</c>. Each stream has its own
/// subscription to the shared board, so it costs the API server nothing, and its own bounded buffer (SignalR's stream
/// back-pressure plus the board's per-subscriber limit): a slow or dead client is resynced or dropped, never slowing others.
/// </summary>
[Authorize(Policy = KosmosPolicies.View)]
public sealed class AgentsHub(IAgentBoard board, IncidentService incidents) : Hub
{
    /// <summary>
    /// A snapshot of every agent, then changes, until the client stops the stream; a client that fell behind gets a fresh
    /// snapshot and changes from there.
    /// </summary>
    public IAsyncEnumerable<BoardMessage> Board(CancellationToken ct) => board.WatchAsync(ct).Select(BoardMessage.From);

    /// <summary>One agent's summary and pods now, and again on every change; an empty message with Agent null when it is gone.</summary>
    public IAsyncEnumerable<AgentDetailMessage> Agent(string @namespace, string name, CancellationToken ct) =>
        board.WatchDetailAsync(@namespace, name, ct).Select(ToMessage);

    /// <summary>Every incident (open and recently resolved) with its timeline and checklist, then each incident again whenever it changes.</summary>
    public async IAsyncEnumerable<IncidentStreamMessage> Incidents([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var update in incidents.WatchAsync(ct))
        {
            yield return update.Snapshot is { } snapshot
                ? new IncidentStreamMessage("snapshot", [.. snapshot.Select(IncidentMessage.From)])
                : new IncidentStreamMessage("changes", [IncidentMessage.From(update.Changed!)]);
        }
    }

    /// <summary>The agent's runbook guidance now (as <c>GET /api/agents/{ns}/{name}/guidance</c>), or null when there is no such agent.</summary>
    public async Task<GuidanceMessage?> Guidance(string @namespace, string name, [FromServices] GuidanceReader reader) =>
        await reader.ReadAsync(@namespace, name, Context.ConnectionAborted) is { } guidance ? GuidanceMessage.From(guidance) : null;

    private static AgentDetailMessage ToMessage(AgentDetail? detail) => detail is null
        ? new AgentDetailMessage(null, [])
        : new AgentDetailMessage(AgentMessage.From(detail.Summary), [.. detail.Pods.Select(PodMessage.From)]);
}
