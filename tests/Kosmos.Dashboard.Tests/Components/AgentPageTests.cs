using Bunit;
using Kosmos.Dashboard.Components.Pages;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Health;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class AgentPageTests : ComponentTest
{
    [Fact]
    public void Render_UnknownAgent_ShowsNotFound()
    {
        var cut = RenderPage("no-such-agent");

        var notFound = cut.Find("[data-testid=agent-not-found]");
        Assert.Contains("Agent kosmos/no-such-agent not found", notFound.TextContent, StringComparison.Ordinal);
        Assert.Contains("no pod labelled app=no-such-agent", notFound.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionActivity_PublishedWhileOpen_ShownLiveWithWhoActsAndWhoApproved()
    {
        Ctx.Board.SetDetail(TestData.OomDetail());
        var cut = RenderPage("memory-agent");
        var target = new Kosmos.Recovery.Actions.AgentRef(TestData.Ns, "memory-agent");

        Ctx.Activity.Publish(new Kosmos.Recovery.Actions.ActionActivity(Guid.NewGuid(), Kosmos.Recovery.Actions.ActionKind.Reset, target,
            new Kosmos.Recovery.Actions.Actor("ada", "Operator"), new Kosmos.Recovery.Actions.Actor("cora", "IncidentCommander"), TestData.Now,
            Kosmos.Recovery.Actions.ActionStatus.Running,
            new Kosmos.Recovery.Actions.ActionProgress(Kosmos.Recovery.Actions.ActionStep.Verify, "Waiting for the rollout: 1/2 new pods ready", 1, 2), null));

        cut.WaitForAssertion(() => Assert.Equal("Reset by ada (approved by cora) — Waiting for the rollout: 1/2 new pods ready",
            cut.Find("[data-testid=agent-activity]").TextContent.Trim()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void InterruptedAction_InTheAudit_ShownWithItsSteps()
    {
        Ctx.Board.SetDetail(TestData.OomDetail());
        Ctx.Audit.Entries.Add(new Kosmos.Recovery.Actions.AuditEntry(Guid.NewGuid(), TestData.Now, "ada", "Operator", TestData.Ns, "memory-agent", "reset",
            "Interrupted", "", "", null, "The dashboard stopped while this action ran", TimeSpan.FromSeconds(3))
        {
            PlanSteps = [new(0, "Delete claim memory-state", Kosmos.Recovery.Actions.PlanStepState.Done, "deleted"),
                new(1, "Delete every pod", Kosmos.Recovery.Actions.PlanStepState.Interrupted, "started, not known to be done")],
        });

        var cut = RenderPage("memory-agent");

        cut.WaitForAssertion(() => Assert.Equal(["Done", "Interrupted"],
            cut.FindAll("[data-testid=agent-interrupted-step]").Select(e => e.GetAttribute("data-state"))), TimeSpan.FromSeconds(5));
        Assert.Contains("reset by ada was interrupted", cut.Find("[data-testid=agent-interrupted]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OomAgent_HeaderShowsHealthSummaryEvidenceAndSince()
    {
        Ctx.Board.SetDetail(TestData.OomDetail());

        var cut = RenderPage("memory-agent");

        var header = cut.Find("[data-testid=agent-header]");
        Assert.Equal("Out of memory", header.QuerySelector("[data-testid=health-label]")!.TextContent);
        Assert.Equal("memory", header.QuerySelector("[data-testid=health]")!.GetAttribute("data-icon"));
        Assert.Equal("container agent OOMKilled at its 512Mi memory limit; 0/1 pods ready", header.QuerySelector("[data-testid=agent-summary]")!.TextContent);
        Assert.Equal(2, header.QuerySelectorAll("[data-testid=agent-evidence-line]").Length);
        Assert.StartsWith("12m (2025-12-13 09:48:00 UTC)", header.QuerySelector("[data-testid=agent-fact][data-key=since] dd")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OomAgent_EveryPanelIsComposed()
    {
        Ctx.Board.SetDetail(TestData.OomDetail());

        var cut = RenderPage("memory-agent");

        foreach (var panel in new[] { "pods-table", "pod-describe", "logs-panel", "recent-changes", "runbook-guidance", "storage-panel" })
        {
            Assert.NotNull(cut.Find($"[data-testid={panel}]"));
        }

        Assert.Equal("CrashLoopBackOff", cut.Find("[data-testid=pod-row] [data-testid=pod-status]").TextContent);
    }

    [Fact]
    public void DetailUpdate_PodRecovers_PanelsFollow()
    {
        var detail = TestData.OomDetail();
        Ctx.Board.SetDetail(detail);
        var cut = RenderPage("memory-agent");

        Ctx.Board.SetDetail(detail with
        {
            Summary = TestData.Agent("memory-agent", HealthState.Healthy, "1/1 pods ready"),
            Pods = [TestData.HealthyPod("memory-agent-7f9c6-abcde", "memory-agent")],
        });

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Healthy", cut.Find("[data-testid=agent-header] [data-testid=health-label]").TextContent);
            Assert.Equal("Running", cut.Find("[data-testid=pod-row] [data-testid=pod-status]").TextContent);
        }, Timeout);
    }

    [Fact]
    public void DetailUpdate_AgentVanishes_ShowsNotFoundAndSaysItDisappeared()
    {
        Ctx.Board.SetDetail(TestData.OomDetail());
        var cut = RenderPage("memory-agent");

        Ctx.Board.RemoveAgent(TestData.Ns, "memory-agent");

        cut.WaitForAssertion(() => Assert.Contains("has disappeared", cut.Find("[data-testid=agent-not-found]").TextContent, StringComparison.Ordinal), Timeout);
    }

    [Fact]
    public async Task Dispose_PageUnmounted_DetailSubscriptionReleased()
    {
        Ctx.Board.SetDetail(TestData.OomDetail());
        RenderPage("memory-agent");
        Assert.Equal(1, Ctx.Board.ActiveDetailSubscriptions);

        await Ctx.Bunit.DisposeComponentsAsync();

        Assert.Equal(0, Ctx.Board.ActiveDetailSubscriptions);
    }

    [Fact]
    public void PodLogsButton_Clicked_LogsPanelShowsThatPod()
    {
        var detail = TestData.OomDetail();
        var second = TestData.HealthyPod("memory-agent-7f9c6-zzzzz", "memory-agent");
        Ctx.Board.SetDetail(detail with { Pods = [.. detail.Pods, second] });
        Ctx.Logs.SetLog(second.Name, "agent", previous: false, "serving on :8080");
        var cut = RenderPage("memory-agent");

        cut.Find($"[data-testid=pod-row][data-pod='{second.Name}'] [data-testid=pod-logs]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["serving on :8080"], cut.FindAll("[data-testid=log-line]").Select(l => l.TextContent)), Timeout);
        Assert.Equal(second.Name, cut.Find("[data-testid=logs-pod-picker]").GetAttribute("value"));
    }

    private IRenderedComponent<AgentPage> RenderPage(string name) =>
        Ctx.Render<AgentPage>(p => p.Add(c => c.Namespace, TestData.Ns).Add(c => c.Name, name));
}
