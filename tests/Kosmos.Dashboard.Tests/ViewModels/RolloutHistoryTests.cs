using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class RolloutHistoryTests
{
    [Fact]
    public void Build_Revisions_NewestFirstCurrentMarkedOldestHasNoDiff()
    {
        var detail = TestData.OomDetail();

        var history = RolloutHistory.Build(detail.ReplicaSets, detail.Deployment);

        Assert.Equal([2L, 1L], history.Select(r => r.Revision!.Value));
        Assert.True(history[0].IsCurrent);
        Assert.False(history[1].IsCurrent);
        Assert.True(history[1].IsOldest);
        Assert.Empty(history[1].Changes);
        Assert.Equal("requests cpu=100m, memory=256Mi; limits memory=512Mi", history[0].Containers[0].Resources);
    }

    [Fact]
    public void Build_OtherDeploymentsReplicaSets_Ignored()
    {
        var detail = TestData.OomDetail();
        var foreign = TestData.Revision("other-agent", 9, TestData.AgentContainer(), TestData.Now);

        var history = RolloutHistory.Build([.. detail.ReplicaSets, foreign], detail.Deployment);

        Assert.DoesNotContain(history, r => r.ReplicaSetName == foreign.Name);
    }

    public static TheoryData<string, ContainerSnapshot, ContainerSnapshot, string[]> Diffs => new()
    {
        {
            "image",
            TestData.AgentContainer("img:1"),
            TestData.AgentContainer("img:2"),
            ["agent image: img:1 → img:2"]
        },
        {
            "resources",
            TestData.AgentContainer(memoryLimit: "512Mi"),
            TestData.AgentContainer(memoryLimit: "1Gi") with { Resources = new ContainerResources(StringMap.Of(("memory", "256Mi")), StringMap.Of(("memory", "1Gi"))) },
            ["agent requests.cpu: 100m → (none)", "agent limits.memory: 512Mi → 1Gi"]
        },
        {
            "env literal changed, secret ref added, var removed",
            TestData.AgentContainer() with { Env = [EnvVarSnapshot.Literal("A", "1"), EnvVarSnapshot.Literal("GONE", "x")] },
            TestData.AgentContainer() with { Env = [EnvVarSnapshot.Literal("A", "2"), EnvVarSnapshot.FromSecret("KEY", "s", "k")] },
            ["agent env A: 1 → 2", "agent env GONE: x → (none)", "agent env KEY: (none) → from secret s/k"]
        },
        {
            "envFrom",
            TestData.AgentContainer() with { EnvFrom = [new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "old")] },
            TestData.AgentContainer() with { EnvFrom = [new EnvFromSnapshot(EnvVarSourceKind.Secret, "new")] },
            ["agent envFrom: configmap old → (none)", "agent envFrom: (none) → secret new"]
        },
        {
            "nothing",
            TestData.AgentContainer(),
            TestData.AgentContainer(),
            []
        },
    };

    [Theory]
    [MemberData(nameof(Diffs))]
    public void Diff_ContainerChanged_SpelledOut(string what, ContainerSnapshot before, ContainerSnapshot after, string[] expected)
    {
        _ = what;
        var changes = RolloutHistory.Diff(new PodTemplateSnapshot { Containers = [before] }, new PodTemplateSnapshot { Containers = [after] });

        Assert.Equal(expected, changes.Select(c => c.Text));
    }

    [Fact]
    public void Diff_ContainersAddedAndRemovedAndRestarted_Listed()
    {
        var before = new PodTemplateSnapshot { Containers = [TestData.AgentContainer("a:1") with { Name = "old" }] };
        var after = new PodTemplateSnapshot
        {
            Containers = [TestData.AgentContainer("b:1") with { Name = "new" }],
            Annotations = StringMap.Of((WellKnownKeys.RestartedAtAnnotation, "2025-12-13T09:00:00Z")),
        };

        var changes = RolloutHistory.Diff(before, after).Select(c => c.Text).ToList();

        Assert.Equal(["restartedAt: (none) → 2025-12-13 09:00:00 UTC", "container new added (b:1)", "container old removed (was a:1)"], changes);
    }
}
