using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Builders;

/// <summary>Deployments and events for classifier tests; all in namespace kosmos, agent <c>agent</c>.</summary>
internal static class Workloads
{
    /// <summary>A deployment whose rollout is complete with <paramref name="ready"/> of <paramref name="desired"/> pods ready.</summary>
    public static DeploymentSnapshot Deployment(int desired = 1, int? ready = null, string name = "agent")
    {
        var readyCount = ready ?? desired;
        return new DeploymentSnapshot
        {
            Namespace = "kosmos",
            Name = name,
            Uid = "uid-deploy-" + name,
            Labels = StringMap.Of(("app", name)),
            Selector = StringMap.Of(("app", name)),
            Generation = 1,
            ObservedGeneration = 1,
            DesiredReplicas = desired,
            CurrentReplicas = desired,
            UpdatedReplicas = desired,
            ReadyReplicas = readyCount,
            AvailableReplicas = readyCount,
            UnavailableReplicas = desired - readyCount,
            Revision = 1,
            CreationTimestamp = Clock.At(-60),
            Conditions =
            [
                new ConditionSnapshot(
                    ConditionTypes.Available,
                    readyCount >= desired ? ConditionStatus.True : ConditionStatus.False,
                    readyCount >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    null,
                    Clock.At(-30)),
                new ConditionSnapshot(ConditionTypes.Progressing, ConditionStatus.True, KubeReasons.NewReplicaSetAvailable, null, Clock.At(-59), Clock.At(-30)),
            ],
        };
    }

    public static DeploymentSnapshot WithCondition(this DeploymentSnapshot deployment, ConditionSnapshot condition) =>
        deployment with
        {
            Conditions = deployment.Conditions.Where(c => c.Type != condition.Type).Append(condition).ToValueList(),
        };

    public static EventSnapshot PodEvent(
        PodSnapshot pod,
        string reason,
        string message,
        int count = 1,
        DateTimeOffset? first = null,
        DateTimeOffset? last = null,
        string type = "Warning",
        string? container = null) =>
        new()
        {
            Uid = $"ev-{pod.Name}-{reason}-{count}",
            Namespace = pod.Namespace,
            Name = $"{pod.Name}.{reason}",
            InvolvedObject = new ObjectReferenceSnapshot(
                "Pod",
                pod.Name,
                pod.Namespace,
                pod.Uid,
                container is null ? null : $"spec.containers{{{container}}}"),
            Type = type,
            Reason = reason,
            Message = message,
            Count = count,
            FirstTimestamp = first ?? last ?? Clock.T0,
            LastTimestamp = last ?? first ?? Clock.T0,
            SourceComponent = "kubelet",
        };
}
