using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;
using static Kosmos.Recovery.Tests.Builders.Containers;
using static Kosmos.Recovery.Tests.Builders.PodBuilder;
using static Kosmos.Recovery.Tests.Builders.Workloads;

namespace Kosmos.Recovery.Tests.Health;

public sealed class AgentHealthClassifierTests
{
    private static readonly DateTimeOffset Now = Clock.At(10);

    private static readonly ProbeSnapshot HttpReady = new(ProbeKind.Http, "http://:8080/ready", InitialDelaySeconds: 5);

    private static readonly ProbeSnapshot HttpLive = new(ProbeKind.Http, "http://:8080/healthz");

    private static AgentHealth Classify(DeploymentSnapshot? deployment, params PodSnapshot[] pods) =>
        AgentHealthClassifier.Classify(deployment, pods, [], Now);

    private static AgentHealth Classify(DeploymentSnapshot? deployment, PodSnapshot[] pods, params EventSnapshot[] events) =>
        AgentHealthClassifier.Classify(deployment, pods, events, Now);

    // ---- Unknown, Healthy, scaled to zero

    [Fact]
    public void Classify_NoDeploymentAndNoPods_Unknown()
    {
        var health = Classify(null);

        Assert.Equal(HealthState.Unknown, health.State);
        Assert.Equal("no deployment or pods found", health.Summary);
        Assert.Equal(RunbookSection.None, health.RunbookSection);
    }

    [Fact]
    public void Classify_AllPodsReady_HealthySinceAvailable()
    {
        var pods = new[]
        {
            Pod("agent-5d8f7c9b6d-aaaaa").Container(Running("agent")).Ready().Build(),
            Pod("agent-5d8f7c9b6d-bbbbb").Container(Running("agent")).Ready().Build(),
        };

        var health = Classify(Deployment(desired: 2), pods);

        Assert.Equal(HealthState.Healthy, health.State);
        Assert.Equal("2/2 pods ready", health.Summary);
        Assert.Equal(["2/2 pods ready"], health.Evidence);
        Assert.Equal(Clock.At(-30), health.Since);
        Assert.Equal("agent", health.AgentName);
        Assert.Empty(health.AffectedPods);
    }

    [Fact]
    public void Classify_ZeroReplicasDesired_ScaledToZero()
    {
        var leaving = Pod().Container(Running("agent")).DeletedAt(Clock.At(9)).Build();

        var health = Classify(Deployment(desired: 0), leaving);

        Assert.Equal(HealthState.ScaledToZero, health.State);
        Assert.Equal("scaled to zero (0 replicas desired)", health.Summary);
        Assert.Equal(["spec.replicas is 0", "1 pod still shutting down"], health.Evidence);
        Assert.Equal(0, health.DesiredPods);
    }

    [Fact]
    public void Classify_OomKilledTwoHoursAgoAndRunningSince_Healthy()
    {
        var pod = Pod().Container(Running("agent").WithRestarts(1).WithLastTermination("OOMKilled", 137, Clock.At(-120))).Ready().Build();

        Assert.Equal(HealthState.Healthy, Classify(Deployment(), pod).State);
    }

    [Fact]
    public void Classify_EvictedPodAlreadyReplaced_Healthy()
    {
        var evicted = Pod("agent-5d8f7c9b6d-old00").Phase(PodPhase.Failed).Reason("Evicted", "The node was low on resource: memory.")
            .Container(Terminated("agent", "Error", 137)).Build();
        var replacement = Pod("agent-5d8f7c9b6d-new00").Container(Running("agent")).Ready().Build();

        Assert.Equal(HealthState.Healthy, Classify(Deployment(), evicted, replacement).State);
    }

    [Fact]
    public void Classify_BarePodBeingDeleted_ProgressingShuttingDown()
    {
        var leaving = Pod().Change(p => p with { Owner = null }).Container(Running("agent")).Ready().DeletedAt(Clock.At(9)).Build();

        var health = Classify(null, leaving);

        Assert.Equal(HealthState.Progressing, health.State);
        Assert.Equal("shutting down; nothing else is running", health.Summary);
        Assert.Equal([$"1 pod terminating: {leaving.Name}"], health.Evidence);
        Assert.Equal(Clock.At(9), health.Since);
    }

    [Fact]
    public void Classify_AllPodsOfDeploymentDeleted_ProgressingWaitingForReplacement()
    {
        var leaving = Pod().Container(Running("agent")).Ready().DeletedAt(Clock.At(9)).Build();

        var health = Classify(Deployment(ready: 0), leaving);

        Assert.Equal(HealthState.Progressing, health.State);
        Assert.Equal(["waiting for 1 more pod to be created", $"1 pod terminating: {leaving.Name}"], health.Evidence);
    }

    // ---- CrashLoopBackOff

    [Fact]
    public void Classify_CrashLoopBackOff_CrashLoopWithBackOffExitAndEventEvidence()
    {
        var pod = Pod()
            .Container(Waiting("agent", "CrashLoopBackOff", "back-off 40s restarting failed container=agent pod=agent-5d8f7c9b6d-x2x7q_kosmos(uid)")
                .WithRestarts(3)
                .WithLastTermination("Error", 1, Clock.At(9)))
            .Ready(false, since: Clock.At(2))
            .Build();
        var backOff = PodEvent(pod, "BackOff", "Back-off restarting failed container agent in pod agent-5d8f7c9b6d-x2x7q_kosmos(uid)", 7, Clock.At(3), Clock.At(9, 40), container: "agent");

        var health = Classify(Deployment(ready: 0), [pod], backOff);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal(RunbookSection.CrashLoopBackOff, health.RunbookSection);
        Assert.Equal("container agent keeps crashing (exited 1 (Error)); 0/1 pods ready", health.Summary);
        Assert.Equal("container agent is in CrashLoopBackOff (back-off 40s) after 3 restarts; last exited 1 (Error) 60s ago", health.Evidence[0]);
        Assert.Equal("BackOff 7 times (last 20s ago): Back-off restarting failed container agent in pod agent-5d8f7c9b6d-x2x7q_kosmos(uid)", health.Evidence[1]);
        Assert.Equal(Clock.At(2), health.Since);
        Assert.Equal([pod.Name], health.AffectedPods);
    }

    [Fact]
    public void Classify_TerminationMessage_IsEvidence()
    {
        var pod = Pod()
            .Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(2) with
            {
                LastState = new ContainerState.Terminated("Error", "KeyError: 'OPENAI_API_KEY'\n", 1, null, Clock.At(9), Clock.At(9)),
            })
            .Build();

        var health = Classify(Deployment(ready: 0), pod);

        Assert.Contains("container agent termination message: KeyError: 'OPENAI_API_KEY'", health.Evidence);
    }

    [Fact]
    public void Classify_RunningAgainAfterManyRecentCrashes_CrashLoop()
    {
        var pod = Pod().Container(Running("agent").WithRestarts(5).WithLastTermination("Error", 1, Clock.At(9))).Ready().Build();

        var health = Classify(Deployment(), pod);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal("container agent restarted 5 times; last exited 1 (Error) 60s ago", health.Evidence[0]);
        Assert.Equal(Clock.At(9), health.Since);
    }

    [Fact]
    public void Classify_ContainerExitedAndAboutToRestart_CrashLoop()
    {
        var pod = Pod().Container(Terminated("agent", "Error", 2, finishedAt: Clock.At(9, 50)).WithRestarts(1)).Build();

        var health = Classify(Deployment(ready: 0), pod);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal("container agent exited 2 (Error) 10s ago and is being restarted; 1 restart so far", health.Evidence[0]);
    }

    [Fact]
    public void Classify_MissingSecret_CrashLoopStateWithConfigEvidence()
    {
        var pod = Pod().Phase(PodPhase.Pending).Container(Waiting("agent", "CreateContainerConfigError", "secret \"kosmos-llm\" not found")).Build();

        var health = Classify(Deployment(ready: 0), pod);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal(RunbookSection.CrashLoopBackOff, health.RunbookSection);
        Assert.Equal("container agent cannot start: CreateContainerConfigError; 0/1 pods ready", health.Summary);
        Assert.Equal("container agent cannot start (CreateContainerConfigError): secret \"kosmos-llm\" not found", health.Evidence[0]);
    }

    [Fact]
    public void Classify_InitContainerCrashLooping_CrashLoopNamesInitContainer()
    {
        var pod = Pod().Phase(PodPhase.Pending)
            .Init(Waiting("migrate", "CrashLoopBackOff", "back-off 20s restarting failed container=migrate").WithRestarts(2).WithLastTermination("Error", 2, Clock.At(9, 50)))
            .Container(Waiting("agent", "PodInitializing"))
            .Build();

        var health = Classify(Deployment(ready: 0), pod);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal("init container migrate is in CrashLoopBackOff (back-off 20s) after 2 restarts; last exited 2 (Error) 10s ago", health.Evidence[0]);
    }

    // ---- OOMKilled

    [Fact]
    public void Classify_CrashLoopAfterOomKill_OomKilledWinsWithLimitAndNodeEvidence()
    {
        var pod = Pod()
            .Container(Waiting("agent", "CrashLoopBackOff", "back-off 1m20s restarting failed container=agent")
                .WithRestarts(3)
                .WithLastTermination("OOMKilled", 137, Clock.At(8))
                .WithMemoryLimit("512Mi"))
            .Ready(false, since: Clock.At(4))
            .Build();
        var kernel = new EventSnapshot
        {
            InvolvedObject = new ObjectReferenceSnapshot("Node", "node-1"),
            Type = "Warning",
            Reason = "OOMKilling",
            Message = "Memory cgroup out of memory: Killed process 4242 (python)",
            Count = 3,
            FirstTimestamp = Clock.At(5),
            LastTimestamp = Clock.At(8),
        };

        var health = Classify(Deployment(ready: 0), [pod], kernel);

        Assert.Equal(HealthState.OOMKilled, health.State);
        Assert.Equal(RunbookSection.OutOfMemory, health.RunbookSection);
        Assert.Equal("container agent OOMKilled at its 512Mi memory limit; 0/1 pods ready", health.Summary);
        Assert.Equal(
            [
                "container agent exited 137 (OOMKilled) 2m ago; restarted 3 times; memory limit 512Mi",
                "container agent is in CrashLoopBackOff because of it",
                "OOMKilling 3 times (last 2m ago): Memory cgroup out of memory: Killed process 4242 (python)",
            ],
            health.Evidence);
        Assert.Equal(Clock.At(4), health.Since);
    }

    [Fact]
    public void Classify_Exit137WithoutReason_OomKilledAsSigKill()
    {
        var pod = Pod().Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(2).WithLastTermination("Error", 137, Clock.At(8))).Build();

        var health = Classify(Deployment(ready: 0), pod);

        Assert.Equal(HealthState.OOMKilled, health.State);
        Assert.Equal("container agent exited 137 (SIGKILL, usually the OOM killer) 2m ago; restarted 2 times; no memory limit set", health.Evidence[0]);
        Assert.Equal("container agent OOMKilled (no memory limit set); 0/1 pods ready", health.Summary);
    }

    [Fact]
    public void Classify_OomKilledAMinuteAgoAndRunningAgain_StillOomKilled()
    {
        // Up for less than AgentHealthOptions.RecoveredAfter: a leaking container is up between its kills like this.
        var pod = Pod().Container(Running("agent").WithRestarts(1).WithLastTermination("OOMKilled", 137, Clock.At(9)).WithMemoryLimit("1Gi")).Ready().Build();

        var health = Classify(Deployment(), pod);

        Assert.Equal(HealthState.OOMKilled, health.State);
        Assert.Equal("container agent exited 137 (OOMKilled) 60s ago; restarted once; memory limit 1Gi", health.Evidence[0]);
        Assert.Equal(Clock.At(9), health.Since);
    }

    // ---- Unresponsive

    [Fact]
    public void Classify_KilledAfterLivenessFailures_UnresponsiveNotOom()
    {
        var pod = Pod()
            .Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(4).WithLastTermination("Error", 137, Clock.At(9)).WithLivenessProbe(HttpLive))
            .Build();
        var unhealthy = PodEvent(pod, "Unhealthy", "Liveness probe failed: Get \"http://10.0.0.5:8080/healthz\": context deadline exceeded", 9, Clock.At(2), Clock.At(9, 30), container: "agent");
        var killing = PodEvent(pod, "Killing", "Container agent failed liveness probe, will be restarted", 3, Clock.At(3), Clock.At(9), type: "Normal", container: "agent");

        var health = Classify(Deployment(ready: 0), [pod], unhealthy, killing);

        Assert.Equal(HealthState.Unresponsive, health.State);
        Assert.Equal(RunbookSection.UnresponsiveAgent, health.RunbookSection);
        Assert.Equal(
            [
                "container agent was restarted for failing its liveness probe: exited 137 (Error) 60s ago; 4 restarts so far",
                "liveness probe: http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3",
                "liveness probe failed 9 times (last 30s ago): Get \"http://10.0.0.5:8080/healthz\": context deadline exceeded",
                "Killing 3 times (last 60s ago): Container agent failed liveness probe, will be restarted",
            ],
            health.Evidence);
        Assert.Equal(Clock.At(2), health.Since);
    }

    [Fact]
    public void Classify_ReadinessFailingPastGrace_UnresponsiveWithProbeEvidence()
    {
        var pod = Pod().Container(Running("agent", ready: false, startedAt: Clock.T0).WithReadinessProbe(HttpReady)).Ready(false).Build();
        var unhealthy = PodEvent(pod, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 12, Clock.At(1), Clock.At(9, 40), container: "agent");

        var health = Classify(Deployment(ready: 0), [pod], unhealthy);

        Assert.Equal(HealthState.Unresponsive, health.State);
        Assert.Equal("container agent is running but not ready; 0/1 pods ready", health.Summary);
        Assert.Equal(
            [
                "container agent has been running for 10m but is not ready; readiness probe: http-get http://:8080/ready delay=5s timeout=1s period=10s #success=1 #failure=3",
                "readiness probe failed 12 times (last 20s ago): HTTP probe failed with statuscode: 503",
            ],
            health.Evidence);
        Assert.Equal(Clock.T0, health.Since);
    }

    [Fact]
    public void Classify_NotReadyWithinGrace_Progressing()
    {
        var pod = Pod().CreatedAt(Clock.At(9, 25)).Container(Running("agent", ready: false, startedAt: Clock.At(9, 30)).WithReadinessProbe(HttpReady)).Ready(false).Build();

        var health = Classify(Deployment(ready: 0), pod);

        Assert.Equal(HealthState.Progressing, health.State);
        Assert.Equal("starting; 0/1 pods ready", health.Summary);
        Assert.Equal($"pod {pod.Name} is starting (Running, 0/1 ready) for 35s", health.Evidence[0]);
        Assert.Equal(Clock.At(9, 25), health.Since);
    }

    [Fact]
    public void Classify_StartupProbeStillWithinBudget_Progressing()
    {
        var slowStart = new ProbeSnapshot(ProbeKind.Http, "http://:8080/started", PeriodSeconds: 10, FailureThreshold: 60);
        var pod = Pod().Container(Running("agent", ready: false, startedAt: Clock.At(5)) with { Started = false, StartupProbe = slowStart }).Build();

        Assert.Equal(HealthState.Progressing, Classify(Deployment(ready: 0), pod).State);
    }

    // ---- Pending and ImagePull

    [Fact]
    public void Classify_WaitingForItsNewClaimToBind_ProgressingWithinTheGrace_PendingAfter()
    {
        // As every agent with a claim starts (the real scheduler's words while the provisioner binds the claim): not a failure yet.
        const string unbound = "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        var starting = Pod().Unschedulable(unbound, since: Now - TimeSpan.FromSeconds(20)).Container(Spec("agent")).Build();
        var stuck = Pod().Unschedulable(unbound, since: Now - AgentHealthOptions.Default.ClaimBindGrace).Container(Spec("agent")).Build();

        Assert.Equal(HealthState.Progressing, Classify(Deployment(ready: 0), starting).State);
        var health = Classify(Deployment(ready: 0), stuck);
        Assert.Equal(HealthState.Pending, health.State);
        Assert.StartsWith("pod cannot be scheduled: 0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims", health.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_InsufficientCpu_PendingAtOnce()
    {
        // Only the claim's bind gets a grace: no node will appear for a CPU shortfall by waiting a few seconds.
        var pod = Pod().Unschedulable("0/1 nodes are available: 1 Insufficient cpu.", since: Now - TimeSpan.FromSeconds(5)).Container(Spec("agent")).Build();

        Assert.Equal(HealthState.Pending, Classify(Deployment(ready: 0), pod).State);
    }

    [Fact]
    public void Classify_Unschedulable_PendingWithSchedulerMessage()
    {
        var pod = Pod().Unschedulable("0/1 nodes are available: 1 Insufficient cpu.", since: Clock.At(3)).Container(Spec("agent")).Build();
        var failed = PodEvent(pod, "FailedScheduling", "0/1 nodes are available: 1 Insufficient cpu.", 5, Clock.At(3), Clock.At(9));

        var health = Classify(Deployment(ready: 0), [pod], failed);

        Assert.Equal(HealthState.Pending, health.State);
        Assert.Equal(RunbookSection.Pending, health.RunbookSection);
        Assert.Equal("pod cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu; 0/1 pods ready", health.Summary);
        Assert.Equal(
            [
                $"pod {pod.Name} cannot be scheduled (Unschedulable) for 7m: 0/1 nodes are available: 1 Insufficient cpu",
                "FailedScheduling 5 times (last 60s ago): 0/1 nodes are available: 1 Insufficient cpu",
            ],
            health.Evidence);
        Assert.Equal(Clock.At(3), health.Since);
    }

    [Fact]
    public void Classify_StuckInContainerCreating_PendingWithMountEvidence()
    {
        var pod = Pod().Phase(PodPhase.Pending).Container(Waiting("agent", "ContainerCreating")).Build();
        var mount = PodEvent(pod, "FailedMount", "MountVolume.SetUp failed for volume \"state\" : persistentvolumeclaim \"agent-state\" not found", 6, Clock.At(1), Clock.At(9, 30));

        var health = Classify(Deployment(ready: 0), [pod], mount);

        Assert.Equal(HealthState.Pending, health.State);
        Assert.Equal(
            [
                "container agent has been waiting (ContainerCreating) for 10m",
                "FailedMount 6 times (last 30s ago): MountVolume.SetUp failed for volume \"state\" : persistentvolumeclaim \"agent-state\" not found",
            ],
            health.Evidence);
    }

    [Fact]
    public void Classify_ContainerCreatingJustNow_Progressing()
    {
        var pod = Pod().CreatedAt(Clock.At(9)).Phase(PodPhase.Pending).Container(Waiting("agent", "ContainerCreating")).Build();

        Assert.Equal(HealthState.Progressing, Classify(Deployment(ready: 0), pod).State);
    }

    [Fact]
    public void Classify_ImagePullBackOff_ImagePullWithPullEvents()
    {
        const string image = "registry.kosmos.local/agent:2.0";
        var pod = Pod().Phase(PodPhase.Pending)
            .Container(Waiting("agent", "ImagePullBackOff", $"Back-off pulling image \"{image}\"") with { Image = image })
            .Build();
        var failed = PodEvent(pod, "Failed", $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = manifest unknown", 4, Clock.At(1), Clock.At(9), container: "agent");

        var health = Classify(Deployment(ready: 0), [pod], failed);

        Assert.Equal(HealthState.ImagePull, health.State);
        Assert.Equal(RunbookSection.ImagePull, health.RunbookSection);
        Assert.Equal($"cannot pull image {image}; 0/1 pods ready", health.Summary);
        Assert.Equal(
            [
                $"container agent cannot pull image {image} (ImagePullBackOff): Back-off pulling image \"{image}\"",
                $"Failed 4 times (last 60s ago): Failed to pull image \"{image}\": rpc error: code = NotFound desc = manifest unknown",
            ],
            health.Evidence);
    }

    // ---- Rollouts, precedence between pods

    [Fact]
    public void Classify_RolloutWithHealthyNewPods_Progressing()
    {
        var deployment = Deployment(desired: 2) with { UpdatedReplicas = 1, CurrentReplicas = 2 };
        var pods = new[]
        {
            Pod("agent-5d8f7c9b6d-old01").Container(Running("agent")).Ready().Build(),
            Pod("agent-7c6b5a4d3e-new01").Container(Running("agent")).Ready().Build(),
            Pod("agent-5d8f7c9b6d-old02").Container(Running("agent")).Ready().DeletedAt(Clock.At(9)).Build(),
        };

        var health = Classify(deployment, pods);

        Assert.Equal(HealthState.Progressing, health.State);
        Assert.Equal("rollout in progress: 1 out of 2 new replicas have been updated; 2/2 pods ready", health.Summary);
        Assert.Equal(
            ["rollout in progress: 1 out of 2 new replicas have been updated", "1 pod terminating: agent-5d8f7c9b6d-old02"],
            health.Evidence);
    }

    [Fact]
    public void Classify_RolloutStuckOnBadImageWhileOldPodsServe_ImagePullNotDegraded()
    {
        var deployment = Deployment(desired: 2) with { UpdatedReplicas = 1, CurrentReplicas = 3 };
        var broken = Pod("agent-7c6b5a4d3e-new01").Phase(PodPhase.Pending).Container(Waiting("agent", "ErrImagePull")).Build();
        var pods = new[]
        {
            Pod("agent-5d8f7c9b6d-old01").Container(Running("agent")).Ready().Build(),
            Pod("agent-5d8f7c9b6d-old02").Container(Running("agent")).Ready().Build(),
            broken,
        };

        var health = Classify(deployment, pods);

        Assert.Equal(HealthState.ImagePull, health.State);
        Assert.Equal([broken.Name], health.AffectedPods);
        Assert.Contains("rollout in progress: 1 out of 2 new replicas have been updated", health.Evidence);
    }

    [Fact]
    public void Classify_OneCrashingPodBesideServingPods_NamesTheCrash()
    {
        var crashing = Pod("agent-5d8f7c9b6d-ccccc").Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(4).WithLastTermination("Error", 1, Clock.At(9))).Build();
        var pods = new[]
        {
            Pod("agent-5d8f7c9b6d-aaaaa").Container(Running("agent")).Ready().Build(),
            Pod("agent-5d8f7c9b6d-bbbbb").Container(Running("agent")).Ready().Build(),
            crashing,
        };

        var health = Classify(Deployment(desired: 3, ready: 2), pods);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal("container agent keeps crashing (exited 1 (Error)); 2/3 pods ready", health.Summary);
        Assert.Equal([crashing.Name], health.AffectedPods);
    }

    [Fact]
    public void Classify_DifferentFailuresBesideServingPod_Degraded()
    {
        var crashing = Pod("agent-5d8f7c9b6d-ccccc").Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(4).WithLastTermination("Error", 1, Clock.At(9))).Build();
        var unschedulable = Pod("agent-5d8f7c9b6d-ppppp").Unschedulable("0/3 nodes are available: 3 Insufficient memory.", Clock.At(5)).Container(Spec("agent")).Build();
        var pods = new[] { Pod("agent-5d8f7c9b6d-aaaaa").Container(Running("agent")).Ready().Build(), crashing, unschedulable };

        var health = Classify(Deployment(desired: 3, ready: 1), pods);

        Assert.Equal(HealthState.Degraded, health.State);
        Assert.Equal("1/3 pods ready; container agent keeps crashing (exited 1 (Error)) and 1 other problem", health.Summary);
        Assert.Equal(RunbookSection.CrashLoopBackOff, health.RunbookSection);
        Assert.Equal([crashing.Name, unschedulable.Name], health.AffectedPods);
        Assert.Contains($"pod {unschedulable.Name} cannot be scheduled (Unschedulable) for 5m: 0/3 nodes are available: 3 Insufficient memory", health.Evidence);
    }

    [Fact]
    public void Classify_DifferentFailuresAndNothingServing_MostSevereWins()
    {
        var oom = Pod("agent-5d8f7c9b6d-ooooo").Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(2).WithLastTermination("OOMKilled", 137, Clock.At(9))).Build();
        var unschedulable = Pod("agent-5d8f7c9b6d-ppppp").Unschedulable("0/3 nodes are available: 3 Insufficient memory.").Container(Spec("agent")).Build();

        var health = Classify(Deployment(desired: 2, ready: 0), unschedulable, oom);

        Assert.Equal(HealthState.OOMKilled, health.State);
        Assert.Equal([oom.Name], health.AffectedPods);
        Assert.StartsWith("container agent exited 137 (OOMKilled)", health.Evidence[0]);
        Assert.Contains(health.Evidence, e => e.StartsWith($"pod {unschedulable.Name} cannot be scheduled", StringComparison.Ordinal));
    }

    [Fact]
    public void Classify_ProgressDeadlineExceededWithoutPodProblems_Degraded()
    {
        var deployment = Deployment(desired: 2, ready: 1).WithCondition(new ConditionSnapshot(
            ConditionTypes.Progressing,
            ConditionStatus.False,
            KubeReasons.ProgressDeadlineExceeded,
            "ReplicaSet \"agent-7c6b5a4d3e\" has timed out progressing.",
            Clock.At(8)));
        var pods = new[]
        {
            Pod("agent-5d8f7c9b6d-aaaaa").Container(Running("agent")).Ready().Build(),
            Pod("agent-7c6b5a4d3e-bbbbb").CreatedAt(Clock.At(9, 30)).Container(Running("agent", ready: false, startedAt: Clock.At(9, 40))).Build(),
        };

        var health = Classify(deployment, pods);

        Assert.Equal(HealthState.Degraded, health.State);
        Assert.Equal("rollout stalled: 1/2 pods ready", health.Summary);
        Assert.Equal("rollout exceeded its progress deadline: ReplicaSet \"agent-7c6b5a4d3e\" has timed out progressing", health.Evidence[0]);
        Assert.Equal(Clock.At(8), health.Since);
    }

    [Fact]
    public void Classify_QuotaBlocksPodCreation_PendingWithReplicaSetEvent()
    {
        const string quota = "pods \"agent-5d8f7c9b6d-abcde\" is forbidden: exceeded quota: kosmos-quota, requested: memory=2Gi, used: memory=7Gi, limited: memory=8Gi";
        var deployment = Deployment(desired: 1, ready: 0).WithCondition(new ConditionSnapshot(ConditionTypes.ReplicaFailure, ConditionStatus.True, "FailedCreate", quota, Clock.At(2)));
        var failedCreate = new EventSnapshot
        {
            InvolvedObject = new ObjectReferenceSnapshot("ReplicaSet", "agent-5d8f7c9b6d", "kosmos"),
            Type = "Warning",
            Reason = "FailedCreate",
            Message = "Error creating: " + quota,
            Count = 11,
            FirstTimestamp = Clock.At(2),
            LastTimestamp = Clock.At(9, 50),
        };

        var health = AgentHealthClassifier.Classify(deployment, [], [failedCreate], Now);

        Assert.Equal(HealthState.Pending, health.State);
        Assert.Equal(RunbookSection.Pending, health.RunbookSection);
        Assert.Equal("pods cannot be created: FailedCreate; 0/1 pods ready", health.Summary);
        Assert.Equal($"ReplicaFailure (FailedCreate): {quota}", health.Evidence[0]);
        Assert.Contains($"FailedCreate 11 times (last 10s ago): Error creating: {quota}", health.Evidence);
    }

    [Fact]
    public void Classify_DeploymentWithoutPodsYet_ProgressingWaitingForPods()
    {
        var health = Classify(Deployment(desired: 2, ready: 0));

        Assert.Equal(HealthState.Progressing, health.State);
        Assert.Equal(["waiting for 2 more pods to be created"], health.Evidence);
    }

    [Fact]
    public void Classify_PodOnLostNode_Unknown()
    {
        var pod = Pod().Phase(PodPhase.Unknown).Reason("NodeLost", "Node node-1 which was running pod agent is unresponsive")
            .Container(Running("agent")).Ready().Build();

        var health = Classify(Deployment(), pod);

        Assert.Equal(HealthState.Unknown, health.State);
        Assert.Equal(RunbookSection.None, health.RunbookSection);
        Assert.Equal($"pod {pod.Name} is in phase Unknown on node node-1: Node node-1 which was running pod agent is unresponsive", health.Evidence[0]);
    }

    [Fact]
    public void Classify_PodOnLostNodeBesideServingPod_Degraded()
    {
        var lost = Pod("agent-5d8f7c9b6d-lost0").Phase(PodPhase.Unknown).Reason("NodeLost").Container(Running("agent")).Build();
        var serving = Pod("agent-5d8f7c9b6d-aaaaa").Container(Running("agent")).Ready().Build();

        Assert.Equal(HealthState.Degraded, Classify(Deployment(desired: 2, ready: 1), lost, serving).State);
    }

    // ---- Events: window and scope

    [Fact]
    public void Classify_EventsOutsideWindowOrForOtherPods_AreNotEvidence()
    {
        var pod = Pod().Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(9).WithLastTermination("Error", 1, Clock.At(9))).Build();
        var other = Pod("planner-6f7d8c9b5a-zzzzz", agent: "planner").Build();
        var stale = PodEvent(pod, "BackOff", "stale back-off", 40, Clock.At(-90), Clock.At(-30));
        var foreign = PodEvent(other, "BackOff", "someone else's back-off", 3, Clock.At(8), Clock.At(9));

        var health = Classify(Deployment(ready: 0), [pod], stale, foreign);

        Assert.DoesNotContain(health.Evidence, e => e.Contains("back-off", StringComparison.Ordinal) && e.StartsWith("BackOff", StringComparison.Ordinal));
        Assert.Single(health.Evidence);
    }

    [Fact]
    public void Classify_MaxEvidence_CapsEvidenceLines()
    {
        var pod = Pod().Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(9).WithLastTermination("Error", 1, Clock.At(9))).Build();
        var events = new[]
        {
            PodEvent(pod, "BackOff", "back-off", 3, Clock.At(8), Clock.At(9)),
            PodEvent(pod, "Failed", "Error: failed to start container", 2, Clock.At(8), Clock.At(9)),
        };

        var health = AgentHealthClassifier.Classify(Deployment(ready: 0), [pod], events, Now, new AgentHealthOptions { MaxEvidence = 2 });

        Assert.Equal(2, health.Evidence.Count);
    }

    // ---- Bare pods (no Deployment)

    [Fact]
    public void Classify_BarePodFailedWithRestartNever_CrashLoopStateSaysNoRestart()
    {
        var pod = Pod().Change(p => p with { RestartPolicy = "Never", Owner = null }).Phase(PodPhase.Failed)
            .Container(Terminated("agent", "Error", 1, finishedAt: Clock.At(4))).Build();

        var health = Classify(null, pod);

        Assert.Equal(HealthState.CrashLoopBackOff, health.State);
        Assert.Equal("container agent exited 1 (Error) 6m ago and will not be restarted (pod phase Failed, restartPolicy Never)", health.Evidence[0]);
        Assert.Equal(1, health.DesiredPods);
        Assert.Equal(Clock.At(4), health.Since);
    }

    [Fact]
    public void Classify_BarePodSucceeded_HealthyCompleted()
    {
        var pod = Pod().Change(p => p with { RestartPolicy = "Never" }).Phase(PodPhase.Succeeded)
            .Container(Terminated("agent", "Completed", 0, finishedAt: Clock.At(5))).Build();

        var health = Classify(null, pod);

        Assert.Equal(HealthState.Healthy, health.State);
        Assert.Equal($"pod {pod.Name} completed successfully; nothing is running", health.Summary);
        Assert.Equal(Clock.At(5), health.Since);
    }
}
