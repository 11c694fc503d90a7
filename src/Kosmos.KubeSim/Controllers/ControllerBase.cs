using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// The shape every kube-controller-manager loop has: internal watches on the kinds a controller cares about turn
/// changes into keys on a work queue; one worker reconciles each key against the current store state; a failed key is
/// logged and retried with back-off; every key is re-queued once per resync period as a safety net. Reconcile reads
/// the store directly (it is the informer cache here), so there are no stale-cache expectations to track.
/// </summary>
internal abstract partial class ControllerBase<TKey> : ISimController
    where TKey : notnull
{
    private static readonly TimeSpan RewatchPause = TimeSpan.FromMilliseconds(100);
    private readonly TimeSpan _resyncPeriod;
    private WorkQueue<TKey>? _queue;

    protected ControllerBase(string name, ObjectStore store, ScaledTimeProvider time, ILogger logger, TimeSpan resyncPeriod)
    {
        Name = name;
        Store = store;
        Time = time;
        Logger = logger;
        _resyncPeriod = resyncPeriod;
    }

    public string Name { get; }

    protected ObjectStore Store { get; }

    protected ScaledTimeProvider Time { get; }

    protected ILogger Logger { get; }

    protected WorkQueue<TKey> Queue => _queue ?? throw new InvalidOperationException($"{Name} is not running");

    protected abstract IReadOnlyList<ResourceKind> WatchedKinds { get; }

    public async Task RunAsync(CancellationToken ct)
    {
        // The run owns the queue: disposed when its loops have ended (adds after that are ignored).
        using var queue = new WorkQueue<TKey>(Time, ct);
        _queue = queue;
        LogStarted(Logger, Name);
        var loops = WatchedKinds.Select(k => WatchLoopAsync(k, ct)).Append(WorkLoopAsync(ct)).Append(ResyncLoopAsync(ct)).ToList();
        await Task.WhenAll(loops);
    }

    /// <summary>Maps one change to the keys it affects (<see cref="Queue"/>.Add). Runs on the watch's loop: keep it short.</summary>
    protected abstract void OnEvent(WatchEvent e);

    /// <summary>Brings one key's world to its desired state. Throw to have it retried with back-off.</summary>
    protected abstract void Reconcile(TKey key);

    /// <summary>Every key worth a periodic look.</summary>
    protected abstract IEnumerable<TKey> ResyncKeys();

    private async Task WatchLoopAsync(ResourceKind kind, CancellationToken ct)
    {
        long? from = null;
        while (!ct.IsCancellationRequested)
        {
            WatchSubscription subscription;
            try
            {
                subscription = Store.Watch(kind, null, from, isInternal: true);
            }
            catch (ApiException ex) when (ex.Code == 410)
            {
                // History compacted: start over from a full listing (every object arrives as ADDED).
                from = null;
                continue;
            }

            using (subscription)
            {
                try
                {
                    await foreach (var e in subscription.Events.ReadAllAsync(ct))
                    {
                        from = e.ResourceVersion;
                        try
                        {
                            OnEvent(e);
                        }
                        catch (Exception ex)
                        {
                            LogEventFailed(Logger, ex, Name, e.WireType, e.Kind.Kind, e.Namespace, e.Name);
                        }
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }

            // The store ended the watch (it never does for internal ones today): pick up where it stopped.
            try
            {
                await Task.Delay(RewatchPause, Time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WorkLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TKey key;
            try
            {
                key = await Queue.TakeAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Reconcile(key);
                Queue.Forget(key);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Someone else changed the object first: normal under concurrency, retry on the fresh state.
                LogConflict(Logger, Name, key, ex.Message);
                Queue.AddRateLimited(key);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogSyncFailed(Logger, ex, Name, key);
                Queue.AddRateLimited(key);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private async Task ResyncLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_resyncPeriod, Time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                foreach (var key in ResyncKeys())
                {
                    Queue.Add(key);
                }
            }
            catch (Exception ex)
            {
                LogResyncFailed(Logger, ex, Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Controller} started")]
    private static partial void LogStarted(ILogger logger, string controller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller} failed to handle {EventType} of {Kind} {Namespace}/{Name}")]
    private static partial void LogEventFailed(ILogger logger, Exception ex, string controller, string eventType, string kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Controller} hit a conflict syncing {Key}, retrying: {Reason}")]
    private static partial void LogConflict(ILogger logger, string controller, TKey key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller} failed to sync {Key}; retrying with back-off")]
    private static partial void LogSyncFailed(ILogger logger, Exception ex, string controller, TKey key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller} failed to list keys for a resync")]
    private static partial void LogResyncFailed(ILogger logger, Exception ex, string controller);
}
