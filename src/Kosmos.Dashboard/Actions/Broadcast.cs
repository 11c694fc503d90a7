using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// Fans values out to any number of watchers, each with its own bounded buffer that drops the oldest value when full, so a
/// slow watcher never slows the publisher. Thread-safe.
/// </summary>
public sealed class Broadcast<T>(int bufferPerWatcher = 256)
{
    private readonly ConcurrentDictionary<Channel<T>, byte> _watchers = new();

    public void Publish(T value)
    {
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(value);
        }
    }

    /// <summary>Every value published from now on; ends without an exception when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<T> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(bufferPerWatcher) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
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

                while (channel.Reader.TryRead(out var value))
                {
                    yield return value;
                }
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }
}
