using System.Diagnostics.Metrics;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// The cache's instruments (meter <see cref="MeterName"/>): what benchmarks and dashboards read to prove that load on the
/// API server does not grow with viewers. Every measurement is tagged with <c>kind</c> and <c>namespace</c>.
/// </summary>
internal sealed class ClusterCacheMetrics : IDisposable
{
    public const string MeterName = "Kosmos.Cluster.Watching";

    private readonly Meter? _ownedMeter;

    public ClusterCacheMetrics(IMeterFactory? meterFactory, Func<int> subscribers)
        : this(meterFactory, subscribers, () => [], () => [])
    {
    }

    /// <param name="objects">Cached objects per kind (tagged <c>kind</c>).</param>
    /// <param name="staleness">Per kind and namespace: seconds since the server last answered while it is failing, else 0.</param>
    /// <param name="meterFactory">The host's meter factory; null (tests, tools) makes a meter this instance owns and disposes.</param>
    /// <param name="subscribers">How many board subscribers there are now.</param>
    public ClusterCacheMetrics(IMeterFactory? meterFactory, Func<int> subscribers, Func<IEnumerable<Measurement<long>>> objects,
        Func<IEnumerable<Measurement<double>>> staleness)
    {
        var meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        Lists = meter.CreateCounter<long>("kosmos.cache.lists", "{list}", "List operations started (a paged list counts once).");
        Relists = meter.CreateCounter<long>("kosmos.cache.relists", "{list}", "List attempts after the first: after 410 Gone, an ERROR event, a degraded spell or a failed list.");
        Watches = meter.CreateCounter<long>("kosmos.cache.watches", "{watch}", "Watch requests started.");
        WatchRestarts = meter.CreateCounter<long>("kosmos.cache.watch_restarts", "{watch}", "Watches resumed from the last resourceVersion without a list.");
        EventsApplied = meter.CreateCounter<long>("kosmos.cache.events_applied", "{event}", "Watch events applied to the cache (bookmarks excluded).");
        SubscriberResyncs = meter.CreateCounter<long>("kosmos.cache.subscriber_resyncs", "{resync}", "Subscribers that fell behind and were resynced.");
        meter.CreateObservableGauge("kosmos.cache.subscribers", subscribers, "{subscriber}", "Current subscribers.");
        meter.CreateObservableGauge("kosmos.cache.objects", objects, "{object}", "Objects in the cache, per kind.");
        meter.CreateObservableGauge("kosmos.cache.staleness", staleness, "s",
            "Per kind and namespace: while its lists and watches fail, seconds since the API server last answered for it; 0 while it answers.");
    }

    public Counter<long> Lists { get; }

    public Counter<long> Relists { get; }

    public Counter<long> Watches { get; }

    public Counter<long> WatchRestarts { get; }

    public Counter<long> EventsApplied { get; }

    public Counter<long> SubscriberResyncs { get; }

    public void Dispose() => _ownedMeter?.Dispose();
}
