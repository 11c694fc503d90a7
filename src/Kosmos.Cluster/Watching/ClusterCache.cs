using System.Diagnostics.Metrics;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// The shared watch cache (see <see cref="IClusterCache"/>). Lifetime: one per process (a DI singleton, registered by
/// <see cref="ClusterCacheServiceCollectionExtensions.AddClusterCache"/>); <see cref="StartAsync"/> starts the reflectors
/// once (later calls do nothing) and returns at once — wait for data with <see cref="WaitForSyncAsync"/>;
/// <see cref="StopAsync"/> cancels them, waits for them to end and completes every subscription. It cannot be restarted.
/// Does not own the <see cref="IKubernetes"/> client.
/// </summary>
public sealed class ClusterCache : IClusterCache, IHostedService, IAsyncDisposable
{
    /// <summary>The meter of the cache's counters (lists, relists, watches, watch restarts, events applied, resyncs).</summary>
    public const string MeterName = ClusterCacheMetrics.MeterName;

    private readonly ClusterCacheOptions _options;
    private readonly ILogger<ClusterCache> _logger;
    private readonly TimeProvider _time;
    private readonly ClusterStore _store;
    private readonly ClusterCacheMetrics _metrics;
    private readonly IReadOnlyList<Reflector> _reflectors;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lifecycle = new();
    private Task[] _running = [];
    private bool _started;
    private Task? _stopped;

    public ClusterCache(IKubernetes client, IOptions<ClusterCacheOptions> options, ILogger<ClusterCache> logger,
        TimeProvider? time = null, IMeterFactory? meterFactory = null)
    {
        _options = options.Value;
        if (_options.Namespaces.Count == 0)
        {
            _options.Namespaces = [ClusterCacheOptions.DefaultNamespace];
        }

        // Constructed without DI (tests, tools) nothing else validates the options.
        var validation = new ClusterCacheOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(ClusterCacheOptions), typeof(ClusterCacheOptions), validation.Failures);
        }

        _logger = logger;
        _time = time ?? TimeProvider.System;
        _store = new ClusterStore(_options.SubscriberQueueCapacity, OnSubscriberResynced);
        _metrics = new ClusterCacheMetrics(meterFactory, () => _store.SubscriberCount, ObjectCounts, Staleness);
        var adapters = ResourceAdapter.For(_options);
        _reflectors =
        [
            .. from ns in _options.Namespaces
               from adapter in adapters
               select new Reflector(adapter, ns, client, _store, _options, _time, logger, _metrics, OnReflectorStateChanged),
        ];
    }

    public event Action<ClusterCacheStatus>? StatusChanged;

    public ClusterCacheStatus Status => new([.. _reflectors.Select(r => r.Status)]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_stopped is not null, this);
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            Log.Starting(_logger, _reflectors.Count, string.Join(", ", ClusterResourceKinds.All.Select(k => k.ResourceName())),
                string.Join(", ", _options.Namespaces));
            var token = _stopping.Token;
            _running =
            [
                .. _reflectors.Select(r => Task.Run(() => r.RunAsync(token), CancellationToken.None)),
                Task.Run(() => _store.RunBatchingAsync(_options.BatchWindow, _time, token), CancellationToken.None),
            ];
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            _stopped ??= StopCoreAsync();
        }

        return _stopped.WaitAsync(cancellationToken);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_reflectors.Select(r => r.Settled)).WaitAsync(cancellationToken);

    public ClusterSnapshot GetSnapshot() => _store.Snapshot();

    public ClusterSubscription Subscribe() => _store.Subscribe();

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _metrics.Dispose();
    }

    private async Task StopCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);

        // The loops end by themselves on cancellation; none of them throws it out.
        await Task.WhenAll(_running).ConfigureAwait(false);
        _store.Complete();
        if (_started)
        {
            Log.Stopped(_logger);
        }
    }

    private IEnumerable<Measurement<long>> ObjectCounts()
    {
        var snapshot = _store.Snapshot();
        return ClusterResourceKinds.All.Select(k => new Measurement<long>(snapshot[k].Count, new KeyValuePair<string, object?>("kind", k.ResourceName())));
    }

    private IEnumerable<Measurement<double>> Staleness()
    {
        var now = _time.GetUtcNow();
        return _reflectors.Select(r => r.Status).Select(r => new Measurement<double>(
            r.FailingSince is null ? 0 : Math.Max(0, (now - (r.LastContactAt ?? r.FailingSince.Value)).TotalSeconds),
            new KeyValuePair<string, object?>("kind", r.Kind.ResourceName()), new KeyValuePair<string, object?>("namespace", r.Namespace)));
    }

    private void OnReflectorStateChanged()
    {
        var handlers = StatusChanged;
        if (handlers is null)
        {
            return;
        }

        var status = Status;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<ClusterCacheStatus>>())
        {
            try
            {
                handler(status);
            }
            catch (Exception ex)
            {
                Log.StatusHandlerFailed(_logger, ex);
            }
        }
    }

    private void OnSubscriberResynced(int subscriberId)
    {
        _metrics.SubscriberResyncs.Add(1);
        Log.SubscriberResynced(_logger, subscriberId, _options.SubscriberQueueCapacity);
    }
}
