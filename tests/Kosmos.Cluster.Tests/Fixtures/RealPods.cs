using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Fixtures;

/// <summary>
/// The real pod objects of <see cref="RealPodFiles"/> as KubernetesClient models.
/// </summary>
internal static class RealPods
{
    public const string NginxRunningHealthy = "01-nginx-running-healthy";
    public const string CrashLoopExit1 = "02-crashloop-exit1";
    public const string FailedRestartNeverError = "04-failed-restartnever-error";
    public const string ImagePullBackOff = "05-imagepullbackoff";
    public const string ReadinessFailingLivenessOk = "06-readiness-failing-liveness-ok";
    public const string Completed = "08-completed";
    public const string PendingUnschedulableCpu = "09-pending-unschedulable-cpu";

    public static V1Pod Load(string name)
    {
        return KubernetesJson.Deserialize<V1Pod>(RealPodFiles.Json(name))
            ?? throw new InvalidOperationException($"{name}.json did not deserialize to a pod.");
    }
}
