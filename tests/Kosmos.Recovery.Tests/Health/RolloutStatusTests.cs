using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;
using static Kosmos.Recovery.Tests.Builders.Workloads;

namespace Kosmos.Recovery.Tests.Health;

public sealed class RolloutStatusTests
{
    public static TheoryData<RolloutCase> Cases => new()
    {
        new RolloutCase("complete", Deployment(desired: 3), null, false),
        new RolloutCase("spec change not observed", Deployment(desired: 3) with { Generation = 2 }, "waiting for the deployment spec update to be observed", true),
        new RolloutCase("new replicas being updated", Deployment(desired: 3) with { UpdatedReplicas = 1, CurrentReplicas = 4 }, "rollout in progress: 1 out of 3 new replicas have been updated", true),
        new RolloutCase("old replicas terminating", Deployment(desired: 3) with { CurrentReplicas = 4 }, "rollout in progress: 1 old replicas are pending termination", true),
        new RolloutCase(
            "new replicas becoming available",
            (Deployment(desired: 3) with { AvailableReplicas = 1 }).WithCondition(new ConditionSnapshot(ConditionTypes.Progressing, ConditionStatus.True, "ReplicaSetUpdated")),
            "rollout in progress: 1 of 3 updated replicas are available",
            true),
        new RolloutCase(
            // kubectl still waits, but a finished rollout whose pods went unavailable is a pod problem, not a rollout.
            "finished rollout, pods unavailable",
            Deployment(desired: 3, ready: 1),
            "rollout in progress: 1 of 3 updated replicas are available",
            false),
        new RolloutCase("paused midway", Deployment(desired: 2) with { UpdatedReplicas = 1, Paused = true }, "rollout in progress: 1 out of 2 new replicas have been updated (rollout paused)", true),
        new RolloutCase(
            "deadline exceeded",
            Deployment(desired: 2).WithCondition(new ConditionSnapshot(ConditionTypes.Progressing, ConditionStatus.False, KubeReasons.ProgressDeadlineExceeded)),
            "deployment agent exceeded its progress deadline",
            false),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Describe_DeploymentStatus_MatchesKubectlRolloutStatus(RolloutCase @case)
    {
        Assert.Equal(@case.Text, RolloutStatus.Describe(@case.Deployment));
        Assert.Equal(@case.RollingOut, RolloutStatus.IsRollingOut(@case.Deployment));
    }

    public sealed record RolloutCase(string Name, DeploymentSnapshot Deployment, string? Text, bool RollingOut)
    {
        public override string ToString() => Name;
    }
}
