using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>Agents, pods and details shaped like what the board hands the UI, at a fixed "now".</summary>
public static class TestData
{
    public const string Ns = "kosmos";

    /// <summary>A secret value a careless page might leak. EnvVarSnapshot cannot even carry it; the page must show only the ref.</summary>
    public const string PlantedSecretValue = "sk-live-PLANTED-DO-NOT-SHOW-4242";

    public static readonly DateTimeOffset Now = new(2025, 12, 13, 10, 0, 0, TimeSpan.Zero);

    public static ClusterStatus SyncedStatus(params KindStatus[] kinds) =>
        new("kosmos-sim", "http://127.0.0.1:41234", IsSimulated: true, IsSynced: true,
            kinds.Length > 0 ? kinds : [new KindStatus("pods", Ns, KindSyncState.Synced, null, Now.AddSeconds(-5))]);

    public static ClusterStatus SyncingStatus() =>
        new("kosmos-sim", "http://127.0.0.1:41234", IsSimulated: true, IsSynced: false,
            [new KindStatus("pods", Ns, KindSyncState.Syncing, null, null), new KindStatus("deployments", Ns, KindSyncState.Synced, null, null)]);

    public static AgentHealth Health(
        string agent,
        HealthState state,
        string? summary = null,
        string[]? evidence = null,
        DateTimeOffset? since = null,
        RunbookSection section = RunbookSection.None,
        int ready = 1,
        int desired = 1,
        string[]? affected = null) =>
        new(agent, state, summary ?? $"{agent} is {state}", (evidence ?? [$"evidence for {agent}"]).ToValueList(), since, section, ready, desired,
            (affected ?? []).ToValueList());

    public static AgentSummary Agent(
        string name,
        HealthState state = HealthState.Healthy,
        string? summary = null,
        string[]? evidence = null,
        DateTimeOffset? since = null,
        int ready = 1,
        int desired = 1,
        int restarts = 0,
        DateTimeOffset? lastChange = null,
        RunbookSection section = RunbookSection.None,
        string[]? affected = null) =>
        new(Ns, name, Health(name, state, summary, evidence, since, section, ready, desired, affected), ready, desired, restarts,
            lastChange, ["registry.local/kosmos/" + name + ":1.0"], HasDeployment: true);

    /// <summary>One agent per health state, deliberately not in board order.</summary>
    public static AgentSummary[] OnePerState() =>
    [
        Agent("alpha-healthy", HealthState.Healthy, "1/1 pods ready"),
        Agent("bravo-progressing", HealthState.Progressing, "rollout in progress"),
        Agent("charlie-crash", HealthState.CrashLoopBackOff, "container agent keeps crashing (exited 1 (Error))", ["container agent is in CrashLoopBackOff after 4 restarts"], Now.AddMinutes(-7), ready: 0, restarts: 4),
        Agent("delta-oom", HealthState.OOMKilled, "container agent OOMKilled at its 512Mi memory limit", ["container agent exited 137 (OOMKilled) 2m ago; restarted 5 times; memory limit 512Mi"], Now.AddMinutes(-12), ready: 0, restarts: 5),
        Agent("echo-unresponsive", HealthState.Unresponsive, "container agent fails its liveness probe", ["Liveness probe failed 9 times"], Now.AddMinutes(-3)),
        Agent("foxtrot-pending", HealthState.Pending, "pod cannot be scheduled", ["0/3 nodes are available: 3 Insufficient memory"], Now.AddMinutes(-20), ready: 0),
        Agent("golf-imagepull", HealthState.ImagePull, "cannot pull image registry.local/kosmos/golf:9.9", ["container agent cannot pull image (ImagePullBackOff)"], Now.AddMinutes(-1), ready: 0),
        Agent("hotel-degraded", HealthState.Degraded, "2/3 pods ready; pod was evicted", ["pod hotel-1 was evicted"], Now.AddMinutes(-30), ready: 2, desired: 3),
        Agent("india-unknown", HealthState.Unknown, "node node-3 stopped reporting", ["pod india-1 is in phase Unknown"], Now.AddMinutes(-4), ready: 0),
        Agent("juliet-recovered", HealthState.Recovered, "recovered: container agent crashed 12m ago; 1/1 pods ready", ["container agent exited 1 (Error) 12m ago; restarted 4 times; running and ready for 12m since"], Now.AddMinutes(-12), restarts: 4),
        Agent("kilo-scaled", HealthState.ScaledToZero, "scaled to zero (0 replicas desired)", ["spec.replicas is 0"], ready: 0, desired: 0),
    ];

    public static readonly ProbeSnapshot Liveness = new(ProbeKind.Http, "http://:8080/healthz", InitialDelaySeconds: 10, PeriodSeconds: 10, TimeoutSeconds: 1, FailureThreshold: 3);

    public static readonly ProbeSnapshot Readiness = new(ProbeKind.Http, "http://:8080/ready", PeriodSeconds: 5);

    public static ContainerSnapshot AgentContainer(
        string image = "registry.local/kosmos/memory-agent:1.1",
        string memoryLimit = "512Mi",
        string memoryRequest = "256Mi") =>
        new()
        {
            Name = "agent",
            Image = image,
            Resources = new ContainerResources(
                StringMap.Of(("cpu", "100m"), ("memory", memoryRequest)),
                StringMap.Of(("memory", memoryLimit))),
            Env =
            [
                EnvVarSnapshot.Literal("LOG_LEVEL", "debug"),
                EnvVarSnapshot.Literal("VECTOR_STORE_URL", "http://vector-store:6333"),
                EnvVarSnapshot.FromSecret("LLM_API_KEY", "kosmos-llm", "api-key"),
            ],
            LivenessProbe = Liveness,
            ReadinessProbe = Readiness,
            Ports = [new ContainerPortSnapshot(8080, Name: "http")],
            VolumeMounts = [new VolumeMountSnapshot("state", "/var/lib/agent")],
        };

    /// <summary>A pod whose agent container was OOM-killed (exit 137) five times and now backs off.</summary>
    public static PodSnapshot OomPod(string name = "memory-agent-7f9c6-abcde", string agent = "memory-agent") => new()
    {
        Namespace = Ns,
        Name = name,
        Uid = "uid-" + name,
        Labels = StringMap.Of(("app", agent), ("pod-template-hash", "7f9c6")),
        Phase = PodPhase.Running,
        NodeName = "node-1",
        PodIP = "10.0.0.12",
        QosClass = "Burstable",
        CreationTimestamp = Now.AddMinutes(-30),
        StartTime = Now.AddMinutes(-30),
        Owner = new OwnerSnapshot("ReplicaSet", agent + "-7f9c6"),
        Conditions =
        [
            new ConditionSnapshot(ConditionTypes.PodScheduled, ConditionStatus.True, LastTransitionTime: Now.AddMinutes(-30)),
            new ConditionSnapshot(ConditionTypes.Ready, ConditionStatus.False, "ContainersNotReady", LastTransitionTime: Now.AddMinutes(-12)),
        ],
        Volumes = [new PodVolumeSnapshot("state", "PersistentVolumeClaim", ClaimName: agent + "-state")],
        Containers =
        [
            AgentContainer() with
            {
                StatusIndex = 0,
                Ready = false,
                RestartCount = 5,
                State = new ContainerState.Waiting(KubeReasons.CrashLoopBackOff, "back-off 2m40s restarting failed container=agent"),
                LastState = new ContainerState.Terminated(KubeReasons.OomKilled, null, 137, null, Now.AddMinutes(-3), Now.AddMinutes(-2)),
            },
        ],
    };

    /// <summary>A pod whose container exits 1 over and over.</summary>
    public static PodSnapshot CrashPod(string name = "chat-agent-5d8b7-xyz12", string agent = "chat-agent") => OomPod(name, agent) with
    {
        Containers =
        [
            AgentContainer("registry.local/kosmos/chat-agent:2.0") with
            {
                StatusIndex = 0,
                RestartCount = 4,
                State = new ContainerState.Waiting(KubeReasons.CrashLoopBackOff, "back-off 1m20s restarting failed container=agent"),
                LastState = new ContainerState.Terminated("Error", null, 1, null, Now.AddMinutes(-2), Now.AddMinutes(-1)),
            },
        ],
    };

    public static PodSnapshot HealthyPod(string name, string agent) => OomPod(name, agent) with
    {
        Conditions = [new ConditionSnapshot(ConditionTypes.Ready, ConditionStatus.True, LastTransitionTime: Now.AddHours(-1))],
        Containers =
        [
            AgentContainer() with
            {
                StatusIndex = 0,
                Ready = true,
                RestartCount = 0,
                State = new ContainerState.Running(Now.AddHours(-1)),
                LastState = null,
            },
        ],
    };

    public static EventSnapshot PodEvent(PodSnapshot pod, string type, string reason, string message, int count, DateTimeOffset first, DateTimeOffset last) => new()
    {
        Namespace = pod.Namespace,
        Name = pod.Name + "." + reason.ToLowerInvariant(),
        InvolvedObject = new ObjectReferenceSnapshot("Pod", pod.Name, pod.Namespace, pod.Uid, "spec.containers{agent}"),
        Type = type,
        Reason = reason,
        Message = message,
        Count = count,
        FirstTimestamp = first,
        LastTimestamp = last,
        SourceComponent = "kubelet",
    };

    public static ReplicaSetSnapshot Revision(string agent, long revision, ContainerSnapshot container, DateTimeOffset created, DateTimeOffset? restartedAt = null, int ready = 0, int desired = 0) => new()
    {
        Namespace = Ns,
        Name = $"{agent}-rev{revision}",
        OwnerDeployment = agent,
        Revision = revision,
        CreationTimestamp = created,
        ReadyReplicas = ready,
        DesiredReplicas = desired,
        Template = new PodTemplateSnapshot
        {
            Containers = [container],
            Annotations = restartedAt is null ? StringMap.Empty : StringMap.Of((WellKnownKeys.RestartedAtAnnotation, restartedAt.Value.ToString("O"))),
        },
    };

    /// <summary>The OOM-killed memory-agent with everything the agent page shows: pods, events, two revisions, a claim and snapshots.</summary>
    public static AgentDetail OomDetail()
    {
        var pod = OomPod();
        var summary = Agent(
            "memory-agent",
            HealthState.OOMKilled,
            "container agent OOMKilled at its 512Mi memory limit; 0/1 pods ready",
            ["container agent exited 137 (OOMKilled) 2m ago; restarted 5 times; memory limit 512Mi", "container agent is in CrashLoopBackOff because of it"],
            Now.AddMinutes(-12),
            ready: 0,
            restarts: 5,
            lastChange: Now.AddMinutes(-2),
            section: RunbookSection.OutOfMemory,
            affected: [pod.Name]);
        var oldContainer = AgentContainer("registry.local/kosmos/memory-agent:1.0", memoryLimit: "256Mi", memoryRequest: "128Mi") with
        {
            Env = [EnvVarSnapshot.Literal("LOG_LEVEL", "info"), EnvVarSnapshot.Literal("VECTOR_STORE_URL", "http://vector-store:6333")],
        };
        var deployment = new DeploymentSnapshot
        {
            Namespace = Ns,
            Name = "memory-agent",
            DesiredReplicas = 1,
            CurrentReplicas = 1,
            UpdatedReplicas = 1,
            Revision = 2,
            Generation = 2,
            ObservedGeneration = 2,
            Template = new PodTemplateSnapshot { Containers = [AgentContainer()] },
        };
        return new AgentDetail(
            summary,
            deployment,
            [pod],
            [
                Revision("memory-agent", 1, oldContainer, Now.AddDays(-2), ready: 0, desired: 0),
                Revision("memory-agent", 2, AgentContainer(), Now.AddMinutes(-30), restartedAt: Now.AddMinutes(-30), ready: 0, desired: 1),
            ],
            [
                PodEvent(pod, "Warning", "BackOff", "Back-off restarting failed container agent in pod " + pod.Name, 12, Now.AddMinutes(-20), Now.AddMinutes(-1)),
                PodEvent(pod, "Normal", "Pulled", "Container image \"registry.local/kosmos/memory-agent:1.1\" already present on machine", 6, Now.AddMinutes(-30), Now.AddMinutes(-5)),
                PodEvent(pod, "Normal", "Scheduled", "Successfully assigned kosmos/" + pod.Name + " to node-1", 1, Now.AddMinutes(-30), Now.AddMinutes(-30)),
            ],
            [
                new PvcSnapshot
                {
                    Namespace = Ns,
                    Name = "memory-agent-state",
                    Phase = "Bound",
                    Capacity = "10Gi",
                    RequestedStorage = "10Gi",
                    StorageClassName = "standard",
                    AccessModes = ["ReadWriteOnce"],
                    CreationTimestamp = Now.AddDays(-10),
                },
            ],
            [
                new VolumeSnapshotSnapshot
                {
                    Namespace = Ns,
                    Name = "memory-agent-state-20251213-0900",
                    SourcePvcName = "memory-agent-state",
                    ReadyToUse = true,
                    RestoreSize = "10Gi",
                    CreationTimestamp = Now.AddHours(-1),
                    CreationTime = Now.AddHours(-1),
                },
                new VolumeSnapshotSnapshot
                {
                    Namespace = Ns,
                    Name = "memory-agent-state-20251213-0955",
                    SourcePvcName = "memory-agent-state",
                    ReadyToUse = false,
                    CreationTimestamp = Now.AddMinutes(-5),
                },
            ]);
    }

    /// <summary>chat-agent crash-looping (exit 1), its env pointing at vector-store.</summary>
    public static AgentDetail CrashDetail()
    {
        var pod = CrashPod();
        var summary = Agent(
            "chat-agent",
            HealthState.CrashLoopBackOff,
            "container agent keeps crashing (exited 1 (Error)); 0/1 pods ready",
            ["container agent is in CrashLoopBackOff (back-off 1m20s) after 4 restarts; last exited 1 (Error) 1m ago"],
            Now.AddMinutes(-8),
            ready: 0,
            restarts: 4,
            section: RunbookSection.CrashLoopBackOff,
            affected: [pod.Name]);
        return new AgentDetail(summary, null, [pod], [], [], [], []);
    }

    /// <summary>slow-agent: its pod runs but stopped answering (not ready for 12m, 9 liveness failures), no Deployment.</summary>
    public static AgentDetail UnresponsiveDetail()
    {
        var pod = OomPod("slow-agent-1", "slow-agent") with
        {
            Containers = [AgentContainer() with { StatusIndex = 0, Ready = false, RestartCount = 2, State = new ContainerState.Running(Now.AddMinutes(-20)) }],
        };
        var unhealthy = PodEvent(pod, "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", 9, Now.AddMinutes(-15), Now.AddSeconds(-20));
        var summary = Agent("slow-agent", HealthState.Unresponsive, section: RunbookSection.UnresponsiveAgent, affected: [pod.Name]);
        return new AgentDetail(summary, null, [pod], [], [unhealthy], [], []);
    }

    /// <summary>
    /// vector-store rolled out to 2.5.0-rc1, a tag the registry does not have (ImagePullBackOff); revision 1 ran 2.4.2.
    /// </summary>
    public static AgentDetail ImagePullDetail()
    {
        const string Missing = "ghcr.io/kosmos-ai/vector-store:2.5.0-rc1";
        var pod = OomPod("vector-store-6d5f-q2w3e", "vector-store") with
        {
            Containers =
            [
                AgentContainer(Missing) with
                {
                    StatusIndex = 0,
                    Ready = false,
                    RestartCount = 0,
                    State = new ContainerState.Waiting(KubeReasons.ImagePullBackOff, $"Back-off pulling image \"{Missing}\""),
                    LastState = null,
                },
            ],
        };
        var summary = Agent("vector-store", HealthState.ImagePull, $"cannot pull image {Missing}", [$"container agent cannot pull image {Missing} (ImagePullBackOff)"],
            Now.AddMinutes(-5), ready: 0, section: RunbookSection.ImagePull, affected: [pod.Name]);
        var deployment = new DeploymentSnapshot
        {
            Namespace = Ns,
            Name = "vector-store",
            DesiredReplicas = 1,
            Revision = 2,
            Generation = 2,
            ObservedGeneration = 2,
            Template = new PodTemplateSnapshot { Containers = [AgentContainer(Missing)] },
        };
        return new AgentDetail(summary, deployment, [pod],
            [
                Revision("vector-store", 1, AgentContainer("ghcr.io/kosmos-ai/vector-store:2.4.2"), Now.AddDays(-3)),
                Revision("vector-store", 2, AgentContainer(Missing), Now.AddMinutes(-5), desired: 1),
            ],
            [], [], []);
    }

    /// <summary>
    /// A researcher-like pod template reading configuration every way: researcher-config imported whole (envFrom), MODEL
    /// from shared-config/model, the API key from a Secret, and a volume of ConfigMap researcher-files.
    /// </summary>
    public static PodTemplateSnapshot ConfigReadingTemplate() => new()
    {
        Containers =
        [
            new ContainerSnapshot
            {
                Name = "agent",
                EnvFrom = [new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "researcher-config")],
                Env =
                [
                    EnvVarSnapshot.FromConfigMap("MODEL", "shared-config", "model"),
                    EnvVarSnapshot.FromSecret("KOSMOS_API_KEY", "researcher-credentials", "api-key"),
                ],
            },
        ],
        Volumes = [new PodVolumeSnapshot("files", "ConfigMap", "researcher-files")],
    };
}
