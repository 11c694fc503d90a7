namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// client-go's workqueue: a key is queued at most once; a key added while it is being processed is processed again
/// afterwards (never by two workers at once); failures back off per key; delayed adds wake later. Thread-safe.
/// Delays are simulated time on the simulator's clock; due times are its monotonic timestamps, not wall-clock stamps.
/// Lifetime: the controller's run; disposed when its loops have ended, after which adds (a delayed add firing late, an
/// event handled during shutdown) are ignored, as client-go's queue ignores them after ShutDown.
/// </summary>
internal sealed class WorkQueue<TKey>(TimeProvider time, CancellationToken stopping) : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Dictionary<TKey, long> _scheduled = [];
    private readonly SemaphoreSlim _ready = new(0);
    private bool _disposed;

    public int Count
    {
        get { lock (_gate) { return _queue.Count; } }
    }

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_disposed || !_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }

            _queue.Enqueue(key);

            // Under the gate so that Dispose cannot come between (its waiters continue asynchronously, not in here).
            _ready.Release();
        }
    }

    /// <summary>Adds the key after a delay. Of several pending delays only the earliest one matters.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var now = time.GetTimestamp();
        var due = now + (long)(delay.TotalSeconds * time.TimestampFrequency);
        lock (_gate)
        {
            if (_scheduled.TryGetValue(key, out var already) && already <= due && already > now)
            {
                return;
            }

            _scheduled[key] = due;
        }

        _ = AddLaterAsync(key, delay, due);
    }

    /// <summary>Adds the key after a back-off that doubles with each failure since the last <see cref="Forget"/>.</summary>
    public void AddRateLimited(TKey key)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        var backoff = BaseBackoff * Math.Pow(2, Math.Min(failures - 1, 20));
        AddAfter(key, backoff < MaxBackoff ? backoff : MaxBackoff);
    }

    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> with it when finished.</summary>
    public async Task<TKey> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            await _ready.WaitAsync(ct);
            lock (_gate)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(TKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (!_disposed && _dirty.Contains(key))
            {
                _queue.Enqueue(key);
                _ready.Release();
            }
        }
    }

    /// <summary>Called once the loops that take from the queue have ended; later adds are ignored.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _ready.Dispose();
        }
    }

    private async Task AddLaterAsync(TKey key, TimeSpan delay, long due)
    {
        try
        {
            await Task.Delay(delay, time, stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_scheduled.TryGetValue(key, out var scheduled) && scheduled == due)
            {
                _scheduled.Remove(key);
            }
        }

        Add(key);
    }
}
