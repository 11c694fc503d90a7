using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s.Models;
using Kosmos.Cluster.Connection;
using Kosmos.Cluster.Mapping;
using Kosmos.Cluster.Watching;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Board;

/// <summary>
/// The live board behind every viewer: one subscription to the shared <see cref="IClusterCache"/>, objects mapped to domain
/// snapshots once, agents re-classified only when something about them changed (and every few seconds, a slice at a time,
/// because health depends on time too), and the resulting summary changes fanned out in batches to bounded per-subscriber queues.
/// A singleton and hosted service; all public members are thread-safe. <paramref name="health"/>: the classifier's
/// thresholds when a host registers its own (the browser tests, whose simulated cluster runs 30 times faster than the wall
/// clock the thresholds are measured on); the defaults otherwise.
/// </summary>
public sealed partial class AgentBoard(IClusterCache cache, ClusterIdentity identity, TimeProvider time, ILogger<AgentBoard> logger, AgentHealthOptions? health = null)
    : IAgentBoard, IHostedService, IAsyncDisposable
{
    private const int SubscriberCapacity = 64;

    // Every agent is looked at again every Reclassify, a slice at a time: looking at all of them at once holds the loop (and
    // every update behind it) for as long as thousands of classifications take — 85 ms for 2,000 agents on a busy 2-core
    // machine, which the benchmarks saw as a 300 ms stall in hub updates every 5 s. A tenth at a time keeps each pause short.
    private const int ReclassifySlices = 10;
    private static readonly TimeSpan Reclassify = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Lock _lifecycle = new();
    private readonly AgentIndex _index = new() { HealthOptions = health ?? AgentHealthOptions.Default };
    private readonly List<Subscriber> _subscribers = [];
    private readonly Dictionary<string, List<Channel<AgentDetail?>>> _detailSubscribers = [];
    private ImmutableDictionary<string, AgentSummary> _summaries = ImmutableDictionary<string, AgentSummary>.Empty;
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private Task? _stopped;
    private int _disposed;

    public event Action<ClusterStatus>? StatusChanged;

    public ClusterStatus Status => ToStatus(cache.Status);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        cache.StatusChanged += OnCacheStatus;
        var subscription = cache.Subscribe();
        lock (_gate)
        {
            Load(subscription.Snapshot);
            Publish(time.GetUtcNow());
        }

        _loop = Task.Run(() => RunAsync(subscription, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops once; later calls (the host may stop it again after the container disposed it) wait for that same stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            _stopped ??= StopCoreAsync();
        }

        return _stopped.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);

        // The container disposes it once per registration that hands it out (AgentBoard, IAgentBoard, the hosted service).
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping?.Dispose();
        }
    }

    public async IAsyncEnumerable<BoardUpdate> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var afterResync = false;
        while (true)
        {
            var subscriber = new Subscriber(Channel.CreateBounded<IReadOnlyList<BoardChange>>(new BoundedChannelOptions(SubscriberCapacity) { SingleReader = true }));
            IReadOnlyList<AgentSummary> snapshot;
            lock (_gate)
            {
                // Under the gate Publish holds: the snapshot and the first change after it cannot miss or repeat anything.
                _subscribers.Add(subscriber);
                snapshot = [.. _summaries.Values];
            }

            try
            {
                yield return new BoardUpdate.Snapshot(snapshot, afterResync);
                var reader = subscriber.Channel.Reader;
                while (await reader.WaitToReadAsync(cancellationToken))
                {
                    if (Drain(reader) is { Count: > 0 } changes)
                    {
                        yield return new BoardUpdate.Changes(changes);
                    }
                }
            }
            finally
            {
                Unsubscribe(subscriber);
            }

            if (!subscriber.Resynced)
            {
                yield break; // the board stopped
            }

            // Cut off for falling behind: start over from a fresh snapshot.
            afterResync = true;
        }
    }

    public AgentDetail? GetDetail(string ns, string name)
    {
        lock (_gate)
        {
            return _index.Detail(AgentKey.Of(ns, name), time.GetUtcNow());
        }
    }

    public async IAsyncEnumerable<AgentDetail?> WatchDetailAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var key = AgentKey.Of(ns, name);

        // Only the latest detail matters to a viewer: older ones are dropped, never queued up.
        var channel = Channel.CreateBounded<AgentDetail?>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        AgentDetail? current;
        lock (_gate)
        {
            if (!_detailSubscribers.TryGetValue(key, out var list))
            {
                list = [];
                _detailSubscribers[key] = list;
            }

            list.Add(channel);
            current = _index.Detail(key, time.GetUtcNow());
        }

        try
        {
            yield return current;
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                if (channel.Reader.TryRead(out var detail))
                {
                    yield return detail;
                }
            }
        }
        finally
        {
            UnsubscribeDetail(key, channel);
        }
    }

    // Everything queued goes out as one update: a reader that was busy catches up in one step (one render, one hub message).
    private static IReadOnlyList<BoardChange> Drain(ChannelReader<IReadOnlyList<BoardChange>> reader)
    {
        if (!reader.TryRead(out var first))
        {
            return [];
        }

        if (!reader.TryRead(out var second))
        {
            return first;
        }

        var all = new List<BoardChange>(first.Count + second.Count);
        all.AddRange(first);
        all.AddRange(second);
        while (reader.TryRead(out var more))
        {
            all.AddRange(more);
        }

        return all;
    }

    private async Task RunAsync(ClusterSubscription subscription, CancellationToken ct)
    {
        using var _ = subscription;
        using var timer = new PeriodicTimer(Reclassify / ReclassifySlices, time);
        var slice = 0;
        var tick = timer.WaitForNextTickAsync(ct).AsTask();
        var read = subscription.Changes.WaitToReadAsync(ct).AsTask();
        try
        {
            while (true)
            {
                var done = await Task.WhenAny(tick, read);
                if (done == tick)
                {
                    await tick;
                    lock (_gate)
                    {
                        // Health depends on time (grace periods, deadlines): look at the next slice of agents again; only changes are sent.
                        _index.MarkSliceDirty(slice, ReclassifySlices);
                        slice = (slice + 1) % ReclassifySlices;

                        Publish(time.GetUtcNow());
                    }

                    tick = timer.WaitForNextTickAsync(ct).AsTask();
                    continue;
                }

                if (!await read)
                {
                    return; // the cache stopped
                }

                lock (_gate)
                {
                    while (subscription.Changes.TryRead(out var batch))
                    {
                        if (batch.Resync is { } snapshot)
                        {
                            Load(snapshot);
                        }

                        foreach (var change in batch.Changes)
                        {
                            Apply(change);
                        }
                    }

                    Publish(time.GetUtcNow());
                }

                read = subscription.Changes.WaitToReadAsync(ct).AsTask();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            LogLoopFailed(ex);
            throw;
        }
    }

    private void Load(ClusterSnapshot snapshot)
    {
        _index.Clear();
        foreach (var kind in ClusterResourceKinds.All)
        {
            foreach (var obj in snapshot[kind].Values)
            {
                Apply(new ClusterChange(ClusterChangeType.Upsert, kind, obj));
            }
        }
    }

    private void Apply(ClusterChange change)
    {
        var ns = change.Key.Namespace;
        var name = change.Key.Name;
        var upsert = change.Type != ClusterChangeType.Delete;
        try
        {
            switch (change.Kind)
            {
                case ClusterResourceKind.Pods when upsert:
                    _index.Upsert(change.Object is CachedPod cached ? cached.Snapshot : KubernetesModelMapper.ToPodSnapshot((V1Pod)change.Object));
                    break;
                case ClusterResourceKind.Pods:
                    _index.RemovePod(ns, name);
                    break;
                case ClusterResourceKind.Deployments when upsert:
                    _index.Upsert(KubernetesModelMapper.ToDeploymentSnapshot((V1Deployment)change.Object));
                    break;
                case ClusterResourceKind.Deployments:
                    _index.RemoveDeployment(ns, name);
                    break;
                case ClusterResourceKind.ReplicaSets when upsert:
                    _index.Upsert(KubernetesModelMapper.ToReplicaSetSnapshot((V1ReplicaSet)change.Object));
                    break;
                case ClusterResourceKind.ReplicaSets:
                    _index.RemoveReplicaSet(ns, name);
                    break;
                case ClusterResourceKind.Events when upsert:
                    _index.Upsert(KubernetesModelMapper.ToEventSnapshot((Corev1Event)change.Object));
                    break;
                case ClusterResourceKind.Events:
                    _index.RemoveEvent(ns, name);
                    break;
                case ClusterResourceKind.PersistentVolumeClaims when upsert:
                    _index.Upsert(KubernetesModelMapper.ToPvcSnapshot((V1PersistentVolumeClaim)change.Object));
                    break;
                case ClusterResourceKind.PersistentVolumeClaims:
                    _index.RemoveClaim(ns, name);
                    break;
                case ClusterResourceKind.VolumeSnapshots when upsert:
                    _index.Upsert(KubernetesModelMapper.ToVolumeSnapshotSnapshot(((CustomResource)change.Object).Json));
                    break;
                case ClusterResourceKind.VolumeSnapshots:
                    _index.RemoveVolumeSnapshot(ns, name);
                    break;
            }
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or InvalidOperationException)
        {
            // One malformed object must not take the board down; it is logged and skipped.
            LogMapFailed(ex, change.Kind, ns, name);
        }
    }

    // Under _gate: re-classify touched agents, send what changed to board and detail subscribers.
    private void Publish(DateTimeOffset now)
    {
        var changes = new List<BoardChange>();
        foreach (var key in _index.TakeDirty())
        {
            var summary = _index.Summarize(key, now);
            var old = _summaries.GetValueOrDefault(key);
            if (summary is null && old is not null)
            {
                _summaries = _summaries.Remove(key);
                changes.Add(new BoardChange.Removed(key));
            }
            else if (summary is not null && summary != old)
            {
                _summaries = _summaries.SetItem(key, summary);
                changes.Add(new BoardChange.Upsert(summary));
            }

            if (_detailSubscribers.TryGetValue(key, out var details))
            {
                var detail = _index.Detail(key, now);
                details.ForEach(c => c.Writer.TryWrite(detail));
            }
        }

        if (changes.Count == 0)
        {
            return;
        }

        foreach (var s in _subscribers)
        {
            if (!s.Channel.Writer.TryWrite(changes))
            {
                // Too far behind: cut it off rather than let it hold memory or slow anyone; it resubscribes for a fresh snapshot.
                s.Resynced = true;
                s.Channel.Writer.TryComplete();
            }
        }

        _subscribers.RemoveAll(s => s.Resynced);
    }

    private async Task StopCoreAsync()
    {
        cache.StatusChanged -= OnCacheStatus;
        if (_stopping is not null)
        {
            await _stopping.CancelAsync();
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Channel.Writer.TryComplete();
            }

            foreach (var list in _detailSubscribers.Values)
            {
                list.ForEach(c => c.Writer.TryComplete());
            }
        }
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }

        subscriber.Channel.Writer.TryComplete();
    }

    private void UnsubscribeDetail(string key, Channel<AgentDetail?> channel)
    {
        lock (_gate)
        {
            if (_detailSubscribers.TryGetValue(key, out var list))
            {
                list.Remove(channel);
                if (list.Count == 0)
                {
                    _detailSubscribers.Remove(key);
                }
            }
        }

        channel.Writer.TryComplete();
    }

    private void OnCacheStatus(ClusterCacheStatus status)
    {
        try
        {
            StatusChanged?.Invoke(ToStatus(status));
        }
        catch (Exception ex)
        {
            LogStatusHandlerFailed(ex);
        }
    }

    private ClusterStatus ToStatus(ClusterCacheStatus status) => new(
        identity.Name,
        identity.Server,
        identity.IsSimulated,
        status.IsSynced,
        [.. status.Reflectors.Select(r => new KindStatus(r.Kind.ResourceName(), r.Namespace,
            r.State switch
            {
                CacheSyncState.Synced => KindSyncState.Synced,
                CacheSyncState.Degraded => KindSyncState.Degraded,
                _ => KindSyncState.Syncing,
            },
            r.Reason ?? r.LastError, r.LastEventAt, r.IsStale, r.FailingSince, r.LastContactAt))]);

    [LoggerMessage(Level = LogLevel.Error, Message = "The agent board's update loop failed")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not map {Kind} {Namespace}/{Name}; it is left off the board")]
    private partial void LogMapFailed(Exception ex, ClusterResourceKind kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster status handler failed")]
    private partial void LogStatusHandlerFailed(Exception ex);

    private sealed class Subscriber(Channel<IReadOnlyList<BoardChange>> channel)
    {
        public Channel<IReadOnlyList<BoardChange>> Channel { get; } = channel;

        public bool Resynced { get; set; }
    }
}
