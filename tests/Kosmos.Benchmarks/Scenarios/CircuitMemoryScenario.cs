using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>Server memory per added board viewer: the slope of the managed heap as Blazor circuits (browser pages on the board) are added.</summary>
public sealed class CircuitMemoryScenario : IScenario
{
    public const double TargetMiBPerViewer = 1;

    public string Name => "circuit-memory";

    public string Title => "Server memory per added board viewer (Blazor circuit)";

    public int Order => 40;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var s = context.Settings;
        var result = new ScenarioResult(Name, Title);
        if (!s.Browser)
        {
            result.Status = "not measured: --no-browser";
            return result;
        }

        result.Method.Add($"{s.CircuitPods:N0} pods, the dashboard synced, no changes. Board pages are opened in one Chromium context " +
            $"({string.Join(" → ", s.CircuitPages)} pages); each is waited for until its circuit is interactive and its board full. At each step " +
            "the process's managed heap is taken after forced, blocking, compacting full collections; the least-squares slope over the steps is " +
            "the memory one more board viewer costs the server (its circuit, its board state and render tree; Playwright's per-page objects " +
            "in this process are a few KB of it).");

        await using var cluster = await BenchCluster.StartAsync(s.CircuitPods, s.PodsPerAgent, ct);
        var agents = cluster.Fleet.Agents.Count;
        var dashboard = await cluster.StartDashboardAsync(BenchContext.Patience, ct);
        var browser = await context.GetBrowserAsync();
        var browserContext = await browser.NewContextAsync(dashboard.BaseAddress);
        var table = result.Table($"{cluster.Fleet.PodCount:N0} pods, {agents:N0} agents");
        var points = new List<(int Pages, long Bytes)>();
        try
        {
            var open = 0;
            foreach (var target in s.CircuitPages.Order())
            {
                context.Log($"circuit-memory: {target} pages");
                for (; open < target; open++)
                {
                    await BoardPage.OpenAsync(browserContext, agents);
                }

                var bytes = ManagedHeap.SettledBytes();
                points.Add((open, bytes));
                table.Add(new ResultRow($"managed heap with {open} board pages", ManagedHeap.ToMiB(bytes), "MB"));
            }
        }
        finally
        {
            await browserContext.CloseAsync();
        }

        var slope = Slope(points);
        table.Add(ResultRow.Checked("server memory per added board viewer (slope)", slope is null ? null : ManagedHeap.ToMiB((long)slope), "MB",
            $"≤ {TargetMiBPerViewer:0} MB", v => v <= TargetMiBPerViewer));
        result.Raw["points"] = points.Select(p => new { pages = p.Pages, bytes = p.Bytes }).ToList();
        return result;
    }

    /// <summary>Least-squares bytes per page, or null with fewer than two distinct page counts.</summary>
    private static double? Slope(List<(int Pages, long Bytes)> points)
    {
        if (points.Select(p => p.Pages).Distinct().Count() < 2)
        {
            return null;
        }

        var meanX = points.Average(p => (double)p.Pages);
        var meanY = points.Average(p => (double)p.Bytes);
        return points.Sum(p => (p.Pages - meanX) * (p.Bytes - meanY)) / points.Sum(p => (p.Pages - meanX) * (p.Pages - meanX));
    }
}
