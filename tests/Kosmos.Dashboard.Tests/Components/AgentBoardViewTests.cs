using AngleSharp.Dom;
using Bunit;
using Kosmos.Dashboard.Components.Board;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Components.Web.Virtualization;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class AgentBoardViewTests : ComponentTest
{
    public static TheoryData<HealthState> AllStates => [.. Enum.GetValues<HealthState>()];

    [Theory]
    [MemberData(nameof(AllStates))]
    public void Render_EachHealthState_ShowsLabelIconAndEvidence(HealthState state)
    {
        var agent = TestData.OnePerState().Single(a => a.Health.State == state);
        Ctx.Board.Upsert(agent);

        var cut = Ctx.Render<AgentBoardView>();

        var row = Row(cut, agent.Name);
        var look = HealthStatePresentation.For(state);
        var health = row.QuerySelector("[data-testid=health]")!;
        Assert.Equal(look.Label, health.QuerySelector("[data-testid=health-label]")!.TextContent.Trim());
        Assert.Equal(look.Icon, health.GetAttribute("data-icon"));
        Assert.NotNull(health.QuerySelector("svg"));
        Assert.Contains($"kosmos-health--{look.Colour}", health.ClassName, StringComparison.Ordinal);
        Assert.Equal(agent.Health.Summary, row.QuerySelector("[data-testid=agent-summary]")!.TextContent.Trim());
        Assert.Equal(agent.Health.Evidence[0], row.QuerySelector("[data-testid=agent-evidence-line]")!.TextContent.Trim());
    }

    [Fact]
    public void Render_OomAgent_ShowsPodsRestartsSinceAndLastChange()
    {
        Ctx.Board.Upsert(TestData.Agent("memory-agent", HealthState.OOMKilled, since: TestData.Now.AddMinutes(-12), ready: 0, desired: 2, restarts: 5, lastChange: TestData.Now.AddMinutes(-2)));

        var cut = Ctx.Render<AgentBoardView>();

        var row = Row(cut, "memory-agent");
        Assert.Equal("0/2", Text(row, "agent-pods"));
        Assert.Equal("5", Text(row, "agent-restarts"));
        Assert.Equal("for 12m", Text(row, "agent-since"));
        Assert.Equal("2m ago", Text(row, "agent-last-change"));
        Assert.Equal("agents/kosmos/memory-agent", row.QuerySelector("[data-testid=agent-link]")!.GetAttribute("href"));
    }

    [Fact]
    public void Render_MixedStates_FailingFirstThenByName()
    {
        Ctx.Board.Upsert(TestData.OnePerState());
        Ctx.Board.Upsert(TestData.Agent("aardvark-oom", HealthState.OOMKilled));

        var cut = Ctx.Render<AgentBoardView>();

        Assert.Equal(
            ["aardvark-oom", "delta-oom", "charlie-crash", "golf-imagepull", "echo-unresponsive", "hotel-degraded", "foxtrot-pending", "india-unknown", "juliet-recovered", "bravo-progressing", "alpha-healthy", "kilo-scaled"],
            RowNames(cut));
    }

    [Fact]
    public void StateChip_Clicked_ShowsOnlyThatStateAndCountsStay()
    {
        Ctx.Board.Upsert(TestData.OnePerState());
        Ctx.Board.Upsert(TestData.Agent("zulu-oom", HealthState.OOMKilled));
        var cut = Ctx.Render<AgentBoardView>();

        var oomChip = Chip(cut, HealthState.OOMKilled);
        Assert.Equal("2", oomChip.QuerySelector("[data-testid=state-count]")!.TextContent.Trim());
        oomChip.Click();

        cut.WaitForAssertion(() => Assert.Equal(["delta-oom", "zulu-oom"], RowNames(cut)), Timeout);
        Assert.Equal("true", Chip(cut, HealthState.OOMKilled).GetAttribute("aria-pressed"));
        Assert.Equal("12", cut.Find("[data-testid=state-chip-all] [data-testid=state-count]").TextContent.Trim());

        Chip(cut, HealthState.Healthy).Click();
        cut.WaitForAssertion(() => Assert.Equal(["delta-oom", "zulu-oom", "alpha-healthy"], RowNames(cut)), Timeout);

        cut.Find("[data-testid=state-chip-all]").Click();
        cut.WaitForAssertion(() => Assert.Equal(12, RowNames(cut).Count), Timeout);
    }

    [Fact]
    public void Search_TypedName_FiltersRowsCaseInsensitively()
    {
        Ctx.Board.Upsert(TestData.OnePerState());
        var cut = Ctx.Render<AgentBoardView>();

        cut.Find("[data-testid=board-search] input").Input("CRASH");

        cut.WaitForAssertion(() => Assert.Equal(["charlie-crash"], RowNames(cut)), Timeout);

        cut.Find("[data-testid=board-search] input").Input("no-such-agent");
        Assert.NotNull(cut.Find("[data-testid=board-no-match]"));
    }

    [Fact]
    public void LiveUpsert_AgentStartsFailing_RowUpdatesAndMovesUp()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha", HealthState.Healthy), TestData.Agent("bravo", HealthState.Healthy));
        var cut = Ctx.Render<AgentBoardView>();
        Assert.Equal(["alpha", "bravo"], RowNames(cut));

        Ctx.Board.Upsert(TestData.Agent("bravo", HealthState.CrashLoopBackOff, "container agent keeps crashing", ["restarted 3 times"], TestData.Now.AddMinutes(-1), ready: 0, restarts: 3));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["bravo", "alpha"], RowNames(cut));
            var row = Row(cut, "bravo");
            Assert.Equal("Crash loop", Text(row, "health-label"));
            Assert.Equal("container agent keeps crashing", Text(row, "agent-summary"));
            Assert.Equal("3", Text(row, "agent-restarts"));
        }, Timeout);
    }

    [Fact]
    public void LiveUpsert_NewAgent_AppearsAndChipCountsFollow()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha", HealthState.Healthy));
        var cut = Ctx.Render<AgentBoardView>();

        Ctx.Board.Upsert(TestData.Agent("zulu", HealthState.Pending));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["zulu", "alpha"], RowNames(cut));
            Assert.Equal("1", Chip(cut, HealthState.Pending).QuerySelector("[data-testid=state-count]")!.TextContent.Trim());
        }, Timeout);
    }

    [Fact]
    public void LiveRemoval_AgentDeleted_RowDisappears()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha"), TestData.Agent("bravo"));
        var cut = Ctx.Render<AgentBoardView>();

        Ctx.Board.Remove(AgentKey.Of(TestData.Ns, "alpha"));

        cut.WaitForAssertion(() => Assert.Equal(["bravo"], RowNames(cut)), Timeout);
    }

    [Fact]
    public void LiveRemoval_LastAgent_ShowsEmptyState()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha"));
        var cut = Ctx.Render<AgentBoardView>();

        Ctx.Board.Remove(AgentKey.Of(TestData.Ns, "alpha"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=board-empty]")), Timeout);
    }

    [Fact]
    public void Render_SyncedWithoutAgents_SaysNoAgentsInNamespace()
    {
        var cut = Ctx.Render<AgentBoardView>();

        Assert.Contains("No agents in namespace kosmos", cut.Find("[data-testid=board-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=board-not-synced]"));
    }

    [Fact]
    public void Render_NotYetSynced_SaysWaitingForFirstSync()
    {
        Ctx.Board.SetStatus(TestData.SyncingStatus());

        var cut = Ctx.Render<AgentBoardView>();

        Assert.Contains("Waiting for the first sync", cut.Find("[data-testid=board-not-synced]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=board-empty]"));
    }

    [Fact]
    public void StatusChanged_SyncCompletes_NotSyncedGivesWayToEmptyState()
    {
        Ctx.Board.SetStatus(TestData.SyncingStatus());
        var cut = Ctx.Render<AgentBoardView>();

        Ctx.Board.SetStatus(TestData.SyncedStatus());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=board-empty]")), Timeout);
    }

    [Fact]
    public void Resynced_BoardCutsSubscriberOff_ResubscribesAndShowsFreshSnapshot()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha"));
        var cut = Ctx.Render<AgentBoardView>();

        Ctx.Board.ResyncAll(TestData.Agent("bravo", HealthState.OOMKilled), TestData.Agent("charlie"));

        cut.WaitForAssertion(() => Assert.Equal(["bravo", "charlie"], RowNames(cut)), Timeout);
        Assert.Equal(2, Ctx.Board.SubscribeCount);

        // The new subscription is live too.
        Ctx.Board.Remove(AgentKey.Of(TestData.Ns, "charlie"));
        cut.WaitForAssertion(() => Assert.Equal(["bravo"], RowNames(cut)), Timeout);
    }

    [Fact]
    public async Task Dispose_BoardUnmounted_SubscriptionAndStatusListenerReleased()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha"));
        Ctx.Render<AgentBoardView>();
        Assert.Equal(1, Ctx.Board.ActiveSubscriptions);

        await Ctx.Bunit.DisposeComponentsAsync();

        Assert.Equal(0, Ctx.Board.ActiveSubscriptions);
        Assert.Equal(0, Ctx.Board.StatusListeners);
    }

    [Fact]
    public void Render_ThousandAgents_RendersOnlyAWindowOfRows()
    {
        var agents = Enumerable.Range(0, 1000)
            .Select(i => TestData.Agent($"agent-{i:D4}", i % 10 == 0 ? HealthState.CrashLoopBackOff : HealthState.Healthy))
            .ToArray();
        Ctx.Board.Upsert(agents);

        var cut = Ctx.Render<AgentBoardView>();

        Assert.Contains("1000 of 1000 agents shown; 100 failing", cut.Find("[data-testid=board-summary]").TextContent, StringComparison.Ordinal);
        var rendered = RowNames(cut);
        Assert.InRange(rendered.Count, 1, 199);
        Assert.Equal(["agent-0000", "agent-0010", "agent-0020"], rendered.Take(3));
    }

    [Fact]
    public void Render_ThousandAgents_RendersAFewRowsBeyondTheScreenOnly()
    {
        Ctx.Board.Upsert([.. Enumerable.Range(0, 1000).Select(i => TestData.Agent($"agent-{i:0000}", HealthState.Healthy))]);

        var cut = Ctx.Render<AgentBoardView>();

        // Every rendered row is held twice per viewer (current and previous render tree, ~10 KB): rows off screen cost
        // each viewer's circuit memory, so the overscan stays small (Blazor's default).
        var virtualize = cut.FindComponent<Virtualize<AgentSummary>>();
        Assert.InRange(virtualize.Instance.OverscanCount, 1, 3);
    }

    private static IElement Row(IRenderedComponent<AgentBoardView> cut, string name) =>
        cut.Find($"[data-testid=agent-row][data-agent='{name}']");

    private static IElement Chip(IRenderedComponent<AgentBoardView> cut, HealthState state) =>
        cut.Find($"[data-testid=state-chip][data-state='{state}']");

    private static List<string> RowNames(IRenderedComponent<AgentBoardView> cut) =>
        [.. cut.FindAll("[data-testid=agent-row]").Select(r => r.GetAttribute("data-agent")!)];

    private static string Text(IElement row, string testId) =>
        row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();
}
