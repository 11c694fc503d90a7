using System.Globalization;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>Where a restart's rollout stands: complete or what it waits for, with the count of ready new pods.</summary>
public sealed record RolloutProgress(bool Complete, int Ready, int Desired, string Detail);

/// <summary>
/// Decides from cached state whether a restart has fully taken effect: the controller observed the generation the restart
/// produced; updated, ready and available replicas all equal the desired count; and no pod from an older ReplicaSet is
/// left (not even a terminating one). A pure function of the agent's detail.
/// </summary>
public static class RestartRollout
{
    /// <param name="detail">The agent now (null when it is gone).</param>
    /// <param name="generation">The Deployment generation the restart's patch produced.</param>
    /// <param name="restartedAt">The restartedAt value the restart set: it identifies the new ReplicaSet.</param>
    public static RolloutProgress Evaluate(AgentDetail? detail, long generation, string restartedAt)
    {
        if (detail?.Deployment is not { } d)
        {
            return new RolloutProgress(false, 0, 0, "the agent's Deployment is gone");
        }

        var desired = d.DesiredReplicas;
        if ((d.ObservedGeneration ?? 0) < generation)
        {
            return new RolloutProgress(false, 0, desired, Invariant($"waiting for the deployment controller to observe generation {generation}"));
        }

        var newSet = detail.ReplicaSets.FirstOrDefault(rs =>
            rs.OwnerDeployment == d.Name
            && rs.Template.Annotations.TryGetValue(WellKnownKeys.RestartedAtAnnotation, out var value)
            && value == restartedAt);
        if (newSet?.PodTemplateHash is not { } hash)
        {
            return new RolloutProgress(false, 0, desired, "waiting for the new ReplicaSet");
        }

        var newPods = detail.Pods.Where(p => p.Labels.GetValueOrDefault(WellKnownKeys.PodTemplateHashLabel) == hash).ToList();
        var ready = newPods.Count(p => p.IsReady && !p.IsTerminating);
        var oldPods = detail.Pods.Count - newPods.Count;
        var statusDone = d.UpdatedReplicas == desired && d.ReadyReplicas == desired && d.AvailableReplicas == desired && d.CurrentReplicas == desired;
        if (statusDone && oldPods == 0 && ready >= desired)
        {
            return new RolloutProgress(true, ready, desired,
                Invariant($"{ready}/{desired} new pods ready from ReplicaSet {newSet.Name}; no old pods left"));
        }

        var waiting = Invariant($"{ready}/{desired} new pods ready");
        if (oldPods > 0)
        {
            waiting += Invariant($"; {oldPods} old {(oldPods == 1 ? "pod" : "pods")} left");
        }

        if (RolloutStatusText(d) is { } rollout)
        {
            waiting += "; " + rollout;
        }

        return new RolloutProgress(false, ready, desired, waiting);
    }

    /// <summary>The pods of the ReplicaSet the restart with <paramref name="restartedAt"/> made (none until it exists).</summary>
    public static IEnumerable<PodSnapshot> NewPods(AgentDetail detail, string restartedAt)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var hash = detail.ReplicaSets.FirstOrDefault(rs =>
            rs.OwnerDeployment == detail.Deployment?.Name
            && rs.Template.Annotations.TryGetValue(WellKnownKeys.RestartedAtAnnotation, out var value)
            && value == restartedAt)?.PodTemplateHash;
        return hash is null ? [] : detail.Pods.Where(p => p.Labels.GetValueOrDefault(WellKnownKeys.PodTemplateHashLabel) == hash);
    }

    private static string? RolloutStatusText(DeploymentSnapshot d) =>
        Health.RolloutStatus.HasExceededDeadline(d) ? Health.RolloutStatus.Describe(d) : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
