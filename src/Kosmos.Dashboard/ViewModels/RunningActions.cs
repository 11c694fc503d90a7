using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The action running on each agent now, for a whole board from one subscription to <see cref="IActionActivity.WatchAsync"/>.
/// Each board row used to subscribe on its own: a component, a channel and a loop per row on screen, in every viewer's circuit.
/// <c>onChange</c> runs on the renderer (a component passes <c>a =&gt; InvokeAsync(() =&gt; { a(); StateHasChanged(); })</c>);
/// read <see cref="On"/> there too. Dispose to stop following.
/// </summary>
public sealed class RunningActions : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<AgentRef, ActionActivity> _running = [];

    public RunningActions(IActionActivity activity, Func<Action, Task> onRenderer)
    {
        ArgumentNullException.ThrowIfNull(activity);
        foreach (var running in activity.Running)
        {
            _running[running.Target] = running;
        }

        _ = FollowAsync(activity, onRenderer, _lifetime.Token);
    }

    /// <summary>The action running on <paramref name="target"/>, or null.</summary>
    public ActionActivity? On(AgentRef target) => _running.GetValueOrDefault(target);

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    private async Task FollowAsync(IActionActivity activity, Func<Action, Task> onRenderer, CancellationToken ct)
    {
        try
        {
            await foreach (var change in activity.WatchAsync(ct))
            {
                // An ended action leaves the row (its result is on the agent page and in the audit).
                await onRenderer(() =>
                {
                    if (change.IsRunning)
                    {
                        _running[change.Target] = change;
                    }
                    else
                    {
                        _running.Remove(change.Target);
                    }
                });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed: the board is gone.
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between a change and its render.
        }
    }
}
