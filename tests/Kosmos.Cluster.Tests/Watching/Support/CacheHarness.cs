using k8s;
using Kosmos.Cluster.Watching;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Tests.Watching.Support;

/// <summary>
/// A <see cref="ClusterCache"/> under test: its own KubernetesClient to the simulator (through <see cref="NetworkFaults"/>),
/// watching one fresh namespace, with fast timings, a recording logger and a <see cref="Mirror"/> subscriber.
/// </summary>
public sealed class CacheHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly IKubernetes _cacheClient;

    private CacheHarness(SimulatorFixture sim, string ns, NetworkFaults network, IKubernetes cacheClient, ClusterCache cache, RecordingLogger<ClusterCache> logger)
    {
        Sim = sim;
        Namespace = ns;
        Network = network;
        _cacheClient = cacheClient;
        Cache = cache;
        Logger = logger;
        Mirror = new Mirror(cache);
    }

    public SimulatorFixture Sim { get; }

    /// <summary>The test's own client: changes and fresh lists that the cache must catch up with.</summary>
    public IKubernetes Api => Sim.Client;

    public string Namespace { get; }

    public NetworkFaults Network { get; }

    public ClusterCache Cache { get; }

    public RecordingLogger<ClusterCache> Logger { get; }

    public Mirror Mirror { get; }

    /// <summary>Fast timings: failures retried within milliseconds (Retry-After still honoured), no silent-watch restarts unless asked for.</summary>
    public static ClusterCacheOptions FastOptions(string ns) => new()
    {
        Namespaces = [ns],
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromSeconds(2),
        DegradedRetryInterval = TimeSpan.FromMilliseconds(300),
        SilentWatchTimeout = TimeSpan.FromSeconds(60),
        BatchWindow = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Creates a namespace, lets <paramref name="seed"/> fill it, then starts a cache on it (and waits for sync unless told not to).</summary>
    public static async Task<CacheHarness> StartAsync(SimulatorFixture sim, Action<ClusterCacheOptions>? configure = null,
        Func<IKubernetes, string, Task>? seed = null, bool waitForSync = true, Action<NetworkFaults>? beforeStart = null)
    {
        var ns = await sim.Client.NewNamespaceAsync();
        if (seed is not null)
        {
            await seed(sim.Client, ns);
        }

        var options = FastOptions(ns);
        configure?.Invoke(options);
        var network = new NetworkFaults();
        beforeStart?.Invoke(network);
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = sim.Url.ToString().TrimEnd('/') }, network);
        var logger = new RecordingLogger<ClusterCache>();
        var cache = new ClusterCache(client, Options.Create(options), logger);
        await cache.StartAsync(CancellationToken.None);
        var harness = new CacheHarness(sim, ns, network, client, cache, logger);
        if (waitForSync)
        {
            using var cts = new CancellationTokenSource(Timeout);
            await cache.WaitForSyncAsync(cts.Token);
        }

        return harness;
    }

    /// <summary>
    /// Waits until the cache's snapshot and the mirror subscriber both equal a fresh list of every kind, object by object
    /// (uid and resourceVersion). Only call it when no injected failure is pending: it lists through the simulator too.
    /// </summary>
    public async Task ConvergedAsync(string what, params ClusterResourceKind[] except)
    {
        SortedDictionary<string, string> Without(SortedDictionary<string, string> state) =>
            new(state.Where(p => !except.Any(k => p.Key.StartsWith(k + "/", StringComparison.Ordinal))).ToDictionary(), StringComparer.Ordinal);

        await Eventually.Until(async () =>
        {
            var fresh = Without(await Api.FreshStateAsync(Namespace));
            var cached = TestObjects.Diff(fresh, Without(TestObjects.StateOf(Cache.GetSnapshot(), Namespace)));
            var mirrored = TestObjects.Diff(fresh, Without(Mirror.StateOf(Namespace)));
            return (Objects: fresh.Count, Cache: cached, Mirror: mirrored);
        }, r => r.Cache.Length == 0 && r.Mirror.Length == 0, Timeout, what);
    }

    public ReflectorStatus StatusOf(ClusterResourceKind kind) => Cache.Status.Reflectors.Single(r => r.Kind == kind);

    /// <summary>Errors logged so far: a clean run has none.</summary>
    public IReadOnlyList<LogEntry> Errors => [.. Logger.Entries.Where(e => e.Level >= LogLevel.Error)];

    public async ValueTask DisposeAsync()
    {
        Network.Release();
        await Cache.DisposeAsync();
        await Mirror.DisposeAsync();
        _cacheClient.Dispose();
    }
}
