using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class PodDescribeTests : ComponentTest
{
    [Fact]
    public void Render_OomKilledPod_LastStateShowsOomKilledAndExitCode137()
    {
        var cut = Render(TestData.OomDetail());

        var container = cut.Find("[data-testid=describe-container][data-container=agent]");
        var lastState = container.QuerySelector("[data-testid=container-last-state]")!.TextContent;
        Assert.Contains("Terminated: OOMKilled, exit code 137", lastState, StringComparison.Ordinal);
        Assert.Contains("Finished: 2025-12-13 09:58:00 UTC (2m ago)", lastState, StringComparison.Ordinal);
        Assert.Contains("Waiting: CrashLoopBackOff", container.QuerySelector("[data-testid=container-state]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("5", container.QuerySelector("[data-testid=container-restarts]")!.TextContent);
    }

    [Fact]
    public void Render_OomKilledPod_ShowsRequestsAndLimits()
    {
        var cut = Render(TestData.OomDetail());

        Assert.Equal("memory=512Mi", cut.Find("[data-testid=container-limits]").TextContent);
        Assert.Equal("cpu=100m, memory=256Mi", cut.Find("[data-testid=container-requests]").TextContent);
    }

    [Fact]
    public void Render_SecretEnv_ShowsReferenceNeverAValue()
    {
        var cut = Render(TestData.OomDetail());

        Assert.Equal("from secret kosmos-llm/api-key", cut.Find("[data-testid=env-row][data-env=LLM_API_KEY] [data-testid=env-value]").TextContent);
        Assert.Equal("debug", cut.Find("[data-testid=env-row][data-env=LOG_LEVEL] [data-testid=env-value]").TextContent);
        Assert.DoesNotContain(TestData.PlantedSecretValue, cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Pod_ShowsPhaseNodeOwnerConditionsProbesAndVolumes()
    {
        var cut = Render(TestData.OomDetail());

        Assert.Equal("Running", Field(cut, "Phase"));
        Assert.Equal("node-1", Field(cut, "Node"));
        Assert.Equal("ReplicaSet/memory-agent-7f9c6", Field(cut, "Controlled by"));
        Assert.Equal("False", cut.Find("[data-testid=describe-condition][data-condition=Ready] td:nth-child(2)").TextContent);
        Assert.Equal(
            "http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3",
            cut.Find("[data-testid=probe][data-probe=Liveness] dd").TextContent);
        Assert.Contains("claim memory-agent-state (Bound, 10Gi)", cut.Find("[data-testid=describe-volume][data-volume=state]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PodEvents_NewestFirstWithCountsAndAge()
    {
        var cut = Render(TestData.OomDetail());

        var events = cut.FindAll("[data-testid=describe-event]");
        Assert.Equal(["BackOff", "Pulled", "Scheduled"], events.Select(e => e.GetAttribute("data-reason")));
        Assert.Equal("60s (x12 over 20m)", events[0].QuerySelector("[data-testid=event-age]")!.TextContent);
    }

    [Fact]
    public void PodPicker_Changed_RaisesSelectedPod()
    {
        var detail = TestData.OomDetail();
        detail = detail with { Pods = [.. detail.Pods, TestData.HealthyPod("memory-agent-other", "memory-agent")] };
        string? chosen = null;
        var cut = Ctx.Render<PodDescribe>(p => p
            .Add(c => c.Detail, detail)
            .Add(c => c.Now, TestData.Now)
            .Add(c => c.SelectedPod, detail.Pods[0].Name)
            .Add(c => c.SelectedPodChanged, (string pod) => chosen = pod));

        cut.Find("[data-testid=describe-pod-picker]").Change("memory-agent-other");

        Assert.Equal("memory-agent-other", chosen);
    }

    private IRenderedComponent<PodDescribe> Render(AgentDetail detail) =>
        Ctx.Render<PodDescribe>(p => p
            .Add(c => c.Detail, detail)
            .Add(c => c.Now, TestData.Now)
            .Add(c => c.SelectedPod, detail.Pods[0].Name));

    private static string Field(IRenderedComponent<PodDescribe> cut, string label) =>
        cut.Find($"[data-testid=describe-field][data-key='{label}'] dd").TextContent;
}
