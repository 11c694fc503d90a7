using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Actions;

public sealed class ResourceRolloutTests
{
    private static readonly ResourceFieldChange[] Changes = [new("agent", ResourceField.MemoryLimit, "256Mi", "2Gi")];

    [Fact]
    public void Evaluate_EveryPodReadyWithTheNewLimit_Complete()
    {
        var progress = ResourceRollout.Evaluate(Detail(Pod("a", "2048Mi"), Pod("b", "2Gi")), generation: 2, Changes);

        Assert.Equal(new RolloutProgress(true, 2, 2, "2/2 pods ready with the new resources (agent limits.memory=2Gi); no old pods left"), progress);
    }

    [Fact]
    public void Evaluate_AnOldPodLeft_Waits()
    {
        var progress = ResourceRollout.Evaluate(Detail(Pod("a", "2Gi"), Pod("b", "2Gi"), Pod("old", "256Mi")), generation: 2, Changes);

        Assert.Equal((false, "2/2 pods ready with the new resources; 1 old pod left"), (progress.Complete, progress.Detail));
    }

    [Fact]
    public void Evaluate_GenerationNotObserved_WaitsForController()
    {
        var detail = Detail(Pod("a", "2Gi"), Pod("b", "2Gi"));
        detail = detail with { Deployment = detail.Deployment! with { ObservedGeneration = 1 } };

        Assert.Equal("waiting for the deployment controller to observe generation 2", ResourceRollout.Evaluate(detail, 2, Changes).Detail);
    }

    [Fact]
    public void OomKilledSince_NewPodKilled_NamesIt()
    {
        var killed = PodBuilder.Pod("a").Container(Containers.Running("agent").WithMemoryLimit("2Gi").WithRestarts(1)
            .WithLastTermination(KubeReasons.OomKilled, 137, Clock.T0)).Ready().Build();

        Assert.Equal("container agent of pod a was OOMKilled (memory limit 2Gi, 1 restarts)", ResourceRollout.OomKilledSince(Detail(killed, Pod("b", "2Gi")), Changes));
    }

    [Fact]
    public void OomKilledSince_OnlyAnOldPodKilled_Null()
    {
        var old = PodBuilder.Pod("old").Container(Containers.Running("agent").WithMemoryLimit("256Mi").WithLastTermination(KubeReasons.OomKilled, 137, Clock.T0)).Build();

        Assert.Null(ResourceRollout.OomKilledSince(Detail(old, Pod("b", "2Gi")), Changes));
    }

    private static PodSnapshot Pod(string name, string memoryLimit) =>
        PodBuilder.Pod(name).Container(Containers.Running("agent").WithMemoryLimit(memoryLimit)).Ready().Build();

    private static AgentDetail Detail(params PodSnapshot[] pods) => new(
        new AgentSummary("kosmos", "agent", null!, 0, 0, 0, null, [], HasDeployment: true),
        Workloads.Deployment(desired: 2) with { Generation = 2, ObservedGeneration = 2 },
        [.. pods],
        [],
        [],
        [],
        []);
}
