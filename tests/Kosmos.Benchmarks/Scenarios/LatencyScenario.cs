using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>
/// Update latency: from a pod change applied at the simulator to its arrival at hub clients and in the DOM of a board page,
/// at each fleet size and viewer count, against one polling viewer's staleness on the same change stream.
/// </summary>
public sealed class LatencyScenario : IScenario
{
    public const double TargetP99Ms = 50;

    /// <summary>The median update reaches a hub viewer this soon (issue 15: flushed at once when the cache is quiet).</summary>
    public const double TargetP50Ms = 10;

    /// <summary>The board's DOM shows 99% of updates within this (four frames at 60 Hz).</summary>
    public const double TargetDomP99Ms = 66;

    public string Name => "latency";

    public string Title => "Update latency: pod change at the simulator → hub clients and the board's DOM";

    public int Order => 10;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var s = context.Settings;
        var result = new ScenarioResult(Name, Title);
        result.Method.Add($"A fleet of N pods ({s.PodsPerAgent} per agent) is seeded into the simulator; no controllers run, so the only " +
            $"changes are the stream's: {s.ChangesPerSecond:0.#} changes/s for {s.Phase.TotalSeconds:0} s per phase, each bumping one container's " +
            "restartCount in a pod's status, written to the simulator's store (where its kubelet would write) and timestamped just before. " +
            "The change reaches the dashboard through its real watch over HTTP, and viewers as the agent's restart total, so each change is " +
            "recognised by the total it makes. Latency = first arrival of a total at least that high − apply time, per change and viewer.");
        result.Method.Add("Hub: N SignalR clients of /hubs/agents Board() in this process, timestamped on receipt. DOM: one Chromium page on the " +
            "board (an extra viewer during every phase) with a MutationObserver on the Restarts cells of the board's first five rows; every other " +
            "change goes to one of them. The page records performance.now(); it is mapped to the process's Stopwatch by the shortest of 15 " +
            "round trips (page.evaluate of performance.now() between two Stopwatch readings: error ≤ half that round trip), taken before and after each phase.");
        result.Method.Add($"Baseline: one viewer that re-lists pods and deployments every {s.PollInterval.TotalSeconds:0.#} s with KubernetesClient, run on the " +
            "same stream before the dashboard starts; its latency is the time from a change to the first list that shows it. Ratio = ours ÷ baseline's.");
        foreach (var pods in s.LatencyPods)
        {
            await MeasureSizeAsync(context, result, pods, ct);
        }

        return result;
    }

    private static async Task MeasureSizeAsync(BenchContext context, ScenarioResult result, int pods, CancellationToken ct)
    {
        var s = context.Settings;
        await using var cluster = await BenchCluster.StartAsync(pods, s.PodsPerAgent, ct);
        var agents = cluster.Fleet.Agents.Count;
        var table = result.Table($"{cluster.Fleet.PodCount:N0} pods, {agents:N0} agents");
        var raw = new Dictionary<string, object?>();
        result.Raw[$"pods{cluster.Fleet.PodCount}"] = raw;

        context.Log($"latency: {cluster.Fleet.PodCount} pods: polling baseline");
        var baseline = await PollingBaseline.RunAsync(cluster, 1, s, ct);
        raw["baseline"] = new { staleness = baseline.Staleness.Summary(), baseline.Missing, baseline.Polls, baseline.Failures };

        context.Log($"latency: {cluster.Fleet.PodCount} pods: starting the dashboard");
        var dashboard = await cluster.StartDashboardAsync(BenchContext.Patience, ct);
        BoardPage? page = null;
        if (s.Browser)
        {
            var browser = await context.GetBrowserAsync();
            var browserContext = await browser.NewContextAsync(dashboard.BaseAddress);
            page = await BoardPage.OpenAsync(browserContext, agents);
            await page.WatchRestartsAsync(cluster.Changes.Visible);
        }

        foreach (var viewers in s.LatencyViewers)
        {
            context.Log($"latency: {cluster.Fleet.PodCount} pods, {viewers} hub viewers");
            var hubs = await HubViewer.ConnectManyAsync(dashboard, viewers, agents, BenchContext.Patience, ct);
            try
            {
                await cluster.ResetStatsAsync(ct);
                var started = Clock.NowMs();
                var gcBefore = GcActivity.Now();
                var clockBefore = page is null ? null : await page.MeasureClockAsync();
                var changes = await cluster.Changes.RunAsync(s.ChangesPerSecond, s.Phase, ct);
                await Waits.TryUntilAsync(() => hubs.All(h => h.Arrivals.HasSeenAll(changes)), BenchContext.Patience, ct);
                var gc = GcActivity.Now() - gcBefore;
                var hubLatencies = new List<double>();
                var hubMissing = 0;
                foreach (var viewer in hubs)
                {
                    viewer.ThrowIfFailed();
                    hubLatencies.AddRange(viewer.Arrivals.LatenciesOf(changes, out var missing));
                    hubMissing += missing;
                }

                var hub = new Distribution(hubLatencies);
                var messages = hubs.Sum(h => h.Messages);
                var updates = hubs.Sum(h => h.AgentUpdates);

                // Per change: when it was applied (ms into the phase) and its slowest arrival over the viewers, to see stalls in time.
                var timeline = changes.Select(c => new[]
                {
                    Math.Round(c.AppliedAtMs - started),
                    Math.Round(hubs.Max(h => h.Arrivals.FirstAtLeast(c.AgentKey, c.Restarts) is { } at ? at - c.AppliedAtMs : double.NaN)),
                }).ToList();
                var label = $"{viewers} hub viewer{(viewers == 1 ? "" : "s")}";
                table.Add(ResultRow.Checked($"hub p50, {label}", hub.P50, "ms", $"≤ {TargetP50Ms:0} ms", v => v <= TargetP50Ms, baseline.Staleness.P50));
                table.Add(new ResultRow($"hub p95, {label}", hub.P95, "ms", Baseline: baseline.Staleness.P95));
                table.Add(ResultRow.Checked($"hub p99, {label}", hub.P99, "ms", $"≤ {TargetP99Ms:0} ms", v => v <= TargetP99Ms, baseline.Staleness.P99));
                table.Add(new ResultRow($"hub max, {label}", hub.Max, "ms", Baseline: baseline.Staleness.Max));
                table.Add(new ResultRow($"hub samples (changes × viewers), {label}", hub.Count, "count"));
                table.Add(new ResultRow($"process GC pauses during the phase (gen0/1/2: {gc.Gen0}/{gc.Gen1}/{gc.Gen2}), {label}", gc.PauseMs, "ms"));
                if (hubMissing > 0)
                {
                    table.Add(new ResultRow($"hub changes never seen, {label}", hubMissing, "count"));
                }

                object? domRaw = null;
                if (page is not null)
                {
                    var visible = cluster.Changes.Visible.Select(a => BulkFleet.Key(cluster.Fleet.Namespace, a)).ToHashSet();
                    var visibleChanges = changes.Where(c => visible.Contains(c.AgentKey)).ToList();
                    var clockAfter = await page.MeasureClockAsync();
                    var clock = clockAfter.UncertaintyMs < clockBefore!.UncertaintyMs ? clockAfter : clockBefore;
                    var arrivals = await ReadDomUntilCaughtUpAsync(page, cluster.Fleet.Namespace, clock, visibleChanges, ct);

                    var dom = new Distribution(arrivals.LatenciesOf(visibleChanges, out var domMissing));
                    table.Add(new ResultRow($"DOM p50, 1 page + {label}", dom.P50, "ms", Baseline: baseline.Staleness.P50));
                    table.Add(new ResultRow($"DOM p95, 1 page + {label}", dom.P95, "ms", Baseline: baseline.Staleness.P95));
                    table.Add(ResultRow.Checked($"DOM p99, 1 page + {label}", dom.P99, "ms", $"≤ {TargetDomP99Ms:0} ms", v => v <= TargetDomP99Ms, baseline.Staleness.P99));
                    table.Add(new ResultRow($"DOM max, 1 page + {label}", dom.Max, "ms", Baseline: baseline.Staleness.Max));
                    table.Add(new ResultRow($"DOM samples, 1 page + {label}", dom.Count, "count"));
                    if (domMissing > 0)
                    {
                        table.Add(new ResultRow($"DOM changes never seen, {label}", domMissing, "count"));
                    }

                    domRaw = new { latency = dom.Summary(), missing = domMissing, clockBefore, clockAfter, driftMs = clockAfter.OffsetMs - clockBefore.OffsetMs };
                }

                var stats = await cluster.ReadStatsAsync(ct);
                var minutes = (Clock.NowMs() - started) / 60_000;
                table.Add(new ResultRow($"API lists during the phase, {label}", stats.Lists, "count", Baseline: baseline.Stats.Lists / baseline.ElapsedMinutes * minutes));
                table.Add(new ResultRow($"API watches started during the phase, {label}", stats.Watches, "count"));
                table.Add(new ResultRow($"API MB served per minute, {label}", stats.BytesServed / 1024.0 / 1024.0 / minutes, "MB/min", Baseline: baseline.MiBPerMinute));
                raw[$"viewers{viewers}"] = new { hub = hub.Summary(), hubMissing, dom = domRaw, stats, changes = changes.Count, minutes, messages, updates, gc, timeline };
            }
            finally
            {
                await HubViewer.DisposeAllAsync(hubs);
            }
        }

        table.Add(new ResultRow("baseline: polls per viewer per minute", baseline.PollsPerViewerPerMinute, "count"));
        if (baseline.Missing > 0 || baseline.Failures > 0)
        {
            result.Notes.Add($"{cluster.Fleet.PodCount:N0} pods: the polling baseline missed {baseline.Missing} changes and {baseline.Failures} polls failed.");
        }

        if (page is not null)
        {
            await page.Page.Context.CloseAsync();
        }
    }

    // The page's log is read whole each time, so it is polled (bounded) rather than awaited.
    private static async Task<ArrivalLog> ReadDomUntilCaughtUpAsync(BoardPage page, string ns, ClockOffset clock, List<AppliedChange> changes, CancellationToken ct)
    {
        var deadline = Clock.NowMs() + BenchContext.Patience.TotalMilliseconds;
        while (true)
        {
            var arrivals = await page.ReadArrivalsAsync(ns, clock);
            if (arrivals.HasSeenAll(changes) || Clock.NowMs() > deadline)
            {
                return arrivals;
            }

            await Task.Delay(100, ct);
        }
    }
}
