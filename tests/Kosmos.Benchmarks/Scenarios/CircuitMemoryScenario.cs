using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>Server memory per added board viewer: the slope of the managed heap as Blazor circuits (browser pages on the board) are added.</summary>
public sealed class CircuitMemoryScenario : IScenario
{
    public const double TargetMiBPerViewer = 0.5;

    /// <summary>Settled heap readings per step: their spread shows how much of a step's difference is noise.</summary>
    public const int SamplesPerStep = 3;

    // Readings of a big process move by a few MB with what is in flight at the moment (renders, watch events): a 0.5% band.
    private const double StableFraction = 0.005;

    private const long StableFloor = 1024 * 1024;

    /// <summary>The least R² of the slope's line for the figure to count.</summary>
    public const double MinRSquared = 0.8;

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(180);

    // A page with the whole layout (app bar, approvals badge, user menu, cluster banner) and a few lines of text.
    private const string FloorPath = "/denied";

    public string Name => "circuit-memory";

    public string Title => "Server memory per added board viewer (Blazor circuit)";

    // First: after the scale phases the process holds far more (pools, caches of 100,000 pods) and lets go of it while this
    // scenario adds viewers (a run measured a negative slope with R² 0.42); measured first, the heap is the dashboard's.
    public int Order => 5;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var s = context.Settings;
        var result = new ScenarioResult(Name, Title);
        if (!s.Browser)
        {
            result.Status = "not measured: --no-browser";
            return result;
        }

        var steps = s.CircuitPages.Distinct().Order().ToList();
        result.Method.Add($"{s.CircuitPods:N0} pods, the dashboard synced, no changes. {s.CircuitWarmupPages} warm-up board page(s) are opened first and " +
            "kept open, so the first circuit's one-time costs (type and JIT caches, MudBlazor's and Blazor's static state, the first SignalR " +
            "connection, pools growing to their working size) are not charged to the viewers measured. The process then waits until its settled " +
            $"heap stops shrinking: at least {s.CircuitSettleAtLeast.TotalSeconds:0} s, then until 4 readings 5 s apart lie within 0.5% of it " +
            "(at least 1 MB), at most 3 minutes (the shared array pools and Kestrel's memory pool let go of the buffers of the start-up lists for a minute or " +
            "two; a slope taken meanwhile is mostly that), and then board pages are added in one Chromium " +
            $"context ({string.Join(" → ", steps)} pages beyond the warm-up); each is waited for until its circuit is interactive and its board full. " +
            $"At each step the process's managed heap is read {SamplesPerStep} times, each after forced, blocking, compacting full collections " +
            "(finalizers run between). The least-squares line through every reading gives the memory one more board viewer costs the server " +
            "(its circuit, board state and render tree; Playwright's per-page objects in this process are a few KB of it) and R², how well a " +
            "straight line explains the readings (1: every added viewer costs the same). Then as many pages of " + FloorPath + " (the layout and a " +
            "sentence, no board) are added and the heap read again: what any page of the dashboard costs, the floor under the per-viewer figure.");

        await using var cluster = await BenchCluster.StartAsync(s.CircuitPods, s.PodsPerAgent, ct);
        var agents = cluster.Fleet.Agents.Count;
        var dashboard = await cluster.StartDashboardAsync(BenchContext.Patience, ct);
        var browser = await context.GetBrowserAsync();
        var browserContext = await browser.NewContextAsync(dashboard.BaseAddress);
        var table = result.Table($"{cluster.Fleet.PodCount:N0} pods, {agents:N0} agents");
        var readings = new List<(int Pages, long Bytes)>();
        double floor;
        try
        {
            for (var i = 0; i < s.CircuitWarmupPages; i++)
            {
                await BoardPage.OpenAsync(browserContext, agents);
            }

            context.Log("circuit-memory: waiting for the heap to stop shrinking");
            var tolerance = Math.Max(StableFloor, (long)(ManagedHeap.SettledBytes() * StableFraction));
            var (settled, took) = await ManagedHeap.WaitUntilStableAsync(tolerance, 4, TimeSpan.FromSeconds(5), s.CircuitSettleAtLeast, SettleTimeout, ct);
            table.Add(new ResultRow($"time until the heap was stable before the first step (4 readings 5 s apart within {ManagedHeap.ToMiB(tolerance):0.0} MB" +
                (settled ? ")" : $"; not reached within {SettleTimeout.TotalSeconds:0} s, so the slope includes drift)"), took.TotalSeconds, "s"));
            var open = 0;
            foreach (var target in steps)
            {
                context.Log($"circuit-memory: {target} pages (+{s.CircuitWarmupPages} warm-up)");
                for (; open < target; open++)
                {
                    await BoardPage.OpenAsync(browserContext, agents);
                }

                var samples = Enumerable.Range(0, SamplesPerStep).Select(_ => ManagedHeap.SettledBytes()).Order().ToList();
                await HeapDump.TakeAsync($"circuit-memory-{open}-pages", context, ct);
                readings.AddRange(samples.Select(b => (open, b)));
                table.Add(new ResultRow($"managed heap with {open} board pages (median of {SamplesPerStep}; spread " +
                    $"{ManagedHeap.ToMiB(samples[^1] - samples[0]) * 1024:0} KB)", ManagedHeap.ToMiB(samples[samples.Count / 2]), "MB"));
            }

            floor = await LayoutOnlyFloorAsync(context, browserContext, steps[^1], ct);
        }
        finally
        {
            await browserContext.CloseAsync();
        }

        var fit = LinearFit.Of([.. readings.Select(r => ((double)r.Pages, (double)r.Bytes))]);
        // A slope that is not positive, or a line that explains little, is the process shrinking or growing on its own
        // (pools, caches) while viewers were added: a failed measurement, never a pass.
        var straight = fit is { RSquared: >= MinRSquared };
        table.Add(ResultRow.Checked("server memory per added board viewer (slope)", fit is null ? null : ManagedHeap.ToMiB((long)fit.Slope), "MB",
            $"≤ {TargetMiBPerViewer:0.#} MB, > 0, R² ≥ {MinRSquared:0.0#}", v => straight && v > 0 && v <= TargetMiBPerViewer));
        table.Add(new ResultRow("R² of the slope's line", fit?.RSquared, "(1 = linear)"));
        table.Add(new ResultRow($"… of it, what any page costs: per added {FloorPath} page (the layout, the circuit and its SignalR connection; no board)", ManagedHeap.ToMiB((long)floor), "MB"));
        table.Add(new ResultRow("… of it, the board's own part (slope − that)", fit is null ? null : ManagedHeap.ToMiB((long)(fit.Slope - floor)), "MB"));
        for (var i = 1; i < steps.Count; i++)
        {
            var (from, to) = (steps[i - 1], steps[i]);
            var step = (Median(readings, to) - Median(readings, from)) / (to - from);
            table.Add(new ResultRow($"per viewer from {from} to {to} pages", ManagedHeap.ToMiB((long)step), "MB"));
        }

        result.Raw["warmupPages"] = s.CircuitWarmupPages;
        result.Raw["readings"] = readings.Select(p => new { pages = p.Pages, bytes = p.Bytes }).ToList();
        result.Raw["fit"] = fit;
        return result;
    }

    /// <summary>
    /// The floor under the target: memory per added page that has the layout but no board (<see cref="FloorPath"/>), from
    /// <paramref name="pages"/> such pages opened after the board steps. What a viewer costs beyond it is the board's.
    /// </summary>
    private static async Task<double> LayoutOnlyFloorAsync(BenchContext context, Microsoft.Playwright.IBrowserContext browserContext, int pages, CancellationToken ct)
    {
        context.Log($"circuit-memory: {pages} layout-only pages ({FloorPath})");
        var before = Enumerable.Range(0, SamplesPerStep).Select(_ => ManagedHeap.SettledBytes()).Order().ToList()[SamplesPerStep / 2];
        for (var i = 0; i < pages; i++)
        {
            var page = await browserContext.NewPageAsync();
            await page.GotoAsync(FloorPath);
            await page.GetByTestId("circuit-interactive").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
        }

        var after = Enumerable.Range(0, SamplesPerStep).Select(_ => ManagedHeap.SettledBytes()).Order().ToList()[SamplesPerStep / 2];
        await HeapDump.TakeAsync($"circuit-memory-{pages}-layout-only-pages", context, ct);
        return pages == 0 ? 0 : (after - before) / (double)pages;
    }

    private static double Median(List<(int Pages, long Bytes)> readings, int pages)
    {
        var at = readings.Where(r => r.Pages == pages).Select(r => r.Bytes).Order().ToList();
        return at[at.Count / 2];
    }
}
