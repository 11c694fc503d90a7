using Kosmos.Cluster.Mapping;
using Kosmos.Cluster.Tests.Fixtures;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Status;

namespace Kosmos.Cluster.Tests.Mapping;

/// <summary>
/// Real pods, mapped and formatted, must print what kubectl prints for them (README.md of real-pods),
/// and the classifier must call each the way an operator would.
/// </summary>
public sealed class RealPodGroundTruthTests
{
    [Theory]
    [InlineData(RealPods.NginxRunningHealthy, "Running", "1/1", "0")]
    [InlineData(RealPods.CrashLoopExit1, "CrashLoopBackOff", "0/1", "3")]
    [InlineData(RealPods.FailedRestartNeverError, "Error", "0/1", "0")]
    [InlineData(RealPods.ImagePullBackOff, "ImagePullBackOff", "0/1", "0")]
    [InlineData(RealPods.ReadinessFailingLivenessOk, "Running", "0/1", "0")]
    [InlineData(RealPods.Completed, "Completed", "0/1", "0")]
    [InlineData(RealPods.PendingUnschedulableCpu, "Pending", "0/1", "0")]
    public void Summarize_RealPod_PrintsKubectlColumns(string fixture, string status, string ready, string restarts)
    {
        var pod = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(fixture));

        var summary = PodStatusFormatter.Summarize(pod);

        Assert.Equal((status, ready, restarts), (summary.Status, summary.Ready, summary.Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Restarts_CrashLoopPod_UsesTheNewerAgoForm()
    {
        var pod = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.CrashLoopExit1));

        // lastState.terminated.finishedAt is 09:20:25.
        Assert.Equal("3 (5m ago)", PodStatusFormatter.Restarts(pod, Utc("2018-12-02T09:25:25Z")));
    }

    [Fact]
    public void Classify_NginxRunning_Healthy()
    {
        var health = Classify(RealPods.NginxRunningHealthy, "2022-02-17T21:51:35Z");

        Assert.Equal(HealthState.Healthy, health.State);
        Assert.Equal("web-agent", health.AgentName);
        Assert.Equal("1/1 pods ready", health.Summary);
        Assert.Equal(Utc("2022-02-17T21:51:06Z"), health.Since);
    }

    [Fact]
    public void Classify_CrashLoopPod_CrashLoopBackOffWithBackOffAndLastExit()
    {
        var health = Classify(RealPods.CrashLoopExit1, "2018-12-02T09:25:25Z");

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal(RunbookSection.CrashLoopBackOff, health.RunbookSection);
        Assert.Equal("container main is in CrashLoopBackOff (back-off 40s) after 3 restarts; last exited 1 (Error) 5m ago", health.Evidence[0]);
        Assert.Equal(Utc("2018-12-02T09:19:36Z"), health.Since);
        Assert.Equal(["my-pod"], health.AffectedPods);
    }

    [Fact]
    public void Classify_FailedPodThatWillNotRestart_CrashLoopBackOffSaysSo()
    {
        var health = Classify(RealPods.FailedRestartNeverError, "2018-12-02T09:22:59Z");

        // No better state exists for "crashed and stays down"; the runbook's crash section (logs, config) is the right guide.
        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal(RunbookSection.CrashLoopBackOff, health.RunbookSection);
        Assert.Equal("container main exited 1 (Error) 5m ago and will not be restarted (pod phase Failed, restartPolicy Never)", health.Evidence[0]);
        Assert.Equal("container main exited 1 (Error) and will not be restarted; 0/1 pods ready", health.Summary);
    }

    [Fact]
    public void Classify_ImagePullBackOffPod_ImagePull()
    {
        var health = Classify(RealPods.ImagePullBackOff, "2019-04-04T16:16:55Z");

        Assert.Equal(HealthState.ImagePull, health.State);
        Assert.Equal(RunbookSection.ImagePull, health.RunbookSection);
        Assert.Equal(
            "container errimagepullbackoff cannot pull image gcr.io/heptio-images/ks-guestbook-demo:0.3 (ImagePullBackOff): Back-off pulling image \"gcr.io/heptio-images/ks-guestbook-demo:0.3\"",
            health.Evidence[0]);
        Assert.Equal(Utc("2019-04-04T16:06:55Z"), health.Since);
    }

    [Fact]
    public void Classify_ReadinessFailingPod_UnresponsiveWithProbe()
    {
        var health = Classify(RealPods.ReadinessFailingLivenessOk, "2025-02-03T10:41:52Z");

        Assert.Equal(HealthState.Unresponsive, health.State);
        Assert.Equal(RunbookSection.UnresponsiveAgent, health.RunbookSection);
        Assert.Equal(
            "container slow-container has been running for 10m but is not ready; readiness probe: exec [sh -c sleep 600 && exit 1] delay=5s timeout=1s period=10s #success=1 #failure=100",
            health.Evidence[0]);
        Assert.Equal(Utc("2025-02-03T10:31:50Z"), health.Since);
    }

    [Fact]
    public void Classify_CompletedPod_HealthyAndSaysNothingRuns()
    {
        var health = Classify(RealPods.Completed, "2018-12-02T09:20:00Z");

        // A pod that ran to success needs no recovery, but the summary must not suggest it is serving.
        Assert.Equal(HealthState.Healthy, health.State);
        Assert.Equal("pod my-pod completed successfully; nothing is running", health.Summary);
        Assert.Equal(Utc("2018-12-02T09:15:29Z"), health.Since);
    }

    [Fact]
    public void Classify_UnschedulablePod_PendingWithInsufficientCpu()
    {
        var health = Classify(RealPods.PendingUnschedulableCpu, "2019-11-11T13:31:26Z");

        Assert.Equal(HealthState.Pending, health.State);
        Assert.Equal(RunbookSection.Pending, health.RunbookSection);
        Assert.Equal(
            "pod ticktock1-log-v1-67468fc4cf-7sjhq cannot be scheduled (Unschedulable) for 62m: 0/1 nodes are available: 1 Insufficient cpu",
            health.Evidence[0]);
        Assert.Equal(Utc("2019-11-11T12:29:26Z"), health.Since);
    }

    private static AgentHealth Classify(string fixture, string now) =>
        AgentHealthClassifier.Classify(null, [KubernetesModelMapper.ToPodSnapshot(RealPods.Load(fixture))], [], Utc(now));

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
