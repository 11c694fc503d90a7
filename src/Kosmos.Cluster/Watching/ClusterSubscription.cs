using System.Threading.Channels;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// One subscriber's view of the cache: the state when it subscribed (<see cref="Snapshot"/>) and from then on every change,
/// in batches (<see cref="Changes"/>). Read the channel promptly from one loop: a subscriber that falls
/// <c>SubscriberQueueCapacity</c> batches behind has its queue thrown away and gets a batch with
/// <see cref="ClusterChangeBatch.Resync"/> instead — it never slows the cache or other subscribers.
/// Dispose to unsubscribe (the channel then completes); the channel also completes when the cache stops.
/// Thread-safe; <see cref="Dispose"/> may be called more than once.
/// </summary>
public sealed class ClusterSubscription : IDisposable
{
    private readonly Action _unsubscribe;
    private readonly Func<int> _resyncs;
    private int _disposed;

    internal ClusterSubscription(ClusterSnapshot snapshot, ChannelReader<ClusterChangeBatch> changes, Action unsubscribe, Func<int> resyncs)
    {
        Snapshot = snapshot;
        Changes = changes;
        _unsubscribe = unsubscribe;
        _resyncs = resyncs;
    }

    public ClusterSnapshot Snapshot { get; }

    public ChannelReader<ClusterChangeBatch> Changes { get; }

    /// <summary>How often this subscriber fell behind and was resynced.</summary>
    public int Resyncs => _resyncs();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe();
        }
    }
}
