using Kosmos.Recovery.Health;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>The board (/) against the embedded simulator's demo fleet, in a real browser.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AgentBoardTests(DashboardFixture fixture) : IAsyncLifetime
{
    private IPage _page = null!;

    // What deploy/agents and the simulator's demo behaviours make of each agent, in the board's words.
    private static readonly ExpectedRow[] DemoFleet =
    [
        new("planner", HealthState.Healthy, "Healthy", "1/1 pods ready"),
        new("archivist", HealthState.Healthy, "Healthy", "1/1 pods ready"),
        new("researcher", HealthState.CrashLoopBackOff, "Crash loop", "keeps crashing (exited 1 (Error))"),
        new("reviewer", HealthState.CrashLoopBackOff, "Crash loop", "keeps crashing"),
        new("summarizer", HealthState.OOMKilled, "Out of memory", "OOMKilled at its 256Mi memory limit"),
        new("vector-store", HealthState.ImagePull, "Image pull failing", "cannot pull image ghcr.io/kosmos-ai/vector-store:2.5.0-rc1"),
        new("scheduler-bot", HealthState.Pending, "Pending", "cannot be scheduled"),
        new("coder", HealthState.Unresponsive, "Unresponsive", "running but not ready"),
    ];

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public Task DisposeAsync() => _page.Context.CloseAsync();

    [Fact]
    public async Task Board_DemoFleet_ShowsEveryFailureModeWithItsLabelAndSummary()
    {
        await _page.OpenAsync("/");

        await Expect(_page.GetByTestId("agent-row")).ToHaveCountAsync(DemoFleet.Length);
        foreach (var (agent, state, label, summary) in DemoFleet)
        {
            var row = _page.Locator($"[data-testid=agent-row][data-agent='{agent}']");
            await Expect(row).ToHaveAttributeAsync("data-state", state.ToString(), new() { Timeout = TimeoutFor(state) });
            await Expect(row.GetByTestId("health-label")).ToHaveTextAsync(label);
            await Expect(row.GetByTestId("agent-summary")).ToContainTextAsync(summary);
        }

        // Failing first (the board's order), and the summary line counts them.
        await Expect(_page.GetByTestId("board-summary")).ToContainTextAsync($"{DemoFleet.Length} of {DemoFleet.Length} agents shown; {DemoFleet.Count(a => a.State != HealthState.Healthy)} failing");
        var order = await _page.GetByTestId("agent-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.agent)");
        Assert.Equal(["archivist", "planner"], order.Skip(order.Length - 2).Order());
        await Expect(_page.GetByTestId("banner-kind")).ToHaveTextAsync("simulated cluster");

        await Screenshots.SaveAsync(_page, "board.png");
    }

    // coder's deadlock shows at once, but the classifier calls a running, not-ready container unresponsive only after
    // the readiness probe's initial delay plus NotReadyGrace of dashboard (real) time: the simulator's time scale does
    // not shorten the dashboard's own clock.
    private float TimeoutFor(HealthState state)
    {
        var patience = DashboardFixture.Patience;
        if (state != HealthState.Unresponsive)
        {
            return (float)patience.TotalMilliseconds;
        }

        var shownBy = fixture.ReadyAt + AgentHealthOptions.Default.NotReadyGrace + TimeSpan.FromSeconds(5) + patience;
        var remaining = shownBy - DateTimeOffset.UtcNow;
        return (float)(remaining > patience ? remaining : patience).TotalMilliseconds;
    }

    private sealed record ExpectedRow(string Agent, HealthState State, string Label, string Summary);
}
