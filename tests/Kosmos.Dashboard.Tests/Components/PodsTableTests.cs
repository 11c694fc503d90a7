using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class PodsTableTests : ComponentTest
{
    [Fact]
    public void Render_OomKilledPod_ShowsKubectlColumnsAndLastTermination()
    {
        var cut = Render([TestData.OomPod()]);

        var row = cut.Find("[data-testid=pod-row]");
        Assert.Equal("memory-agent-7f9c6-abcde", Cell(row, "pod-name"));
        Assert.Equal("0/1", Cell(row, "pod-ready"));
        Assert.Equal("CrashLoopBackOff", Cell(row, "pod-status"));
        Assert.Equal("5 (2m ago)", Cell(row, "pod-restarts"));
        Assert.Equal("30m", Cell(row, "pod-age"));
        Assert.Equal("node-1", Cell(row, "pod-node"));
        Assert.Equal("agent: OOMKilled, exit code 137, 2m ago", Cell(row, "pod-last-termination"));
    }

    [Fact]
    public void Render_SeveralPods_ListedByNameLikeKubectl()
    {
        var cut = Render([TestData.HealthyPod("b-pod", "x"), TestData.CrashPod("a-pod", "x")]);

        Assert.Equal(["a-pod", "b-pod"], cut.FindAll("[data-testid=pod-row]").Select(r => r.GetAttribute("data-pod")));
        Assert.Equal("Running", Cell(cut.Find("[data-testid=pod-row][data-pod=b-pod]"), "pod-status"));
        Assert.Equal("—", Cell(cut.Find("[data-testid=pod-row][data-pod=b-pod]"), "pod-last-termination"));
    }

    [Fact]
    public void Render_NoPods_SaysSo()
    {
        var cut = Render([]);

        Assert.NotNull(cut.Find("[data-testid=pods-empty]"));
    }

    [Fact]
    public void DescribeButton_Clicked_RaisesPodName()
    {
        string? described = null;
        var cut = Ctx.Render<PodsTable>(p => p
            .Add(c => c.Pods, [TestData.OomPod()])
            .Add(c => c.Now, TestData.Now)
            .Add(c => c.OnDescribe, (string pod) => described = pod));

        cut.Find("[data-testid=pod-describe]").Click();

        Assert.Equal("memory-agent-7f9c6-abcde", described);
    }

    private IRenderedComponent<PodsTable> Render(PodSnapshot[] pods) =>
        Ctx.Render<PodsTable>(p => p.Add(c => c.Pods, pods).Add(c => c.Now, TestData.Now));

    private static string Cell(AngleSharp.Dom.IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();
}
