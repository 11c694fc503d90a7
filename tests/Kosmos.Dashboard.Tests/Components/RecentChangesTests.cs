using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Tests.Fakes;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class RecentChangesTests : ComponentTest
{
    [Fact]
    public void Render_TwoRevisions_NewestFirstWithImageResourcesEnvAndRestartDiff()
    {
        var detail = TestData.OomDetail();

        var cut = Ctx.Render<RecentChanges>(p => p
            .Add(c => c.ReplicaSets, detail.ReplicaSets)
            .Add(c => c.Deployment, detail.Deployment)
            .Add(c => c.Now, TestData.Now));

        var revisions = cut.FindAll("[data-testid=revision]");
        Assert.Equal(["2", "1"], revisions.Select(r => r.GetAttribute("data-revision")));
        Assert.NotNull(revisions[0].QuerySelector("[data-testid=revision-current]"));
        Assert.Contains("registry.local/kosmos/memory-agent:1.1", revisions[0].QuerySelector("[data-testid=revision-container]")!.TextContent, StringComparison.Ordinal);

        var changes = revisions[0].QuerySelectorAll("[data-testid=change]").Select(c => c.TextContent).ToList();
        Assert.Contains("restartedAt: (none) → 2025-12-13 09:30:00 UTC", changes);
        Assert.Contains("agent image: registry.local/kosmos/memory-agent:1.0 → registry.local/kosmos/memory-agent:1.1", changes);
        Assert.Contains("agent requests.memory: 128Mi → 256Mi", changes);
        Assert.Contains("agent limits.memory: 256Mi → 512Mi", changes);
        Assert.Contains("agent env LOG_LEVEL: info → debug", changes);
        Assert.Contains("agent env LLM_API_KEY: (none) → from secret kosmos-llm/api-key", changes);
        Assert.NotNull(revisions[1].QuerySelector("[data-testid=revision-oldest]"));
    }

    [Fact]
    public void Render_NoReplicaSets_SaysThereIsNoHistory()
    {
        var cut = Ctx.Render<RecentChanges>(p => p.Add(c => c.ReplicaSets, []).Add(c => c.Now, TestData.Now));

        Assert.Contains("the agent has no Deployment", cut.Find("[data-testid=changes-none]").TextContent, StringComparison.Ordinal);
    }
}
