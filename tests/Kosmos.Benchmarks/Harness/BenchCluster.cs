using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.KubeSim;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// A simulated cluster seeded with a bulk fleet (healthy pods on nodes no kubelet runs; without controllers nothing changes
/// unless a <see cref="ChangeStream"/> changes it), and optionally the dashboard on it. Dispose to stop both.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private BenchCluster(KubeSimulator simulator, BulkFleet fleet)
    {
        Simulator = simulator;
        Fleet = fleet;
        Sim = new HttpClient { BaseAddress = simulator.Url, Timeout = TimeSpan.FromSeconds(30) };
        Changes = new ChangeStream(simulator.Store, fleet);
    }

    public KubeSimulator Simulator { get; }

    public BulkFleet Fleet { get; }

    public ChangeStream Changes { get; }

    public DashboardServer? Dashboard { get; private set; }

    /// <summary>HTTP to the simulator's <c>/sim/</c> controls.</summary>
    public HttpClient Sim { get; }

    public static Task<BenchCluster> StartAsync(int pods, int podsPerAgent, CancellationToken ct) =>
        StartAsync(new SimulatorOptions { SeedDemoFleet = false, RunControllers = false, DemoBehaviours = false }, Math.Max(1, pods / podsPerAgent), podsPerAgent, ct);

    /// <summary>
    /// A cluster whose kubelet and deployment, ReplicaSet and garbage-collection controllers run (agents behave as healthy
    /// programs), at <paramref name="timeScale"/> simulated seconds per real second, with a static bulk fleet of
    /// <paramref name="bulkPods"/> pods beside whatever the caller deploys (e.g. an <see cref="ActionFleet"/>).
    /// </summary>
    public static Task<BenchCluster> StartWithControllersAsync(int bulkPods, int podsPerAgent, double timeScale, CancellationToken ct) =>
        StartAsync(new SimulatorOptions { SeedDemoFleet = false, RunControllers = true, DemoBehaviours = false, TimeScale = timeScale },
            bulkPods / podsPerAgent, podsPerAgent, ct);

    private static async Task<BenchCluster> StartAsync(SimulatorOptions options, int agents, int podsPerAgent, CancellationToken ct)
    {
        var simulator = await KubeSimulator.StartAsync(options, ct: ct);
        try
        {
            var fleet = BulkFleet.Seed(simulator.Store, simulator.Time, agents, podsPerAgent);
            return new BenchCluster(simulator, fleet);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the dashboard on this cluster without waiting for it to sync.</summary>
    public DashboardServer StartDashboard()
    {
        if (Dashboard is not null)
        {
            throw new InvalidOperationException("the dashboard is already running");
        }

        Dashboard = new DashboardServer(Simulator);
        Dashboard.Start();
        return Dashboard;
    }

    /// <summary>Stops the running dashboard, so another can start on the same cluster.</summary>
    public async Task StopDashboardAsync()
    {
        if (Dashboard is { } dashboard)
        {
            Dashboard = null;
            await dashboard.DisposeAsync();
        }
    }

    /// <summary>Starts the dashboard and waits until it is ready (every watch cache synced).</summary>
    public async Task<DashboardServer> StartDashboardAsync(TimeSpan timeout, CancellationToken ct)
    {
        var dashboard = StartDashboard();
        await dashboard.WaitReadyAsync(timeout, ct);
        return dashboard;
    }

    public async Task<SimStats> ReadStatsAsync(CancellationToken ct) =>
        SimStats.From(await Sim.GetFromJsonAsync<JsonObject>("/sim/stats", ct) ?? throw new InvalidOperationException("/sim/stats answered null"));

    public async Task ResetStatsAsync(CancellationToken ct)
    {
        using var response = await Sim.PostAsync("/sim/stats/reset", content: null, ct);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (Dashboard is not null)
        {
            await Dashboard.DisposeAsync();
        }

        Sim.Dispose();
        await Simulator.DisposeAsync();
    }
}

/// <summary>What <c>/sim/stats</c> said: API requests by verb since the last reset, bytes served, and the watches open now.</summary>
public sealed record SimStats(long Lists, long Watches, long Requests, long BytesServed, int OpenWatches, IReadOnlyDictionary<string, long> ByResourceVerb)
{
    public static SimStats From(JsonObject json)
    {
        var byVerb = json["byVerb"] as JsonObject;
        var byResourceVerb = (json["byResourceVerb"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.GetValue<long>() ?? 0, StringComparer.Ordinal);
        return new SimStats(
            byVerb?["list"]?.GetValue<long>() ?? 0,
            byVerb?["watch"]?.GetValue<long>() ?? 0,
            json["requests"]?.GetValue<long>() ?? 0,
            json["bytesServed"]?.GetValue<long>() ?? 0,
            json["openWatches"]?.GetValue<int>() ?? 0,
            byResourceVerb);
    }
}
