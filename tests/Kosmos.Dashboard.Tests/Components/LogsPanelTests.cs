using System.Text;
using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Model;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class LogsPanelTests : ComponentTest
{
    private static readonly PodSnapshot Oom = TestData.OomPod();

    [Fact]
    public void Render_RestartedContainer_OpensPreviousRunFirst()
    {
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: true, "loading embeddings", "allocating 600Mi cache", "Killed");
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: false, "starting up");

        var cut = Render(Oom);

        cut.WaitForAssertion(() => Assert.Equal(["loading embeddings", "allocating 600Mi cache", "Killed"], Lines(cut)), Timeout);
        Assert.Equal("true", cut.Find("[data-testid=logs-mode-previous]").GetAttribute("aria-pressed"));
        Assert.Contains("Previous (crashed) run of memory-agent-7f9c6-abcde / agent, last 500 lines", cut.Find("[data-testid=logs-status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeCurrent_Clicked_ShowsCurrentRun()
    {
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: true, "old run");
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: false, "new run line 1", "new run line 2");
        var cut = Render(Oom);
        cut.WaitForAssertion(() => Assert.Equal(["old run"], Lines(cut)), Timeout);

        cut.Find("[data-testid=logs-mode-current]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["new run line 1", "new run line 2"], Lines(cut)), Timeout);
        Assert.Contains(Ctx.Logs.Reads, r => r is { Previous: false, TailLines: 500 });
    }

    [Fact]
    public void Render_ContainerWithoutPreviousRun_ShowsClearMessage()
    {
        var pod = TestData.HealthyPod("memory-agent-ok", "memory-agent");
        Ctx.Logs.SetLog(pod.Name, "agent", previous: false, "serving");
        var cut = Render(pod);
        cut.WaitForAssertion(() => Assert.Equal(["serving"], Lines(cut)), Timeout);

        cut.Find("[data-testid=logs-mode-previous]").Click();

        // Said plainly, without asking the API server for a run that does not exist (its answer is a raw 'not found').
        cut.WaitForAssertion(() => Assert.Contains("No previous run: container agent of pod memory-agent-ok has not crashed or restarted", cut.Find("[data-testid=logs-no-previous]").TextContent, StringComparison.Ordinal), Timeout);
        Assert.Empty(cut.FindAll("[data-testid=log-line]"));
        Assert.Empty(cut.FindAll("[data-testid=logs-error]"));
        Assert.DoesNotContain(Ctx.Logs.Reads, r => r.Previous);

        cut.Find("[data-testid=logs-show-current]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["serving"], Lines(cut)), Timeout);
        Assert.Equal("true", cut.Find("[data-testid=logs-mode-current]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void TailPicker_Changed_ReadsThatManyLines()
    {
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: true, [.. Enumerable.Range(1, 300).Select(i => $"line {i}")]);
        var cut = Render(Oom);
        cut.WaitForAssertion(() => Assert.Equal(300, Lines(cut).Count), Timeout);

        cut.Find("[data-testid=logs-tail-picker]").Change("100");

        cut.WaitForAssertion(() => Assert.Equal("line 201", Lines(cut)[0]), Timeout);
        Assert.Equal(100, Lines(cut).Count);
        Assert.Equal(100, Ctx.Logs.Reads[^1].TailLines);
    }

    [Fact]
    public void ContainerPicker_MultiContainerPod_SwitchesContainer()
    {
        var pod = Oom with
        {
            Containers = [.. Oom.Containers, new ContainerSnapshot { Name = "sidecar", Image = "envoy", StatusIndex = 1, Ready = true, State = new ContainerState.Running(TestData.Now) }],
        };
        Ctx.Logs.SetLog(pod.Name, "agent", previous: true, "agent crashed");
        Ctx.Logs.SetLog(pod.Name, "sidecar", previous: false, "envoy ready");
        var cut = Render(pod);
        cut.WaitForAssertion(() => Assert.Equal(["agent crashed"], Lines(cut)), Timeout);
        Assert.Equal(["agent", "sidecar"], cut.FindAll("[data-testid=logs-container-picker] option").Select(o => o.TextContent));

        cut.Find("[data-testid=logs-container-picker]").Change("sidecar");

        cut.WaitForAssertion(() => Assert.Equal(["envoy ready"], Lines(cut)), Timeout);
        Assert.Equal("true", cut.Find("[data-testid=logs-mode-current]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task Follow_LinesWritten_AppendsThem()
    {
        var cut = RenderCurrent("first");

        cut.Find("[data-testid=logs-follow]").Click();
        await FollowersAsync(1);
        Ctx.Logs.Emit(Oom.Name, "agent", "second", "third");

        cut.WaitForAssertion(() => Assert.Equal(["first", "second", "third"], Lines(cut)), Timeout);
        Assert.NotNull(cut.Find("[data-testid=logs-pause]"));
    }

    [Fact]
    public async Task Pause_WhileFollowing_CancelsTheStreamAndResumeMarksTheGap()
    {
        var cut = RenderCurrent("first");
        cut.Find("[data-testid=logs-follow]").Click();
        await FollowersAsync(1);

        cut.Find("[data-testid=logs-pause]").Click();

        await FollowersAsync(0);
        cut.WaitForAssertion(() => Assert.Equal("Resume", cut.Find("[data-testid=logs-follow]").TextContent.Trim()), Timeout);

        cut.Find("[data-testid=logs-follow]").Click();
        await FollowersAsync(1);
        Ctx.Logs.Emit(Oom.Name, "agent", "after resume");

        cut.WaitForAssertion(() => Assert.Equal(["first", "after resume"], Lines(cut)), Timeout);
        Assert.Contains("lines written meanwhile are not shown", cut.Find("[data-testid=log-gap]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_StreamEnds_SaysSo()
    {
        var cut = RenderCurrent("first");
        cut.Find("[data-testid=logs-follow]").Click();
        await FollowersAsync(1);

        Ctx.Logs.EndFollow(Oom.Name, "agent");

        cut.WaitForAssertion(() => Assert.Contains("container stopped", cut.Find("[data-testid=logs-follow-error]").TextContent, StringComparison.Ordinal), Timeout);
        Assert.NotNull(cut.Find("[data-testid=logs-follow]"));
    }

    [Fact]
    public async Task Dispose_WhileFollowing_CancelsTheStream()
    {
        var cut = RenderCurrent("first");
        cut.Find("[data-testid=logs-follow]").Click();
        await FollowersAsync(1);

        await Ctx.Bunit.DisposeComponentsAsync();

        Assert.Equal(0, Ctx.Logs.ActiveFollowers);
    }

    [Fact]
    public void Search_Typed_HighlightsMatchesAndCountsLines()
    {
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: true, "connecting to vector-store", "ERROR connection refused", "retrying: error again", "giving up");
        var cut = Render(Oom);
        cut.WaitForAssertion(() => Assert.Equal(4, Lines(cut).Count), Timeout);

        cut.Find("[data-testid=logs-search] input").Input("error");

        Assert.Equal(["ERROR", "error"], cut.FindAll("[data-testid=log-match]").Select(m => m.TextContent));
        Assert.Equal("2 matching lines", cut.Find("[data-testid=logs-match-count]").TextContent.Trim());
        Assert.Equal("ERROR connection refused", Lines(cut)[1]);

        cut.Find("[data-testid=logs-only-matches]").Change(true);
        Assert.Equal(["ERROR connection refused", "retrying: error again"], Lines(cut));
    }

    [Fact]
    public void Download_LinesShown_LinkCarriesTheLogAsDataUri()
    {
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: true, "line one", "line two");
        var cut = Render(Oom);
        cut.WaitForAssertion(() => Assert.Equal(2, Lines(cut).Count), Timeout);

        var link = cut.Find("[data-testid=logs-download]");

        Assert.Equal("memory-agent-7f9c6-abcde_agent_previous_20251213-100000.log", link.GetAttribute("download"));
        var href = link.GetAttribute("href")!;
        Assert.StartsWith(LogDownload.DataUriPrefix, href, StringComparison.Ordinal);
        Assert.Equal("line one\nline two\n", Encoding.UTF8.GetString(Convert.FromBase64String(href[LogDownload.DataUriPrefix.Length..])));
    }

    private IRenderedComponent<LogsPanel> Render(PodSnapshot pod) =>
        Ctx.Render<LogsPanel>(p => p
            .Add(c => c.Namespace, TestData.Ns)
            .Add(c => c.Pods, [pod])
            .Add(c => c.SelectedPod, pod.Name));

    private IRenderedComponent<LogsPanel> RenderCurrent(params string[] lines)
    {
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: true, "old run");
        Ctx.Logs.SetLog(Oom.Name, "agent", previous: false, lines);
        var cut = Render(Oom);
        cut.WaitForAssertion(() => Assert.Equal(["old run"], Lines(cut)), Timeout);
        cut.Find("[data-testid=logs-mode-current]").Click();
        cut.WaitForAssertion(() => Assert.Equal(lines, Lines(cut)), Timeout);
        return cut;
    }

    // The fake's followers change without a render, so this polls (with a timeout) instead of waiting for renders.
    private Task FollowersAsync(int expected) =>
        Eventually.Until(() => Ctx.Logs.ActiveFollowers == expected, Timeout, $"{expected} active log followers");

    private static List<string> Lines(IRenderedComponent<LogsPanel> cut) =>
        [.. cut.FindAll("[data-testid=log-line]").Select(l => l.TextContent)];
}
