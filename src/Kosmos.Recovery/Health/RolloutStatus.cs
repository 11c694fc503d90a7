using System.Globalization;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Health;

/// <summary>
/// Where a Deployment's rollout stands, by the same rules as <c>kubectl rollout status</c>
/// (kubectl's DeploymentStatusViewer), so the dashboard and the terminal agree on "done".
/// </summary>
public static class RolloutStatus
{
    /// <summary>What the rollout is waiting for, or null when it is complete.</summary>
    public static string? Describe(DeploymentSnapshot deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);

        var waitingFor = WaitingFor(deployment);
        return waitingFor is not null && deployment.Paused ? waitingFor + " (rollout paused)" : waitingFor;
    }

    /// <summary>
    /// A new revision is still replacing the old one. Unlike <see cref="Describe"/>, unavailable pods alone do not
    /// count once the controller reports the new ReplicaSet available: that is a pod problem, not a rollout.
    /// </summary>
    public static bool IsRollingOut(DeploymentSnapshot deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);

        return deployment.IsSpecChangePending
            || deployment.UpdatedReplicas < deployment.DesiredReplicas
            || deployment.CurrentReplicas > deployment.UpdatedReplicas
            || (deployment.AvailableReplicas < deployment.UpdatedReplicas
                && deployment.GetCondition(ConditionTypes.Progressing) is { } progressing
                && progressing.Reason != KubeReasons.NewReplicaSetAvailable);
    }

    public static bool HasExceededDeadline(DeploymentSnapshot deployment) =>
        deployment.GetCondition(ConditionTypes.Progressing)?.Reason == KubeReasons.ProgressDeadlineExceeded;

    private static string? WaitingFor(DeploymentSnapshot d)
    {
        if (d.IsSpecChangePending)
        {
            return "waiting for the deployment spec update to be observed";
        }

        if (HasExceededDeadline(d))
        {
            return $"deployment {d.Name} exceeded its progress deadline";
        }

        if (d.UpdatedReplicas < d.DesiredReplicas)
        {
            return Invariant($"rollout in progress: {d.UpdatedReplicas} out of {d.DesiredReplicas} new replicas have been updated");
        }

        if (d.CurrentReplicas > d.UpdatedReplicas)
        {
            return Invariant($"rollout in progress: {d.CurrentReplicas - d.UpdatedReplicas} old replicas are pending termination");
        }

        if (d.AvailableReplicas < d.UpdatedReplicas)
        {
            return Invariant($"rollout in progress: {d.AvailableReplicas} of {d.UpdatedReplicas} updated replicas are available");
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
