using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Model;
using static Kosmos.Cluster.Tests.Mapping.PodMappingTests;

namespace Kosmos.Cluster.Tests.Mapping;

public sealed class WorkloadAndEventMappingTests
{
    [Fact]
    public void ToDeploymentSnapshot_RollingOut_MapsReplicasConditionsAndTemplate()
    {
        var deployment = Deserialize<V1Deployment>("""
            {
              "metadata": {
                "name": "planner", "namespace": "kosmos", "uid": "d-1", "resourceVersion": "77", "generation": 5,
                "creationTimestamp": "2026-02-01T08:00:00Z", "labels": { "app": "planner" },
                "annotations": { "deployment.kubernetes.io/revision": "4" }
              },
              "spec": {
                "replicas": 3, "progressDeadlineSeconds": 600, "strategy": { "type": "RollingUpdate" },
                "selector": { "matchLabels": { "app": "planner" } },
                "template": {
                  "metadata": { "labels": { "app": "planner" }, "annotations": { "kubectl.kubernetes.io/restartedAt": "2026-03-01T11:58:00Z" } },
                  "spec": {
                    "containers": [{
                      "name": "agent", "image": "kosmos/planner:1.5",
                      "resources": { "limits": { "memory": "1Gi" }, "requests": { "memory": "512Mi", "cpu": "0.5" } },
                      "env": [ { "name": "LLM_API_KEY", "valueFrom": { "secretKeyRef": { "name": "kosmos-llm", "key": "api-key" } } } ]
                    }],
                    "volumes": [ { "name": "state", "persistentVolumeClaim": { "claimName": "planner-state" } } ]
                  }
                }
              },
              "status": {
                "observedGeneration": 5, "replicas": 4, "updatedReplicas": 2, "readyReplicas": 3, "availableReplicas": 3, "unavailableReplicas": 1,
                "conditions": [
                  { "type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "lastTransitionTime": "2026-02-01T08:01:00Z", "lastUpdateTime": "2026-02-01T08:01:00Z" },
                  { "type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": "ReplicaSet \"planner-7c6b5a4d3e\" is progressing.",
                    "lastTransitionTime": "2026-02-01T08:00:00Z", "lastUpdateTime": "2026-03-01T11:58:30Z" }
                ]
              }
            }
            """);

        var snapshot = KubernetesModelMapper.ToDeploymentSnapshot(deployment);

        Assert.Equal(("kosmos", "planner", "d-1", "77"), (snapshot.Namespace, snapshot.Name, snapshot.Uid, snapshot.ResourceVersion));
        Assert.Equal((5L, 5L, 4L), (snapshot.Generation, snapshot.ObservedGeneration ?? -1, snapshot.Revision ?? -1));
        Assert.Equal((3, 4, 2, 3, 3, 1), (snapshot.DesiredReplicas, snapshot.CurrentReplicas, snapshot.UpdatedReplicas, snapshot.ReadyReplicas, snapshot.AvailableReplicas, snapshot.UnavailableReplicas));
        Assert.Equal(StringMap.Of(("app", "planner")), snapshot.Selector);
        Assert.Equal(("RollingUpdate", 600), (snapshot.StrategyType, snapshot.ProgressDeadlineSeconds ?? -1));
        Assert.Equal(Utc("2026-02-01T08:00:00Z"), snapshot.CreationTimestamp);
        Assert.Equal(
            new ConditionSnapshot("Progressing", ConditionStatus.True, "ReplicaSetUpdated", "ReplicaSet \"planner-7c6b5a4d3e\" is progressing.", Utc("2026-02-01T08:00:00Z"), Utc("2026-03-01T11:58:30Z")),
            snapshot.GetCondition(ConditionTypes.Progressing));
        Assert.Equal(Utc("2026-03-01T11:58:00Z"), snapshot.RestartedAt);

        var agent = Assert.Single(snapshot.Template.Containers);
        Assert.Equal("kosmos/planner:1.5", agent.Image);
        Assert.Equal(("1Gi", "512Mi", "500m"), (agent.Resources.MemoryLimit, agent.Resources.MemoryRequest, agent.Resources.CpuRequest));
        Assert.Equal(EnvVarSnapshot.FromSecret("LLM_API_KEY", "kosmos-llm", "api-key"), Assert.Single(agent.Env));
        Assert.False(agent.HasStatus);
        Assert.Equal(["planner-state"], snapshot.Template.ClaimNames);
    }

    [Fact]
    public void ToDeploymentSnapshot_NoReplicasOrStatus_DefaultsToOneDesiredNoneReady()
    {
        var snapshot = KubernetesModelMapper.ToDeploymentSnapshot(new V1Deployment { Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "kosmos" } });

        Assert.Equal((1, 0, 0), (snapshot.DesiredReplicas, snapshot.ReadyReplicas, snapshot.CurrentReplicas));
        Assert.Null(snapshot.Revision);
        Assert.Null(snapshot.RestartedAt);
        Assert.Empty(snapshot.Template.Containers);
    }

    [Fact]
    public void ToReplicaSetSnapshot_OwnedRevision_MapsOwnerRevisionAndHash()
    {
        var replicaSet = Deserialize<V1ReplicaSet>("""
            {
              "metadata": {
                "name": "planner-7c6b5a4d3e", "namespace": "kosmos", "uid": "rs-2", "creationTimestamp": "2026-03-01T11:58:00Z",
                "labels": { "app": "planner", "pod-template-hash": "7c6b5a4d3e" },
                "annotations": { "deployment.kubernetes.io/revision": "5", "deployment.kubernetes.io/desired-replicas": "3" },
                "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "Deployment", "name": "planner", "uid": "d-1", "controller": true } ]
              },
              "spec": {
                "replicas": 2,
                "template": { "metadata": { "annotations": { "kubectl.kubernetes.io/restartedAt": "2026-03-01T11:58:00Z" } },
                              "spec": { "containers": [ { "name": "agent", "image": "kosmos/planner:1.5" } ] } }
              },
              "status": { "replicas": 2, "readyReplicas": 1, "availableReplicas": 1 }
            }
            """);

        var snapshot = KubernetesModelMapper.ToReplicaSetSnapshot(replicaSet);

        Assert.Equal(("planner", 5L, "7c6b5a4d3e"), (snapshot.OwnerDeployment, snapshot.Revision ?? -1, snapshot.PodTemplateHash));
        Assert.Equal((2, 2, 1, 1), (snapshot.DesiredReplicas, snapshot.CurrentReplicas, snapshot.ReadyReplicas, snapshot.AvailableReplicas));
        Assert.Equal(Utc("2026-03-01T11:58:00Z"), snapshot.CreationTimestamp);
        Assert.Equal(Utc("2026-03-01T11:58:00Z"), snapshot.RestartedAt);
        Assert.Equal("kosmos/planner:1.5", snapshot.Template.Containers[0].Image);
    }

    [Fact]
    public void ToEventSnapshot_CoreEvent_MapsInvolvedContainerCountAndTimes()
    {
        var e = Deserialize<Corev1Event>("""
            {
              "metadata": { "name": "planner-0.17f1", "namespace": "kosmos", "uid": "ev-1" },
              "involvedObject": { "kind": "Pod", "name": "planner-0", "namespace": "kosmos", "uid": "pod-uid", "fieldPath": "spec.containers{agent}" },
              "type": "Warning", "reason": "Unhealthy", "message": "Readiness probe failed: HTTP probe failed with statuscode: 503",
              "count": 12, "firstTimestamp": "2026-03-01T11:50:00Z", "lastTimestamp": "2026-03-01T11:59:40Z",
              "source": { "component": "kubelet", "host": "node-1" }
            }
            """);

        var snapshot = KubernetesModelMapper.ToEventSnapshot(e);

        Assert.Equal(new ObjectReferenceSnapshot("Pod", "planner-0", "kosmos", "pod-uid", "spec.containers{agent}"), snapshot.InvolvedObject);
        Assert.Equal(("ev-1", "kosmos", "planner-0.17f1"), (snapshot.Uid, snapshot.Namespace, snapshot.Name));
        Assert.Equal(("Warning", "Unhealthy", 12), (snapshot.Type, snapshot.Reason, snapshot.Count));
        Assert.True(snapshot.IsWarning);
        Assert.Equal((Utc("2026-03-01T11:50:00Z"), Utc("2026-03-01T11:59:40Z")), (snapshot.FirstTimestamp, snapshot.LastTimestamp));
        Assert.Equal(("kubelet", "node-1"), (snapshot.SourceComponent, snapshot.SourceHost));
    }

    [Fact]
    public void ToEventSnapshot_EventsApiShape_UsesEventTimeSeriesAndReportingComponent()
    {
        var e = Deserialize<Corev1Event>("""
            {
              "metadata": { "name": "planner-0.17f2", "namespace": "kosmos" },
              "involvedObject": { "kind": "Pod", "name": "planner-0" },
              "reason": "FailedScheduling", "message": "0/3 nodes are available: 3 Insufficient cpu.",
              "eventTime": "2026-03-01T11:40:00.123456Z",
              "series": { "count": 7, "lastObservedTime": "2026-03-01T11:59:00.000000Z" },
              "reportingComponent": "default-scheduler", "reportingInstance": "scheduler-1"
            }
            """);

        var snapshot = KubernetesModelMapper.ToEventSnapshot(e);

        Assert.Equal(("Normal", 7), (snapshot.Type, snapshot.Count));
        Assert.Equal(Utc("2026-03-01T11:40:00.123456Z"), snapshot.FirstTimestamp);
        Assert.Equal(Utc("2026-03-01T11:59:00Z"), snapshot.LastTimestamp);
        Assert.Equal(("default-scheduler", "scheduler-1"), (snapshot.SourceComponent, snapshot.SourceHost));
    }
}
