using System.Threading.Channels;

namespace Kosmos.KubeSim.Store;

/// <summary>
/// A live watch on the store. Read <see cref="Events"/> until it completes; it completes when the subscriber is
/// disposed, when the store drops watches (fault injection), or when the subscriber falls too far behind
/// (its buffer overflowed) — in which case <see cref="Overflowed"/> is true and the client must re-watch, as with a real server.
/// Dispose it to unregister. Thread-safe.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel;
    private readonly Action<WatchSubscription> _unregister;

    internal WatchSubscription(ResourceKind kind, string? ns, bool isInternal, int capacity, Action<WatchSubscription> unregister)
    {
        Kind = kind;
        Namespace = ns;
        IsInternal = isInternal;
        _unregister = unregister;
        _channel = capacity <= 0
            ? Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true })
            : Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ResourceKind Kind { get; }

    /// <summary>The namespace watched, or null for all namespaces.</summary>
    public string? Namespace { get; }

    /// <summary>In-process controllers: not counted as API watches and not dropped by fault injection.</summary>
    public bool IsInternal { get; }

    public bool Overflowed { get; private set; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    internal bool Matches(WatchEvent e) => e.Kind == Kind && (Namespace is null || Namespace == e.Namespace);

    internal void Offer(WatchEvent e)
    {
        if (!_channel.Writer.TryWrite(e))
        {
            // A subscriber that cannot keep up is cut off rather than allowed to slow the store down.
            Overflowed = true;
            _channel.Writer.TryComplete();
        }
    }

    internal void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _unregister(this);
    }
}
