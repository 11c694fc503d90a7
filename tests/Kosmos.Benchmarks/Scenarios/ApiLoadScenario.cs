using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>
/// API-server load against viewers: what the simulator serves (lists, watches, bytes) while 1, 10, 100 viewers watch the
/// same change stream, for the dashboard's hub viewers and for the polling baseline.
/// </summary>
public sealed class ApiLoadScenario : IScenario
{
    public string Name => "api-load";

    public string Title => "API-server load against viewers: lists, watches and bytes served";

    public int Order => 20;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var s = context.Settings;
        var result = new ScenarioResult(Name, Title);
        result.Method.Add($"{s.LoadPods:N0} pods ({s.PodsPerAgent} per agent) and the same change stream ({s.ChangesPerSecond:0.#}/s) in every phase. " +
            "Counters are the simulator's /sim/stats, reset at the start of a phase and read once every viewer has seen the last change; " +
            "per-minute figures divide by that window. Bytes served include watch events.");
        result.Method.Add($"Baseline first, with no dashboard running (so the counters are the pollers' alone): N viewers each re-list pods and " +
            $"deployments every {s.PollInterval.TotalSeconds:0.#} s with KubernetesClient, their refreshes spread evenly over the period. " +
            "Then the dashboard starts (its one-time sync is reported on its own) and N SignalR viewers follow the board; their phase's counters " +
            $"include connecting them. Target: lists and watches the same for every N as for 1. Baselines above {s.MaxPollers} viewers are " +
            "extrapolated, not run (see the notes).");

        await using var cluster = await BenchCluster.StartAsync(s.LoadPods, s.PodsPerAgent, ct);
        var agents = cluster.Fleet.Agents.Count;
        var baselines = new Dictionary<int, BaselineRun>();
        foreach (var viewers in s.LoadViewers.Where(v => v <= s.MaxPollers))
        {
            context.Log($"api-load: polling baseline, {viewers} viewers");
            baselines[viewers] = await PollingBaseline.RunAsync(cluster, viewers, s, ct);
        }

        context.Log("api-load: starting the dashboard");
        await cluster.ResetStatsAsync(ct);
        var dashboard = await cluster.StartDashboardAsync(BenchContext.Patience, ct);
        var sync = await cluster.ReadStatsAsync(ct);
        var startTable = result.Table("The dashboard's one-time start-up sync");
        startTable.Add(new ResultRow("lists", sync.Lists, "count"));
        startTable.Add(new ResultRow("watches", sync.Watches, "count"));
        startTable.Add(new ResultRow("MB served", sync.BytesServed / 1024.0 / 1024.0, "MB"));
        result.Raw["startup"] = sync;

        var table = result.Table($"{cluster.Fleet.PodCount:N0} pods, {agents:N0} agents: per phase");
        SimStats? first = null;
        foreach (var viewers in s.LoadViewers)
        {
            context.Log($"api-load: dashboard, {viewers} hub viewers");
            await cluster.ResetStatsAsync(ct);
            var started = Clock.NowMs();
            var hubs = await HubViewer.ConnectManyAsync(dashboard, viewers, agents, BenchContext.Patience, ct);
            try
            {
                var changes = await cluster.Changes.RunAsync(s.ChangesPerSecond, s.Phase, ct);
                await Waits.TryUntilAsync(() => hubs.All(h => h.Arrivals.HasSeenAll(changes)), BenchContext.Patience, ct);
                var stats = await cluster.ReadStatsAsync(ct);
                var minutes = (Clock.NowMs() - started) / 60_000;
                first ??= stats;
                var baseline = BaselineFor(viewers, baselines, result);
                var label = $"{viewers} viewer{(viewers == 1 ? "" : "s")}";
                var same = $"= 1 viewer's ({first.Lists})";
                table.Add(ResultRow.Checked($"lists per minute, {label}", stats.Lists / minutes, "/min", $"lists {same}", _ => stats.Lists == first.Lists, baseline.ListsPerMinute));
                table.Add(ResultRow.Checked($"watches started, {label}", stats.Watches, "count", $"= 1 viewer's ({first.Watches})", _ => stats.Watches == first.Watches, 0));
                table.Add(new ResultRow($"watches open, {label}", stats.OpenWatches, "count", Baseline: 0));
                table.Add(new ResultRow($"MB served per minute, {label}", stats.BytesServed / 1024.0 / 1024.0 / minutes, "MB/min", Baseline: baseline.MiBPerMinute));
                table.Add(new ResultRow($"baseline refreshes per viewer per minute, {label}", baseline.PollsPerViewerPerMinute, "/min"));
                table.Add(new ResultRow($"baseline staleness p50, {label}", baseline.Staleness.P50, "ms"));
                table.Add(new ResultRow($"baseline staleness p99, {label}", baseline.Staleness.P99, "ms"));
                if (baseline.Missing > 0 || baseline.Failures > 0)
                {
                    result.Notes.Add($"{label}: the polling baseline missed {baseline.Missing} changes (never listed in time) and {baseline.Failures} of its polls failed.");
                }

                result.Raw[$"viewers{viewers}"] = new
                {
                    dashboard = stats,
                    minutes,
                    baseline = new { baseline.Stats, minutes = baseline.ElapsedMinutes, staleness = baseline.Staleness.Summary(), baseline.Missing, baseline.Polls, baseline.Failures },
                };
            }
            finally
            {
                await HubViewer.DisposeAllAsync(hubs);
            }
        }

        return result;
    }

    /// <summary>The measured baseline for this many viewers, or one scaled up from the largest measured count (lists and bytes only).</summary>
    private static BaselineRun BaselineFor(int viewers, Dictionary<int, BaselineRun> baselines, ScenarioResult result)
    {
        if (baselines.TryGetValue(viewers, out var measured))
        {
            return measured;
        }

        var from = baselines.Keys.Max();
        var b = baselines[from];
        var factor = (double)viewers / from;
        result.Notes.Add($"The polling baseline for {viewers} viewers is {from} viewers' measured lists and bytes × {factor:0.#} (not run: see MaxPollers); its staleness is not measured.");
        return b with
        {
            Viewers = viewers,
            Staleness = new Distribution([]),
            Missing = 0,
            Failures = 0,
            Polls = (long)(b.Polls * factor),
            Stats = b.Stats with { Lists = (long)(b.Stats.Lists * factor), BytesServed = (long)(b.Stats.BytesServed * factor), Requests = (long)(b.Stats.Requests * factor) },
        };
    }
}
