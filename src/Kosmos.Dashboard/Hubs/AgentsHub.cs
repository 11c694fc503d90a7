using System.Runtime.CompilerServices;
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
public sealed class AgentsHub(IAgentBoard board) : Hub
{
    /// <summary>A snapshot of every agent, then batches of changes, until the client stops the stream.</summary>
    public async IAsyncEnumerable<BoardMessage> Board([EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var subscription = board.Subscribe();
            yield return new BoardMessage("snapshot", [.. subscription.Snapshot.Select(AgentMessage.From)], []);
            while (await subscription.Changes.WaitToReadAsync(ct))
            {
                while (subscription.Changes.TryRead(out var batch))
                {
                    yield return new BoardMessage("changes",
                        [.. batch.OfType<BoardChange.Upsert>().Select(u => AgentMessage.From(u.Agent))],
                        [.. batch.OfType<BoardChange.Removed>().Select(r => r.AgentKey)]);
                }
            }

            if (!subscription.Resynced)
            {
                yield break; // the board stopped
            }

            // Fell behind: the loop subscribes again and sends a fresh snapshot.
        }
    }

    /// <summary>One agent's summary and pods now, and again on every change; an empty message with Agent null when it is gone.</summary>
    public async IAsyncEnumerable<AgentDetailMessage> Agent(string @namespace, string name, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = board.SubscribeDetail(@namespace, name);
        yield return ToMessage(subscription.Current);
        while (await subscription.Updates.WaitToReadAsync(ct))
        {
            while (subscription.Updates.TryRead(out var detail))
            {
                yield return ToMessage(detail);
            }
        }
    }

    /// <summary>The agent's runbook guidance now (as <c>GET /api/agents/{ns}/{name}/guidance</c>), or null when there is no such agent.</summary>
    public async Task<GuidanceMessage?> Guidance(string @namespace, string name, [FromServices] GuidanceReader reader) =>
        await reader.ReadAsync(@namespace, name, Context.ConnectionAborted) is { } guidance ? GuidanceMessage.From(guidance) : null;

    private static AgentDetailMessage ToMessage(AgentDetail? detail) => detail is null
        ? new AgentDetailMessage(null, [])
        : new AgentDetailMessage(AgentMessage.From(detail.Summary), [.. detail.Pods.Select(PodMessage.From)]);
}
