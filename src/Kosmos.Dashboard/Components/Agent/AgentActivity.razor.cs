using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// The agent's latest action as every viewer sees it ("Restart by ada — 1/2 new pods ready"), from the live activity stream,
/// and the audit's Interrupted records of this agent (a dashboard stopped while they ran) with their steps.
/// </summary>
public sealed partial class AgentActivity : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private ActionActivity? _latest;
    private IReadOnlyList<AuditEntry> _interrupted = [];

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    [Inject]
    private IActionActivity Activity { get; set; } = default!;

    [Inject]
    private IAuditLog Audit { get; set; } = default!;

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _latest = Activity.Latest(Target);
        _interrupted = [.. (await Audit.RecentAsync(200, _lifetime.Token))
            .Where(e => e.Namespace == Target.Namespace && e.Agent == Target.Name && e.Status == nameof(ActionStatus.Interrupted)).Take(3)];
        _ = FollowAsync(_lifetime.Token);
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var activity in Activity.WatchAsync(ct))
            {
                if (activity.Target == Target)
                {
                    _latest = activity;
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The page went away between a value and its render.
        }
    }
}
