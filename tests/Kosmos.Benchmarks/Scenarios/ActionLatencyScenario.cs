using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>
/// Action latency: an operator restarts an agent in a browser (Restart → dry-run preview → Confirm → Verified) on a cluster
/// whose controllers and kubelet really roll the deployment out. Each leg is timed separately: the preview, the confirm's
/// PATCH reaching the API server, the UI showing Verified, and the simulated rollout in between, which bounds the last leg.
/// </summary>
public sealed class ActionLatencyScenario : IScenario
{
    private const string Operator = "bench-operator";

    public string Name => "action";

    public string Title => "Action latency: click → API mutation → verified (restart)";

    public int Order => 50;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var s = context.Settings;
        var result = new ScenarioResult(Name, Title);
        if (!s.Browser)
        {
            result.Status = "not measured: --no-browser";
            return result;
        }

        var scale = s.ActionTimeScale;
        result.Method.Add($"The simulator runs its kubelet and deployment, ReplicaSet and garbage-collection controllers at time scale {scale:0.#} " +
            $"({scale:0.#} simulated seconds per real second), beside a static bulk fleet of {s.ActionPods:N0} pods. {s.ActionRestarts} + 1 agents are " +
            "deployed as healthy programs: one replica, RollingUpdate (maxSurge 1, maxUnavailable 0), readiness probe every " +
            $"{ActionFleet.ReadinessPeriodSeconds} s after an initial delay of {ActionFleet.ReadinessDelaySeconds} s (simulated), image already on the node. " +
            $"One Chromium page signed in as Operator restarts each agent once through its agent page: click Restart, wait for the dry run's change " +
            "line, click Confirm, wait for the result. The first restart warms the path up (JIT, the audit database, the dialog) and is reported " +
            "on its own; the others make the distributions (p50/p95/max, nearest rank).");
        result.Method.Add("Browser times are taken in the page: a capture-phase click listener (the moment the click reached the page) and a " +
            "MutationObserver noting when each stage first entered the DOM, before paint; performance.now() is mapped to the process's clock as " +
            "in the latency scenario (shortest of 15 round trips). Simulator times come from in-process watches on the store, stamped when read: " +
            "\"PATCH at the API server\" is the deployment event carrying the new restartedAt annotation (the API server has accepted and persisted " +
            "the mutation); \"rollout complete\" is when the deployment's status is complete (observed generation, one replica updated, ready and " +
            "available) and the old pod is deleted — the condition the dashboard verifies. Rollout legs are also given in simulated seconds " +
            $"(real × {scale:0.#}): at another time scale the Verified leg changes by that much, the others do not.");

        await using var cluster = await BenchCluster.StartWithControllersAsync(s.ActionPods, s.PodsPerAgent, scale, ct);
        context.Log($"action: deploying {s.ActionRestarts + 1} agents at time scale {scale}");
        var fleet = await ActionFleet.DeployAsync(cluster.Simulator.Store, cluster.Fleet.Namespace, s.ActionRestarts + 1, BenchContext.Patience, ct);
        var dashboard = await cluster.StartDashboardAsync(BenchContext.Patience, ct);
        var browser = await context.GetBrowserAsync();
        var browserContext = await browser.NewContextAsync(dashboard.BaseAddress);
        var runs = new List<RestartRun>();
        try
        {
            await using var observer = new RolloutObserver(cluster.Simulator.Store, fleet.Namespace);
            var page = await AgentActionPage.SignInAsync(browserContext, Operator, "Operator");
            foreach (var agent in fleet.Agents)
            {
                context.Log($"action: restarting {agent}");
                runs.Add(await RestartOnceAsync(page, fleet, observer, agent, ct));
            }
        }
        finally
        {
            await browserContext.CloseAsync();
        }

        Report(result, runs, scale, cluster.Fleet.PodCount + fleet.Agents.Count);
        return result;
    }

    private static async Task<RestartRun> RestartOnceAsync(AgentActionPage page, ActionFleet fleet, RolloutObserver observer, string agent, CancellationToken ct)
    {
        await page.OpenAsync(fleet.Namespace, agent);
        var oldPods = fleet.PodsOf(agent).ToHashSet(StringComparer.Ordinal);
        var restartedBefore = fleet.RestartedAt(agent);
        var clockBefore = await page.MeasureClockAsync();
        var status = await page.RestartAsync(BenchContext.Patience);
        var clockAfter = await page.MeasureClockAsync();
        var clock = clockAfter.UncertaintyMs < clockBefore.UncertaintyMs ? clockAfter : clockBefore;
        var timeline = await page.ReadTimelineAsync(clock);

        // Verified means the dashboard saw the rollout complete, so the store's events are in: this wait only covers the
        // observer's read loop, and an unverified restart is reported with what the simulator did see.
        await Waits.TryUntilAsync(() => observer.RolloutOf(agent, restartedBefore, oldPods).CompleteAt is not null || status != "Verified",
            TimeSpan.FromSeconds(10), ct);
        return new RestartRun(agent, status, timeline, observer.RolloutOf(agent, restartedBefore, oldPods), clock.UncertaintyMs);
    }

    private static void Report(ScenarioResult result, List<RestartRun> runs, double scale, int pods)
    {
        var warm = runs.Skip(1).ToList();
        var table = result.Table($"{warm.Count} restarts, time scale {scale:0.#}, {pods:N0} pods");
        var failed = runs.Where(r => r.Status != "Verified").ToList();
        foreach (var run in failed)
        {
            result.Notes.Add($"{run.Agent}: the dialog ended {run.Status ?? "without a result"}, not Verified.");
        }

        var verified = warm.Where(r => r.Status == "Verified").ToList();
        table.Add(new ResultRow("restarts verified", verified.Count, "count"));
        AddLeg(table, "Restart click → dry-run preview visible", verified, r => r.Timeline.PreviewAt - r.Timeline.RestartClickAt);
        AddLeg(table, "Confirm click → progress shown", verified, r => r.Timeline.ProgressAt - r.Timeline.ConfirmClickAt);
        AddLeg(table, "Confirm click → PATCH at the API server (applied)", verified, r => r.Rollout.PatchedAt - r.Timeline.ConfirmClickAt);
        AddLeg(table, "Confirm click → Verified shown", verified, r => r.Timeline.ResultAt - r.Timeline.ConfirmClickAt);
        AddLeg(table, "Restart click → Verified shown (whole action, no human pause)", verified, r => r.Timeline.ResultAt - r.Timeline.RestartClickAt);
        AddLeg(table, "rollout: PATCH → new pod created", verified, r => r.Rollout.NewPodCreatedAt - r.Rollout.PatchedAt, scale);
        AddLeg(table, "rollout: PATCH → new pod ready", verified, r => r.Rollout.NewPodReadyAt - r.Rollout.PatchedAt, scale);
        AddLeg(table, "rollout: PATCH → old pod gone", verified, r => r.Rollout.OldPodsGoneAt - r.Rollout.PatchedAt, scale);
        AddLeg(table, "rollout: PATCH → rollout complete", verified, r => r.Rollout.CompleteAt - r.Rollout.PatchedAt, scale);
        AddLeg(table, "rollout complete → Verified shown (watch, cache, verify, render)", verified, r => r.Timeline.ResultAt - r.Rollout.CompleteAt);
        table.Add(new ResultRow("browser clock mapping, worst uncertainty (±)", verified.Count == 0 ? null : verified.Max(r => r.ClockUncertaintyMs), "ms"));

        if (runs.Count > 0 && runs[0].Status == "Verified")
        {
            var cold = runs[0];
            var first = result.Table("first restart after start (cold: JIT, audit database, dialog)");
            first.Add(new ResultRow("Restart click → dry-run preview visible", cold.Timeline.PreviewAt - cold.Timeline.RestartClickAt, "ms"));
            first.Add(new ResultRow("Confirm click → PATCH at the API server", cold.Rollout.PatchedAt - cold.Timeline.ConfirmClickAt, "ms"));
            first.Add(new ResultRow("Confirm click → Verified shown", cold.Timeline.ResultAt - cold.Timeline.ConfirmClickAt, "ms"));
            first.Add(new ResultRow("rollout: PATCH → rollout complete", cold.Rollout.CompleteAt - cold.Rollout.PatchedAt, "ms"));
        }

        var rollout = new Distribution(verified.Select(r => r.Rollout.CompleteAt - r.Rollout.PatchedAt).OfType<double>());
        var tail = new Distribution(verified.Select(r => r.Timeline.ResultAt - r.Rollout.CompleteAt).OfType<double>());
        if (rollout.P50 is { } rolloutMs && tail.P50 is { } tailMs)
        {
            result.Notes.Add($"The Verified leg is bounded by the rollout: at p50 {rolloutMs:0} ms real = {rolloutMs * scale / 1000:0.0} simulated s " +
                $"(new pod: sandbox 1 s, image present, container create 0.3 s, readiness at {ActionFleet.ReadinessDelaySeconds} s and then every " +
                $"{ActionFleet.ReadinessPeriodSeconds} s once the agent serves after its 3 s start-up; old pod: SIGTERM, 1 s drain, deletion), " +
                $"then {tailMs:0} ms for the dashboard to see it through its watch and show it. At time scale 1 the rollout alone would take " +
                $"about {rolloutMs * scale / 1000:0} s.");
        }

        result.Raw["timeScale"] = scale;
        result.Raw["runs"] = runs;
    }

    private static void AddLeg(ResultTable table, string name, List<RestartRun> runs, Func<RestartRun, double?> leg, double? scale = null)
    {
        var d = new Distribution(runs.Select(leg).OfType<double>());
        table.Add(new ResultRow($"{name}, p50", d.P50, "ms"));
        table.Add(new ResultRow($"{name}, p95", d.P95, "ms"));
        table.Add(new ResultRow($"{name}, max", d.Max, "ms"));
        if (scale is { } s)
        {
            table.Add(new ResultRow($"{name}, p50 in simulated time", d.P50 * s / 1000, "s"));
        }

        if (d.Count < runs.Count)
        {
            table.Add(new ResultRow($"{name}, restarts where it was not seen", runs.Count - d.Count, "count"));
        }
    }

    /// <summary>One restart: the dialog's ending, what the browser and the simulator saw, and the browser clock's uncertainty.</summary>
    public sealed record RestartRun(string Agent, string? Status, ActionTimeline Timeline, RolloutObserver.Rollout Rollout, double ClockUncertaintyMs);
}
