using System.Collections.Immutable;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// The cache's state and its fan-out. Reflectors apply changes (under one lock, each change also queued as pending);
/// the batching loop hands the pending changes to every subscriber as one batch per window. Snapshot and subscription are
/// taken under the same lock, so a subscriber's snapshot plus the batches it then receives always add up to the state.
/// Thread-safe.
/// </summary>
internal sealed class ClusterStore
{
    private readonly Lock _gate = new();
    private readonly int _subscriberCapacity;
    private readonly Action<int> _subscriberResynced;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<Subscriber> _subscribers = [];
    private ImmutableArray<ImmutableDictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>> _kinds =
        [.. ClusterResourceKinds.All.Select(_ => ImmutableDictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>.Empty)];

    private List<ClusterChange> _pending = [];
    private bool _completed;

    /// <param name="subscriberCapacity">Unread batches a subscriber may have before it is resynced.</param>
    /// <param name="subscriberResynced">Told (with the subscriber's id) when a subscriber is resynced.</param>
    public ClusterStore(int subscriberCapacity, Action<int>? subscriberResynced = null)
    {
        _subscriberCapacity = subscriberCapacity;
        _subscriberResynced = subscriberResynced ?? (_ => { });
    }

    public int SubscriberCount
    {
        get { lock (_gate) { return _subscribers.Count; } }
    }

    public ClusterSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new ClusterSnapshot(_kinds);
        }
    }

    /// <summary>Adds or replaces an object. Returns false when the cache already held this very version.</summary>
    public bool Upsert(ClusterResourceKind kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_gate)
        {
            var objects = _kinds[(int)kind];
            if (objects.TryGetValue(key, out var held) && SameVersion(held, obj))
            {
                return false;
            }

            _kinds = _kinds.SetItem((int)kind, objects.SetItem(key, obj));
            _pending.Add(new ClusterChange(ClusterChangeType.Upsert, kind, obj));
        }

        _changed.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Removes an object; <paramref name="obj"/> is its last state (a DELETED event's object). Returns false when it was not held.</summary>
    public bool Delete(ClusterResourceKind kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_gate)
        {
            var objects = _kinds[(int)kind];
            if (!objects.ContainsKey(key))
            {
                return false;
            }

            _kinds = _kinds.SetItem((int)kind, objects.Remove(key));
            _pending.Add(new ClusterChange(ClusterChangeType.Delete, kind, obj));
        }

        _changed.Writer.TryWrite(true);
        return true;
    }

    /// <summary>
    /// Replaces one kind's objects in one namespace with a fresh list, emitting only the difference: deletes for what
    /// vanished, upserts for what is new or changed (by uid and resourceVersion); a recreated object (same name, new uid)
    /// is a delete of the old one and an upsert of the new. Returns the number of changes.
    /// </summary>
    public int Replace(ClusterResourceKind kind, string ns, IReadOnlyCollection<IKubernetesObject<V1ObjectMeta>> items)
    {
        var changes = 0;
        lock (_gate)
        {
            var objects = _kinds[(int)kind];
            var builder = objects.ToBuilder();
            var fresh = new Dictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>(items.Count);
            foreach (var item in items)
            {
                fresh[ObjectKey.Of(item)] = item;
            }

            foreach (var (key, held) in objects.Where(p => p.Key.Namespace == ns))
            {
                if (!fresh.TryGetValue(key, out var now) || !SameUid(held, now))
                {
                    builder.Remove(key);
                    _pending.Add(new ClusterChange(ClusterChangeType.Delete, kind, held));
                    changes++;
                }
            }

            foreach (var (key, now) in fresh)
            {
                if (!builder.TryGetValue(key, out var held) || !SameVersion(held, now))
                {
                    builder[key] = now;
                    _pending.Add(new ClusterChange(ClusterChangeType.Upsert, kind, now));
                    changes++;
                }
            }

            if (changes > 0)
            {
                _kinds = _kinds.SetItem((int)kind, builder.ToImmutable());
            }
        }

        if (changes > 0)
        {
            _changed.Writer.TryWrite(true);
        }

        return changes;
    }

    /// <summary>Registers a subscriber; its snapshot is taken atomically with the registration.</summary>
    public ClusterSubscription Subscribe()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            var subscriber = new Subscriber(_subscriberCapacity);
            _subscribers.Add(subscriber);
            return new ClusterSubscription(new ClusterSnapshot(_kinds), subscriber.Reader, () => Unsubscribe(subscriber), () => subscriber.Resyncs);
        }
    }

    /// <summary>
    /// Hands pending changes to subscribers: at once when the cache was quiet, and at most once per <paramref name="window"/>
    /// while changes keep coming (everything that arrives within a window after a delivery travels together). Ends when cancelled.
    /// </summary>
    public async Task RunBatchingAsync(TimeSpan window, TimeProvider time, CancellationToken ct)
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                _changed.Reader.TryRead(out _);

                // Deliver first, then pause: a lone change (the common case: one pod's status) waits for nothing, while a
                // burst (a relist, a rollout of hundreds of pods) still reaches subscribers as a few large batches. The old
                // order — wait a 75 ms window, then deliver — cost every update 40 ms on average (the benchmarks' hub p50).
                Flush();
                await Task.Delay(window, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Delivers pending changes now (the batching loop's step; tests call it directly).</summary>
    public void Flush()
    {
        List<ClusterChange> batch;
        Subscriber[] subscribers;
        ClusterSnapshot state;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = _pending;
            _pending = [];
            subscribers = [.. _subscribers];

            // The state right after this batch: what a subscriber that is resynced now must start from.
            state = new ClusterSnapshot(_kinds);
        }

        var changes = new ClusterChangeBatch(batch, resync: null);
        foreach (var subscriber in subscribers)
        {
            if (!subscriber.Deliver(changes, state))
            {
                _subscriberResynced(subscriber.Id);
            }
        }
    }

    /// <summary>Ends every subscription (their readers complete) and refuses new ones.</summary>
    public void Complete()
    {
        Subscriber[] subscribers;
        lock (_gate)
        {
            _completed = true;
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }

        subscriber.Complete();
    }

    private static bool SameUid(IKubernetesObject<V1ObjectMeta> a, IKubernetesObject<V1ObjectMeta> b) =>
        string.Equals(a.Metadata?.Uid, b.Metadata?.Uid, StringComparison.Ordinal);

    // resourceVersions are opaque: equal or not, never older or newer.
    private static bool SameVersion(IKubernetesObject<V1ObjectMeta> a, IKubernetesObject<V1ObjectMeta> b) =>
        SameUid(a, b) && string.Equals(a.Metadata?.ResourceVersion, b.Metadata?.ResourceVersion, StringComparison.Ordinal);

    /// <summary>One subscriber's queue. Written only by the batching loop; read by the subscriber.</summary>
    private sealed class Subscriber(int capacity)
    {
        private static int _nextId;
        private readonly Channel<ClusterChangeBatch> _queue = Channel.CreateBounded<ClusterChangeBatch>(
            new BoundedChannelOptions(capacity) { SingleWriter = true, SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

        private int _resyncs;
        private volatile bool _completed;

        public int Id { get; } = Interlocked.Increment(ref _nextId);

        public ChannelReader<ClusterChangeBatch> Reader => _queue.Reader;

        public int Resyncs => Volatile.Read(ref _resyncs);

        /// <summary>Queues a batch; a full queue is thrown away and replaced by a resync to <paramref name="state"/>. Never waits.</summary>
        public bool Deliver(ClusterChangeBatch batch, ClusterSnapshot state)
        {
            if (_completed || _queue.Writer.TryWrite(batch))
            {
                return true;
            }

            // The reader may take a stale batch while this drains: harmless, the resync that follows replaces everything.
            while (_queue.Reader.TryRead(out _))
            {
            }

            Interlocked.Increment(ref _resyncs);
            _queue.Writer.TryWrite(new ClusterChangeBatch([], state));
            return false;
        }

        public void Complete()
        {
            _completed = true;
            _queue.Writer.TryComplete();
        }
    }
}
