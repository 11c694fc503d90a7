using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Board;

/// <summary>
/// One board row's running action, from the live activity stream. The board virtualises its rows, so only the rows on screen
/// subscribe (a few dozen watchers of a stream that carries a few values a second while actions run).
/// </summary>
public sealed partial class AgentRowActivity : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private ActionActivity? _running;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    [Inject]
    private IActionActivity Activity { get; set; } = default!;

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override void OnInitialized()
    {
        _running = Activity.Running.LastOrDefault(a => a.Target == Target);
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
                    // An ended action leaves the row (its result is on the agent page and in the audit).
                    _running = activity.IsRunning ? activity : null;
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The row scrolled away between a value and its render.
        }
    }
}
