using System.Collections.Concurrent;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// The in-process <see cref="IActionActivity"/>: the executor publishes, pages and other services watch. A singleton;
/// thread-safe. Each watcher has its own bounded channel (newest kept), so a slow one never slows the executor.
/// </summary>
public sealed class ActionActivityHub : IActionActivity
{
    private readonly ConcurrentDictionary<Guid, ActionActivity> _running = new();
    private readonly ConcurrentDictionary<AgentRef, ActionActivity> _latest = new();
    private readonly Broadcast<ActionActivity> _broadcast = new();

    public IReadOnlyList<ActionActivity> Running => [.. _running.Values.OrderBy(a => a.StartedAt)];

    public ActionActivity? Latest(AgentRef target) => _latest.GetValueOrDefault(target);

    public void Publish(ActionActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.IsRunning)
        {
            _running[activity.ActionId] = activity;
        }
        else
        {
            _running.TryRemove(activity.ActionId, out _);
        }

        _latest[activity.Target] = activity;
        _broadcast.Publish(activity);
    }

    public IAsyncEnumerable<ActionActivity> WatchAsync(CancellationToken cancellationToken) => _broadcast.WatchAsync(cancellationToken);
}
