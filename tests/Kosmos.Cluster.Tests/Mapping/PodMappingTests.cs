using System.Globalization;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Cluster.Tests.Fixtures;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Cluster.Tests.Mapping;

public sealed class PodMappingTests
{
    [Fact]
    public void ToPodSnapshot_NginxFixture_CarriesWhatDescribeShows()
    {
        var pod = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.NginxRunningHealthy));

        Assert.Equal(("kosmos", "nginx-deployment-67d4bdd6f5-w6kd7", "a6501da1-0447-4262-98eb-c03d4002222e", "1364"), (pod.Namespace, pod.Name, pod.Uid, pod.ResourceVersion));
        Assert.Equal(StringMap.Of(("app", "web-agent"), ("pod-template-hash", "67d4bdd6f5")), pod.Labels);
        Assert.Equal("web-agent", pod.AgentName);
        Assert.Equal(PodPhase.Running, pod.Phase);
        Assert.Equal(new OwnerSnapshot("ReplicaSet", "nginx-deployment-67d4bdd6f5", "7d41dfd4-84c0-4be4-88ab-cedbe626ad82"), pod.Owner);
        Assert.Equal(("kube-worker-1", "192.168.0.113", "10.88.0.3"), (pod.NodeName, pod.HostIP, pod.PodIP));
        Assert.Equal(["10.88.0.3", "2001:db8::1"], pod.PodIPs);
        Assert.Equal(Utc("2022-02-17T21:51:01Z"), pod.CreationTimestamp);
        Assert.Equal(Utc("2022-02-17T21:51:01Z"), pod.StartTime);
        Assert.Null(pod.DeletionTimestamp);
        Assert.Equal(("Always", "Guaranteed", "default"), (pod.RestartPolicy, pod.QosClass, pod.ServiceAccountName));
        Assert.Equal(
            [
                new ConditionSnapshot("Initialized", ConditionStatus.True, null, null, Utc("2022-02-17T21:51:01Z")),
                new ConditionSnapshot("Ready", ConditionStatus.True, null, null, Utc("2022-02-17T21:51:06Z")),
                new ConditionSnapshot("ContainersReady", ConditionStatus.True, null, null, Utc("2022-02-17T21:51:06Z")),
                new ConditionSnapshot("PodScheduled", ConditionStatus.True, null, null, Utc("2022-02-17T21:51:01Z")),
            ],
            pod.Conditions);
        Assert.Equal([new PodVolumeSnapshot("kube-api-access-bgsgp", "Projected")], pod.Volumes);
        Assert.Empty(pod.InitContainers);

        var nginx = Assert.Single(pod.Containers);
        Assert.Equal(("nginx", "nginx", 0, true, true, 0), (nginx.Name, nginx.Image, nginx.StatusIndex, nginx.Ready, nginx.Started, nginx.RestartCount));
        Assert.Equal("docker.io/library/nginx@sha256:2834dc507516af02784808c5f48b7cbe38b8ed5d0f4837f16e78d00deb7e7767", nginx.ImageId);
        Assert.Equal(new ContainerState.Running(Utc("2022-02-17T21:51:05Z")), nginx.State);
        Assert.Null(nginx.LastState);
        Assert.Equal(StringMap.Of(("cpu", "500m"), ("memory", "128Mi")), nginx.Resources.Limits);
        Assert.Equal(StringMap.Of(("cpu", "500m"), ("memory", "128Mi")), nginx.Resources.Requests);
        Assert.Equal([new ContainerPortSnapshot(80, "TCP")], nginx.Ports);
        Assert.Equal([new VolumeMountSnapshot("kube-api-access-bgsgp", "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true)], nginx.VolumeMounts);
        Assert.Null(nginx.LivenessProbe);
    }

    [Fact]
    public void ToPodSnapshot_CrashLoopFixture_MapsCurrentAndLastState()
    {
        var pod = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.CrashLoopExit1));

        var main = Assert.Single(pod.Containers);
        Assert.Equal(
            new ContainerState.Waiting("CrashLoopBackOff", "Back-off 40s restarting failed container=main pod=my-pod_argocd(63674389-f613-11e8-a057-fe5f49266390)"),
            main.State);
        Assert.Equal(
            new ContainerState.Terminated("Error", null, 1, null, Utc("2018-12-02T09:20:25Z"), Utc("2018-12-02T09:20:25Z")),
            main.LastState);
        Assert.Equal(["sh", "-c", "exit 1"], main.Command);
        Assert.Equal([new PodVolumeSnapshot("default-token-f9jvj", "Secret", "default-token-f9jvj")], pod.Volumes);
        Assert.Equal(3, main.RestartCount);
        Assert.Null(main.Started);
    }

    [Fact]
    public void ToPodSnapshot_ReadinessFixture_MapsExecProbesWithTheirTimings()
    {
        var pod = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.ReadinessFailingLivenessOk));

        var container = Assert.Single(pod.Containers);
        Assert.Equal(new ProbeSnapshot(ProbeKind.Exec, "[sh -c echo alive]", 3, 10, 1, 1, 3), container.LivenessProbe);
        Assert.Equal(new ProbeSnapshot(ProbeKind.Exec, "[sh -c sleep 600 && exit 1]", 5, 10, 1, 1, 100), container.ReadinessProbe);
        Assert.Null(container.StartupProbe);
    }

    [Fact]
    public void ToPodSnapshot_UnschedulableFixture_HasNoStatusesAndNoTimes()
    {
        var pod = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.PendingUnschedulableCpu));

        var app = Assert.Single(pod.Containers);
        Assert.False(app.HasStatus);
        Assert.Null(app.State);
        Assert.Null(pod.CreationTimestamp);
        Assert.Null(pod.NodeName);
        Assert.Equal("<unknown>", PodStatusFormatter.Age(pod, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void ToPodSnapshot_SameObjectMappedTwice_EqualSnapshots()
    {
        var first = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.ReadinessFailingLivenessOk));
        var second = KubernetesModelMapper.ToPodSnapshot(RealPods.Load(RealPods.ReadinessFailingLivenessOk));

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void ToPodSnapshot_EnvFromSecret_KeepsReferenceNeverValue()
    {
        const string leakedValue = "sk-live-THIS-MUST-NOT-APPEAR";
        var pod = Deserialize<V1Pod>($$"""
            {
              "metadata": {
                "name": "planner-0", "namespace": "kosmos", "labels": { "app": "planner" },
                "annotations": { "kubectl.kubernetes.io/last-applied-configuration": "{\"env\":\"{{leakedValue}}\"}", "team": "agents" }
              },
              "spec": {
                "containers": [{
                  "name": "agent", "image": "kosmos/planner:1.4",
                  "env": [
                    { "name": "LOG_LEVEL", "value": "debug" },
                    { "name": "LLM_API_KEY", "value": "{{leakedValue}}", "valueFrom": { "secretKeyRef": { "name": "kosmos-llm", "key": "api-key" } } },
                    { "name": "MODEL", "valueFrom": { "configMapKeyRef": { "name": "agent-config", "key": "model", "optional": true } } },
                    { "name": "POD_NAME", "valueFrom": { "fieldRef": { "fieldPath": "metadata.name" } } },
                    { "name": "MEM_LIMIT", "valueFrom": { "resourceFieldRef": { "containerName": "agent", "resource": "limits.memory" } } }
                  ],
                  "envFrom": [
                    { "secretRef": { "name": "kosmos-llm" }, "prefix": "LLM_" },
                    { "configMapRef": { "name": "agent-config" } }
                  ]
                }]
              }
            }
            """);

        var snapshot = KubernetesModelMapper.ToPodSnapshot(pod);

        var env = snapshot.Containers[0].Env;
        Assert.Equal(EnvVarSnapshot.Literal("LOG_LEVEL", "debug"), env[0]);
        Assert.Equal(EnvVarSnapshot.FromSecret("LLM_API_KEY", "kosmos-llm", "api-key"), env[1]);
        Assert.Null(env[1].Value);
        Assert.Equal(EnvVarSnapshot.FromConfigMap("MODEL", "agent-config", "model", optional: true), env[2]);
        Assert.Equal("field metadata.name", env[3].Source);
        Assert.Equal("resource agent/limits.memory", env[4].Source);
        Assert.Equal(
            [new EnvFromSnapshot(EnvVarSourceKind.Secret, "kosmos-llm", "LLM_"), new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "agent-config")],
            snapshot.Containers[0].EnvFrom);
        Assert.Equal(StringMap.Of(("team", "agents")), snapshot.Annotations);
        Assert.DoesNotContain(leakedValue, snapshot.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToPodSnapshot_StatusesSortedByName_KeepTheirStatusPositions()
    {
        // kubelet reports regular containers sorted by name, which is what kubectl's STATUS walks.
        var pod = Deserialize<V1Pod>("""
            {
              "metadata": { "name": "p", "namespace": "kosmos" },
              "spec": { "containers": [ { "name": "worker", "image": "w" }, { "name": "agent", "image": "a" } ] },
              "status": {
                "phase": "Running",
                "containerStatuses": [
                  { "name": "agent", "image": "a", "imageID": "", "ready": false, "restartCount": 2,
                    "state": { "waiting": { "reason": "CrashLoopBackOff" } } },
                  { "name": "worker", "image": "w", "imageID": "", "ready": false, "restartCount": 0,
                    "state": { "terminated": { "reason": "Error", "exitCode": 1 } } }
                ]
              }
            }
            """);

        var snapshot = KubernetesModelMapper.ToPodSnapshot(pod);

        Assert.Equal(["worker", "agent"], snapshot.Containers.Select(c => c.Name));
        Assert.Equal([1, 0], snapshot.Containers.Select(c => c.StatusIndex ?? -1));
        Assert.Equal("CrashLoopBackOff", PodStatusFormatter.Status(snapshot));
    }

    [Fact]
    public void ToPodSnapshot_ProbesAndVolumes_DescribedLikeKubectl()
    {
        var pod = Deserialize<V1Pod>("""
            {
              "metadata": { "name": "memory-0", "namespace": "kosmos" },
              "spec": {
                "initContainers": [ { "name": "proxy", "image": "envoy", "restartPolicy": "Always" } ],
                "containers": [{
                  "name": "agent", "image": "kosmos/memory:2",
                  "livenessProbe": { "httpGet": { "path": "/healthz", "port": 8443, "scheme": "HTTPS" }, "failureThreshold": 5 },
                  "readinessProbe": { "tcpSocket": { "port": "grpc" }, "periodSeconds": 5 },
                  "startupProbe": { "grpc": { "port": 9090 } }
                }],
                "volumes": [
                  { "name": "state", "persistentVolumeClaim": { "claimName": "memory-state" } },
                  { "name": "scratch", "ephemeral": { "volumeClaimTemplate": { "spec": { "accessModes": ["ReadWriteOnce"] } } } },
                  { "name": "config", "configMap": { "name": "memory-config" } },
                  { "name": "tmp", "emptyDir": {} }
                ]
              }
            }
            """);

        var snapshot = KubernetesModelMapper.ToPodSnapshot(pod);

        var agent = snapshot.Containers[0];
        Assert.Equal("http-get https://:8443/healthz delay=0s timeout=1s period=10s #success=1 #failure=5", agent.LivenessProbe?.Describe());
        Assert.Equal("tcp-socket :grpc delay=0s timeout=1s period=5s #success=1 #failure=3", agent.ReadinessProbe?.Describe());
        Assert.Equal(new ProbeSnapshot(ProbeKind.Grpc, "<pod>:9090"), agent.StartupProbe);
        Assert.True(snapshot.InitContainers[0].IsSidecar);
        Assert.Equal(
            [
                new PodVolumeSnapshot("state", "PersistentVolumeClaim", "memory-state", "memory-state"),
                new PodVolumeSnapshot("scratch", "Ephemeral", null, "memory-0-scratch"),
                new PodVolumeSnapshot("config", "ConfigMap", "memory-config"),
                new PodVolumeSnapshot("tmp", "EmptyDir"),
            ],
            snapshot.Volumes);
    }

    [Fact]
    public void ToPodSnapshot_TerminatingPodWithSignal_MapsDeletionAndSignal()
    {
        var pod = Deserialize<V1Pod>("""
            {
              "metadata": { "name": "p", "namespace": "kosmos", "deletionTimestamp": "2026-03-01T12:00:30Z", "deletionGracePeriodSeconds": 30 },
              "spec": { "containers": [ { "name": "agent", "image": "a" } ] },
              "status": {
                "phase": "Running",
                "containerStatuses": [ { "name": "agent", "image": "a", "imageID": "", "ready": false, "restartCount": 0,
                  "state": { "terminated": { "exitCode": 143, "signal": 15 } } } ]
              }
            }
            """);

        var snapshot = KubernetesModelMapper.ToPodSnapshot(pod);

        Assert.Equal(Utc("2026-03-01T12:00:30Z"), snapshot.DeletionTimestamp);
        Assert.Equal(30, snapshot.DeletionGracePeriodSeconds);
        Assert.Equal(new ContainerState.Terminated(null, null, 143, 15), snapshot.Containers[0].State);
        Assert.Equal("Terminating", PodStatusFormatter.Status(snapshot));
    }

    [Theory]
    [InlineData("Pending", PodPhase.Pending)]
    [InlineData("Running", PodPhase.Running)]
    [InlineData("Succeeded", PodPhase.Succeeded)]
    [InlineData("Failed", PodPhase.Failed)]
    [InlineData("Unknown", PodPhase.Unknown)]
    [InlineData("2", PodPhase.Unknown)]
    [InlineData(null, PodPhase.Unknown)]
    public void ToPodSnapshot_Phase_ParsedStrictly(string? phase, PodPhase expected)
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Status = new V1PodStatus { Phase = phase } };

        Assert.Equal(expected, KubernetesModelMapper.ToPodSnapshot(pod).Phase);
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Unspecified)]
    public void ToPodSnapshot_HandBuiltTimes_AreUtc(DateTimeKind kind)
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", CreationTimestamp = new DateTime(2026, 3, 1, 12, 0, 0, kind) } };

        Assert.Equal(Utc("2026-03-01T12:00:00Z"), KubernetesModelMapper.ToPodSnapshot(pod).CreationTimestamp);
    }

    [Fact]
    public void ToPodSnapshot_EmptyObject_DoesNotThrow()
    {
        var snapshot = KubernetesModelMapper.ToPodSnapshot(new V1Pod());

        Assert.Equal(("", "", PodPhase.Unknown), (snapshot.Name, snapshot.Namespace, snapshot.Phase));
        Assert.Empty(snapshot.Containers);
    }

    internal static T Deserialize<T>(string json) =>
        KubernetesJson.Deserialize<T>(json) ?? throw new InvalidOperationException("Fixture JSON deserialized to null.");

    internal static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
