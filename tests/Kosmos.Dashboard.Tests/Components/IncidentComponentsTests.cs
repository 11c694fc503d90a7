using Bunit;
using Kosmos.Dashboard.Components.IncidentViews;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class IncidentComponentsTests : ComponentTest
{
    private static readonly Incident Ticked = IncidentRules.Tick(
        IncidentRules.Open(Guid.NewGuid(), TestData.Agent("memory-agent", HealthState.OOMKilled), Checklist.Dashboard, null, TestData.Now),
        ChecklistItem.CheckMetricsAndLogs, "ada", TestData.Now.AddMinutes(3), TimeSpan.FromMinutes(2)).Incident!;

    [Fact]
    public void Checklist_ShowsWhoTickedAndWhen_VerificationNeverTickableByHand()
    {
        var cut = Ctx.Render<IncidentChecklist>(p => p.Add(c => c.Incident, Ticked).Add(c => c.CanTick, true).Add(c => c.Settle, TimeSpan.FromMinutes(2)));

        var metrics = cut.Find("[data-testid=checklist-item][data-item=check-metrics-and-logs]");
        Assert.Equal("true", metrics.GetAttribute("data-ticked"));
        Assert.Equal("— ada, 2025-12-13 10:03:00 UTC", metrics.QuerySelector("[data-testid=checklist-ticked-by]")!.TextContent);
        Assert.True(cut.Find("[data-item=verify-agent-functionality] [data-testid=checklist-tick]").HasAttribute("disabled"));
        Assert.Contains("ticked by the dashboard once the rollout is complete, pods are Ready and nothing new went wrong for 2m 00s",
            cut.Find("[data-item=verify-agent-functionality]").TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find("[data-item=conduct-post-mortem] [data-testid=checklist-tick]").HasAttribute("disabled"));
    }

    [Fact]
    public void Timeline_FilterHidesACategory()
    {
        var cut = Ctx.Render<IncidentTimeline>(p => p.Add(c => c.Incident, Ticked));
        Assert.Equal(2, cut.FindAll("[data-testid=timeline-entry]").Count);

        cut.Find("[data-testid=timeline-filter][data-category=Checklist]").Change(false);

        Assert.Equal("Opened", Assert.Single(cut.FindAll("[data-testid=timeline-entry]")).GetAttribute("data-kind"));
    }
}
