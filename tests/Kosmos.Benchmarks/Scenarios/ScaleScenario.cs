using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>
/// Scale: how long the dashboard takes from start to a full board, how much managed memory its cache and board hold, and
/// whether the board stays responsive, for large fleets.
/// </summary>
public sealed class ScaleScenario : IScenario
{
    /// <summary>A board page should show a full board this soon after it is opened.</summary>
    public const double PageTargetMs = 5_000;

    public string Name => "scale";

    public string Title => "Scale: time to first full board, cache memory, responsiveness";

    public int Order => 30;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var s = context.Settings;
        var result = new ScenarioResult(Name, Title);
        result.Method.Add("The simulator is seeded first. Time to first full board: from starting the dashboard's host to a hub client " +
            "(connected as soon as the socket is up) holding every agent with all its pods ready; /readyz (every watch cache listed) is reported beside it.");
        result.Method.Add("Memory: this process's managed heap after forced, blocking, compacting full collections (twice, finalizers between), " +
            "just before the dashboard starts and again once its board is full (the hub client gone): the difference is everything the dashboard " +
            "holds — the watch cache of typed objects, the board's index and summaries, and the host itself (a fixed few MB, blurred by " +
            "buffer pools that earlier traffic grew and that shrink on their own time: meaningful at thousands of pods, noise at hundreds). " +
            "The slope between the two sizes, per pod, leaves the fixed part out.");
        result.Method.Add($"Responsive: with the board full, a browser page on the board must show every agent within {PageTargetMs / 1000:0} s of opening " +
            $"it, and one hub viewer's p99 update latency on a {s.ChangesPerSecond:0.#}/s change stream must stay within {LatencyScenario.TargetP99Ms:0} ms.");

        var points = new List<(int Pods, long Bytes)>();
        foreach (var pods in s.ScalePods)
        {
            points.Add((pods, await MeasureSizeAsync(context, result, pods, ct)));
        }

        if (points.Count >= 2)
        {
            var (a, b) = (points[0], points[^1]);
            var table = result.Table("Cache memory per pod, between sizes");
            table.Add(new ResultRow($"managed heap per pod ({a.Pods:N0} → {b.Pods:N0} pods)", (b.Bytes - a.Bytes) / 1024.0 / (b.Pods - a.Pods), "KB"));
        }

        return result;
    }

    private static async Task<long> MeasureSizeAsync(BenchContext context, ScenarioResult result, int pods, CancellationToken ct)
    {
        var s = context.Settings;
        context.Log($"scale: seeding {pods} pods");
        var seeding = Clock.NowMs();
        await using var cluster = await BenchCluster.StartAsync(pods, s.PodsPerAgent, ct);
        seeding = Clock.NowMs() - seeding;
        var agents = cluster.Fleet.Agents.Count;
        var table = result.Table($"{cluster.Fleet.PodCount:N0} pods, {agents:N0} agents");

        var before = ManagedHeap.SettledBytes();
        await cluster.ResetStatsAsync(ct);
        context.Log($"scale: {pods} pods: starting the dashboard");
        var start = Clock.NowMs();
        var dashboard = cluster.StartDashboard();
        var viewer = await HubViewer.ConnectAsync(dashboard, ct);
        double ready, full;
        try
        {
            var readyTask = ReadyAtAsync(dashboard, ct);
            await viewer.WaitForBoardAsync(agents, BenchContext.Patience);
            full = Clock.NowMs() - start;
            ready = await readyTask - start;
        }
        finally
        {
            await viewer.DisposeAsync();
        }

        var sync = await cluster.ReadStatsAsync(ct);
        var after = ManagedHeap.SettledBytes();
        var held = after - before;
        table.Add(new ResultRow("time to first full board (hub)", full, "ms"));
        table.Add(new ResultRow("time to /readyz 200", ready, "ms"));
        table.Add(new ResultRow("dashboard managed heap (cache + board + host)", ManagedHeap.ToMiB(held), "MB"));
        table.Add(new ResultRow("… per pod", held / 1024.0 / cluster.Fleet.PodCount, "KB"));
        table.Add(new ResultRow("sync: lists", sync.Lists, "count"));
        table.Add(new ResultRow("sync: MB served", sync.BytesServed / 1024.0 / 1024.0, "MB"));
        table.Add(new ResultRow("seeding the simulator (not the dashboard's)", seeding, "ms"));

        // Responsive with it all held: a page shows the full board, and an update reaches a viewer in time.
        double? pageMs = null;
        if (s.Browser)
        {
            var browser = await context.GetBrowserAsync();
            var browserContext = await browser.NewContextAsync(dashboard.BaseAddress);
            // The first page of a run also pays for starting Chromium's renderer and compiling the page's scripts: shown, not judged.
            var opening = Clock.NowMs();
            await BoardPage.OpenAsync(browserContext, agents);
            var firstMs = Clock.NowMs() - opening;
            opening = Clock.NowMs();
            await BoardPage.OpenAsync(browserContext, agents);
            pageMs = Clock.NowMs() - opening;
            await browserContext.CloseAsync();
            table.Add(new ResultRow("browser: first page open → full board shown", firstMs, "ms"));
            table.Add(ResultRow.Checked("browser: next page open → full board shown", pageMs, "ms", $"≤ {PageTargetMs:0} ms", v => v <= PageTargetMs));
        }

        var hubs = await HubViewer.ConnectManyAsync(dashboard, 1, agents, BenchContext.Patience, ct);
        Distribution latency;
        try
        {
            var changes = await cluster.Changes.RunAsync(s.ChangesPerSecond, s.Phase, ct);
            await Waits.TryUntilAsync(() => hubs[0].Arrivals.HasSeenAll(changes), BenchContext.Patience, ct);
            latency = new Distribution(hubs[0].Arrivals.LatenciesOf(changes, out _));
        }
        finally
        {
            await HubViewer.DisposeAllAsync(hubs);
        }

        table.Add(new ResultRow("hub update latency p50, 1 viewer", latency.P50, "ms"));
        table.Add(ResultRow.Checked("hub update latency p99, 1 viewer", latency.P99, "ms", $"≤ {LatencyScenario.TargetP99Ms:0} ms", v => v <= LatencyScenario.TargetP99Ms));
        result.Raw[$"pods{cluster.Fleet.PodCount}"] = new { fullMs = full, readyMs = ready, heapBefore = before, heapAfter = after, sync, seedingMs = seeding, pageMs, latency = latency.Summary() };
        return held;
    }

    private static async Task<double> ReadyAtAsync(DashboardServer dashboard, CancellationToken ct)
    {
        await dashboard.WaitReadyAsync(BenchContext.Patience, ct);
        return Clock.NowMs();
    }
}
