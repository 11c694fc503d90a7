using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// One list+watch loop for one kind in one namespace, written like client-go's reflector: paged list, watch from the
/// list's resourceVersion with bookmarks, resume from the last seen resourceVersion when a watch ends, relist on 410 or an
/// ERROR event (the store emits deletes for what vanished meanwhile), capped exponential backoff with jitter reset by the
/// first event of a watch, periodic watch restart, silent-watch detection, Retry-After honoured, and a degraded state with
/// slow retries when the server refuses the kind. Runs until its token is cancelled; only its own loop mutates it, any
/// thread may read <see cref="Status"/>.
/// </summary>
internal sealed class Reflector
{
    // A watch that ends this fast without a single event is treated as a failure, or a server that closes every watch at
    // once would be hammered (client-go calls it a "very short watch").
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);

    private readonly ResourceAdapter _adapter;
    private readonly IKubernetes _client;
    private readonly ClusterStore _store;
    private readonly ClusterCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClusterCacheMetrics _metrics;
    private readonly Action _stateChanged;
    private readonly Func<double> _random;
    private readonly TagList _tags;
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _statusGate = new();

    private CacheSyncState _state = CacheSyncState.Syncing;
    private string? _reason;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastEventAt;
    private DateTimeOffset? _lastSyncAt;

    // The first failure of the current spell of failures (null while the kind is in touch with the server), and the last
    // time the server answered for this kind (a list, an event or bookmark, a watch that stayed open).
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _lastContactAt;
    private long _lists;
    private long _relists;
    private long _watches;
    private long _watchRestarts;
    private long _eventsApplied;

    // Where the next watch resumes; null means "list first". Written by the loop only.
    private volatile string? _resourceVersion;

    public Reflector(ResourceAdapter adapter, string ns, IKubernetes client, ClusterStore store, ClusterCacheOptions options,
        TimeProvider time, ILogger logger, ClusterCacheMetrics metrics, Action stateChanged, Func<double>? random = null)
    {
        _adapter = adapter;
        Namespace = ns;
        _client = client;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _stateChanged = stateChanged;
        _random = random ?? Random.Shared.NextDouble;
        _tags = new TagList { { "kind", adapter.Kind.ResourceName() }, { "namespace", ns } };
    }

    private enum WatchEnd
    {
        /// <summary>The server ended the watch (timeoutSeconds, a dropped connection) or our own timers did: resume now.</summary>
        Resume,

        /// <summary>Ended at once without a single event: resume after a backoff.</summary>
        TooShort,
    }

    public ClusterResourceKind Kind => _adapter.Kind;

    public string Namespace { get; }

    /// <summary>Completes once the kind has listed successfully or has been found degraded, whichever comes first.</summary>
    public Task Settled => _settled.Task;

    public ReflectorStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                return new ReflectorStatus(Kind, Namespace, _state, _reason, _lastError, _lastErrorAt, _lastEventAt, _lastSyncAt, _resourceVersion,
                    new ReflectorCounters(Interlocked.Read(ref _lists), Interlocked.Read(ref _relists), Interlocked.Read(ref _watches),
                        Interlocked.Read(ref _watchRestarts), Interlocked.Read(ref _eventsApplied)))
                {
                    FailingSince = _failingSince,
                    LastContactAt = _lastContactAt,
                    IsStale = IsStaleAt(_time.GetUtcNow()),
                };
            }
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, _random);
        while (!ct.IsCancellationRequested)
        {
            TimeSpan delay;
            bool stale;
            lock (_statusGate)
            {
                stale = IsStaleAt(_time.GetUtcNow());
            }

            if (stale)
            {
                // Shown as stale by now: list rather than resume the watch, so that the answer proves the server is back
                // and everything missed meanwhile is in the cache at once.
                _resourceVersion = null;
            }

            var operation = _resourceVersion is null ? "List" : "Watch";
            try
            {
                if (_resourceVersion is null)
                {
                    await ListAsync(ct).ConfigureAwait(false);
                }

                operation = "Watch";
                delay = await WatchAsync(backoff, ct).ConfigureAwait(false) == WatchEnd.TooShort ? backoff.Next() : TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                delay = OnFailure(operation, ex, backoff);
                if (operation == "Watch" && _resourceVersion is not null)
                {
                    // A watch broken mid-stream (connection reset) is resumed from the last version, like a clean end: a restart.
                    Restarted();
                }
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref _lists) > 1)
        {
            Interlocked.Increment(ref _relists);
            _metrics.Relists.Add(1, _tags);
        }

        _metrics.Lists.Add(1, _tags);
        var items = new List<IKubernetesObject<V1ObjectMeta>>();
        string? resourceVersion = null;
        string? continueToken = null;
        int? limit = _options.ListPageSize;
        var pages = 0;
        while (true)
        {
            ListPage page;
            try
            {
                page = await _adapter.ListPage(_client, Namespace, limit, continueToken, ct).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (continueToken is not null && (int)ex.Response.StatusCode == 410)
            {
                // The snapshot behind the continue token is gone: start over, in one piece this time.
                Log.ContinueExpired(_logger, _adapter.Resource, Namespace);
                (items, resourceVersion, continueToken, limit, pages) = ([], null, null, null, 0);
                continue;
            }

            pages++;
            items.AddRange(page.Items);

            // The first page's version: a real server serves every page from that snapshot; a server that serves later
            // pages from newer state is still safe, because the watch then replays everything after the first page.
            resourceVersion ??= page.ResourceVersion;
            continueToken = page.Continue;
            if (string.IsNullOrEmpty(continueToken))
            {
                break;
            }
        }

        if (string.IsNullOrEmpty(resourceVersion))
        {
            throw new InvalidOperationException($"the list of {_adapter.Resource} carried no resourceVersion to watch from");
        }

        var changes = _store.Replace(Kind, Namespace, items);
        _resourceVersion = resourceVersion;
        Log.Listed(_logger, _adapter.Resource, Namespace, items.Count, resourceVersion, changes, pages);
        bool changed;
        bool recovered;
        lock (_statusGate)
        {
            changed = EndFailingLocked();
            changed |= _state != CacheSyncState.Synced;
            recovered = _state == CacheSyncState.Degraded;
            _state = CacheSyncState.Synced;
            _reason = null;
            _lastSyncAt = _time.GetUtcNow();
        }

        if (recovered)
        {
            Log.Recovered(_logger, _adapter.Resource, Namespace);
        }

        _settled.TrySetResult();
        if (changed)
        {
            _stateChanged();
        }
    }

    private async Task<WatchEnd> WatchAsync(Backoff backoff, CancellationToken ct)
    {
        var resourceVersion = _resourceVersion!;

        // client-go's spread: between one and two timeouts, so that many watches do not all restart together.
        var timeoutSeconds = (int)Math.Max(1, Math.Round(_options.WatchTimeout.TotalSeconds * (1 + _random())));
        Interlocked.Increment(ref _watches);
        _metrics.Watches.Add(1, _tags);
        Log.WatchStarting(_logger, _adapter.Resource, Namespace, resourceVersion, timeoutSeconds);

        // Re-armed by every event and bookmark; firing means the connection is probably half-open.
        using var silence = new CancellationTokenSource(_options.SilentWatchTimeout, _time);

        // In case the server ignores timeoutSeconds: the server's own end is the normal one, so allow it some slack.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds) + _options.SilentWatchTimeout, _time);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(ct, silence.Token, deadline.Token);
        Exception? streamError = null;
        var started = _time.GetTimestamp();
        var received = 0;

        // After failures, a watch that stays open for a moment means the server is answering again, even if the cluster is
        // quiet and no event comes (a refused or failing request ends well within that moment).
        using var established = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var onEstablished = established.Token.Register(Contact);
        if (IsFailing)
        {
            established.CancelAfter(ShortWatch);
        }

        try
        {
            await foreach (var (type, obj) in _adapter.Watch(_client, Namespace, resourceVersion, timeoutSeconds, e => streamError ??= e, watch.Token)
                .ConfigureAwait(false))
            {
                if (streamError is not null)
                {
                    break;
                }

                silence.CancelAfter(_options.SilentWatchTimeout);
                if (received++ == 0)
                {
                    backoff.Reset();
                }

                Apply(type, obj);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && (silence.IsCancellationRequested || deadline.IsCancellationRequested))
        {
            if (silence.IsCancellationRequested)
            {
                Log.WatchSilent(_logger, _adapter.Resource, Namespace, _options.SilentWatchTimeout, _resourceVersion ?? "");
                RecordError($"watch silent for {_options.SilentWatchTimeout}");
            }

            Restarted();
            return WatchEnd.Resume;
        }

        if (streamError is not null)
        {
            // An ERROR event (410 Expired or another Status) or an unreadable line: events may have been lost, so relist.
            _resourceVersion = null;
            throw streamError;
        }

        Restarted();
        if (received == 0 && _time.GetElapsedTime(started) < ShortWatch)
        {
            RecordError("watch closed at once without events");
            BeginFailing();
            return WatchEnd.TooShort;
        }

        Log.WatchEnded(_logger, _adapter.Resource, Namespace, received, _resourceVersion ?? "");
        return WatchEnd.Resume;
    }

    private void Apply(WatchEventType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                _store.Upsert(Kind, obj);
                Applied();
                break;
            case WatchEventType.Deleted:
                _store.Delete(Kind, obj);
                Applied();
                break;
        }

        // Bookmarks carry only a resourceVersion: progress without a change.
        if (obj.Metadata?.ResourceVersion is { Length: > 0 } version)
        {
            _resourceVersion = version;
        }

        lock (_statusGate)
        {
            _lastEventAt = _time.GetUtcNow();
        }

        Contact();
    }

    private void Applied()
    {
        Interlocked.Increment(ref _eventsApplied);
        _metrics.EventsApplied.Add(1, _tags);
    }

    private void Restarted()
    {
        Interlocked.Increment(ref _watchRestarts);
        _metrics.WatchRestarts.Add(1, _tags);
    }

    private TimeSpan OnFailure(string operation, Exception exception, Backoff backoff)
    {
        var failure = WatchFailure.From(exception, _time.GetUtcNow());
        RecordError(failure.Message);
        if (failure.Kind != FailureKind.Refused)
        {
            BeginFailing();
        }

        switch (failure.Kind)
        {
            case FailureKind.Gone:
                _resourceVersion = null;
                Log.WatchExpired(_logger, _adapter.Resource, Namespace, failure.Message);
                return backoff.Next();
            case FailureKind.Refused:
                _resourceVersion = null;
                var delay = _options.DegradedRetryInterval * (1 + (0.25 * _random()));
                bool changed;
                lock (_statusGate)
                {
                    changed = _state != CacheSyncState.Degraded || _reason != failure.Message;
                    _state = CacheSyncState.Degraded;
                    _reason = failure.Message;
                }

                if (changed)
                {
                    Log.Degraded(_logger, _adapter.Resource, Namespace, failure.Message, delay);
                }

                _settled.TrySetResult();
                if (changed)
                {
                    _stateChanged();
                }

                return delay;
            default:
                var wait = backoff.Next(failure.RetryAfter);
                Log.TransientFailure(_logger, operation, _adapter.Resource, Namespace, failure.Message, wait, backoff.Failures);
                return wait;
        }
    }

    private bool IsFailing
    {
        get
        {
            lock (_statusGate)
            {
                return _failingSince is not null;
            }
        }
    }

    private bool IsStaleAt(DateTimeOffset now) => _failingSince is { } since && now - since >= _options.StaleAfter;

    private void BeginFailing()
    {
        bool began;
        lock (_statusGate)
        {
            began = _failingSince is null;
            if (began)
            {
                // Until this failure the kind was in touch (a watch open since its last event, or the first list): the
                // data was current up to now.
                _failingSince = _time.GetUtcNow();
                _lastContactAt = _state == CacheSyncState.Syncing ? _lastContactAt : _failingSince;
            }
        }

        if (began)
        {
            _stateChanged();
        }
    }

    // The server answered for this kind: a spell of failures, if any, is over.
    private void Contact()
    {
        bool ended;
        lock (_statusGate)
        {
            ended = EndFailingLocked();
        }

        if (ended)
        {
            Log.ContactRestored(_logger, _adapter.Resource, Namespace);
            _stateChanged();
        }
    }

    private bool EndFailingLocked()
    {
        var ended = _failingSince is not null;
        _failingSince = null;
        _lastContactAt = _time.GetUtcNow();
        return ended;
    }

    private void RecordError(string message)
    {
        lock (_statusGate)
        {
            _lastError = message;
            _lastErrorAt = _time.GetUtcNow();
        }
    }
}
