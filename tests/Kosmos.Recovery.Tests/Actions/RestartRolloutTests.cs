using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Actions;

public sealed class RestartRolloutTests
{
    private const string RestartedAt = "2026-03-01T12:00:00Z";
    private const string OldHash = "5d8f7c9b6d";
    private const string NewHash = "7c9b6d5d8f";

    [Fact]
    public void Evaluate_AllNewPodsReadyNoOldLeft_Complete()
    {
        var detail = Detail(Deployment(observed: 2), [Pod("a", NewHash), Pod("b", NewHash)]);

        var progress = RestartRollout.Evaluate(detail, generation: 2, RestartedAt);

        Assert.Equal(new RolloutProgress(true, 2, 2, "2/2 new pods ready from ReplicaSet agent-7c9b6d5d8f; no old pods left"), progress);
    }

    [Fact]
    public void Evaluate_GenerationNotObserved_WaitsForController()
    {
        var progress = RestartRollout.Evaluate(Detail(Deployment(observed: 1), [Pod("a", NewHash), Pod("b", NewHash)]), generation: 2, RestartedAt);

        Assert.False(progress.Complete);
        Assert.Equal("waiting for the deployment controller to observe generation 2", progress.Detail);
    }

    [Fact]
    public void Evaluate_OldPodStillTerminating_NotComplete()
    {
        var old = PodBuilder.Pod("old").Container(Containers.Running("agent")).Ready().DeletedAt(Clock.T0).Change(p => WithHash(p, OldHash));
        var detail = Detail(Deployment(observed: 2), [Pod("a", NewHash), Pod("b", NewHash), old.Build()]);

        var progress = RestartRollout.Evaluate(detail, generation: 2, RestartedAt);

        Assert.False(progress.Complete);
        Assert.Equal("2/2 new pods ready; 1 old pod left", progress.Detail);
    }

    [Fact]
    public void Evaluate_NewPodNotReady_CountsOnlyReadyOnes()
    {
        var notReady = PodBuilder.Pod("b").Container(Containers.Running("agent", ready: false)).Ready(false).Change(p => WithHash(p, NewHash));
        var deployment = Deployment(observed: 2) with { ReadyReplicas = 1, AvailableReplicas = 1 };

        var progress = RestartRollout.Evaluate(Detail(deployment, [Pod("a", NewHash), notReady.Build()]), generation: 2, RestartedAt);

        Assert.Equal((false, 1, 2, "1/2 new pods ready"), (progress.Complete, progress.Ready, progress.Desired, progress.Detail));
    }

    [Fact]
    public void Evaluate_NoReplicaSetWithTheRestartValue_WaitsForIt()
    {
        var detail = Detail(Deployment(observed: 2), [Pod("a", OldHash)]) with { ReplicaSets = [ReplicaSet(OldHash, "2026-02-01T00:00:00Z")] };

        Assert.Equal("waiting for the new ReplicaSet", RestartRollout.Evaluate(detail, 2, RestartedAt).Detail);
    }

    [Fact]
    public void Evaluate_AgentGone_NotComplete()
    {
        Assert.Equal(new RolloutProgress(false, 0, 0, "the agent's Deployment is gone"), RestartRollout.Evaluate(null, 2, RestartedAt));
    }

    private static DeploymentSnapshot Deployment(long observed) =>
        Workloads.Deployment(desired: 2) with { Generation = 2, ObservedGeneration = observed };

    private static PodSnapshot Pod(string name, string hash) =>
        PodBuilder.Pod(name).Container(Containers.Running("agent")).Ready().Change(p => WithHash(p, hash)).Build();

    private static PodSnapshot WithHash(PodSnapshot pod, string hash) =>
        pod with { Labels = StringMap.From(pod.Labels.Append(new(WellKnownKeys.PodTemplateHashLabel, hash))) };

    private static ReplicaSetSnapshot ReplicaSet(string hash, string restartedAt) => new()
    {
        Namespace = "kosmos",
        Name = "agent-" + hash,
        OwnerDeployment = "agent",
        Labels = StringMap.Of((WellKnownKeys.PodTemplateHashLabel, hash)),
        Template = new PodTemplateSnapshot { Annotations = StringMap.Of((WellKnownKeys.RestartedAtAnnotation, restartedAt)) },
    };

    private static AgentDetail Detail(DeploymentSnapshot deployment, ValueList<PodSnapshot> pods) => new(
        new AgentSummary("kosmos", "agent", null!, 0, 0, 0, null, [], HasDeployment: true),
        deployment,
        pods,
        [ReplicaSet(OldHash, "2026-02-01T00:00:00Z"), ReplicaSet(NewHash, RestartedAt)],
        [],
        [],
        []);
}
