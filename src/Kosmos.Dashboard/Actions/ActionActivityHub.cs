using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// The in-process <see cref="IActionActivity"/>: the executor publishes, pages and other services watch. A singleton;
/// thread-safe. Each watcher has its own bounded channel (newest kept), so a slow one never slows the executor.
/// </summary>
public sealed class ActionActivityHub : IActionActivity
{
    private const int BufferPerWatcher = 256;

    private readonly ConcurrentDictionary<Guid, ActionActivity> _running = new();
    private readonly ConcurrentDictionary<AgentRef, ActionActivity> _latest = new();
    private readonly ConcurrentDictionary<Channel<ActionActivity>, byte> _watchers = new();

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
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(activity);
        }
    }

    public async IAsyncEnumerable<ActionActivity> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ActionActivity>(new BoundedChannelOptions(BufferPerWatcher)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _watchers[channel] = 0;
        try
        {
            while (true)
            {
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cancellationToken))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                while (channel.Reader.TryRead(out var activity))
                {
                    yield return activity;
                }
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }
}
