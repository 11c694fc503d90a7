using k8s;
using k8s.Models;

namespace Kosmos.Cluster.Tests.Fixtures;

/// <summary>
/// The real pod objects in Fixtures/real-pods (copied from shared/real-pods; provenance in each *.source.md),
/// read from the test output directory so the tests need nothing outside the repository.
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
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "real-pods", name + ".json");
        return KubernetesJson.Deserialize<V1Pod>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} did not deserialize to a pod.");
    }
}
