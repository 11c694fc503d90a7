using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Tests.Machinery;

/// <summary>Valid objects of every served kind, shaped like what an API server stores (defaults filled in).</summary>
internal static class Fixtures
{
    public const string DeploymentJson = """
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "name": "research-agent",
            "namespace": "kosmos",
            "uid": "5b1f0c6e-7d1a-4a43-9d55-0c1e2f7a9b10",
            "resourceVersion": "4711",
            "generation": 3,
            "creationTimestamp": "2025-12-01T09:00:00Z",
            "labels": { "app": "research-agent", "tier": "agents" },
            "annotations": { "deployment.kubernetes.io/revision": "3" }
          },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "research-agent" } },
            "template": {
              "metadata": {
                "labels": { "app": "research-agent", "tier": "agents" },
                "annotations": { "prometheus.io/scrape": "true" }
              },
              "spec": {
                "containers": [
                  {
                    "name": "agent",
                    "image": "ghcr.io/kosmos/research-agent:1.8.2",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["--listen", ":8080"],
                    "ports": [ { "name": "http", "containerPort": 8080, "protocol": "TCP" } ],
                    "env": [
                      { "name": "LOG_LEVEL", "value": "info" },
                      { "name": "API_KEY", "valueFrom": { "secretKeyRef": { "name": "agent-secrets", "key": "api-key" } } },
                      { "name": "POD_NAME", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } }
                    ],
                    "envFrom": [ { "configMapRef": { "name": "agent-config" } } ],
                    "resources": {
                      "limits": { "cpu": "1", "memory": "512Mi" },
                      "requests": { "cpu": "250m", "memory": "256Mi" }
                    },
                    "volumeMounts": [
                      { "name": "state", "mountPath": "/var/lib/agent" },
                      { "name": "config", "mountPath": "/etc/agent", "readOnly": true }
                    ],
                    "livenessProbe": {
                      "httpGet": { "path": "/healthz", "port": 8080, "scheme": "HTTP" },
                      "initialDelaySeconds": 10, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3
                    },
                    "readinessProbe": {
                      "httpGet": { "path": "/ready", "port": "http", "scheme": "HTTP" },
                      "timeoutSeconds": 1, "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3
                    },
                    "securityContext": { "runAsNonRoot": true, "allowPrivilegeEscalation": false, "capabilities": { "drop": ["ALL"] } },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  },
                  {
                    "name": "metrics-exporter",
                    "image": "ghcr.io/kosmos/metrics-exporter:0.4.0",
                    "ports": [ { "containerPort": 9100, "protocol": "TCP" } ],
                    "resources": { "limits": { "memory": "64Mi" }, "requests": { "cpu": "10m", "memory": "32Mi" } },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent"
                  }
                ],
                "volumes": [
                  { "name": "state", "persistentVolumeClaim": { "claimName": "research-agent-state" } },
                  { "name": "config", "configMap": { "name": "agent-config", "defaultMode": 420 } }
                ],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "serviceAccountName": "kosmos-agent",
                "securityContext": { "fsGroup": 1000 },
                "schedulerName": "default-scheduler",
                "tolerations": [ { "key": "kosmos.io/agents", "operator": "Exists", "effect": "NoSchedule" } ]
              }
            },
            "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": "25%", "maxSurge": "25%" } },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
          },
          "status": {
            "observedGeneration": 3,
            "replicas": 2,
            "updatedReplicas": 2,
            "readyReplicas": 2,
            "availableReplicas": 2,
            "conditions": [
              { "type": "Available", "status": "True", "lastUpdateTime": "2025-12-01T09:01:00Z", "lastTransitionTime": "2025-12-01T09:01:00Z", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability." },
              { "type": "Progressing", "status": "True", "lastUpdateTime": "2025-12-01T09:01:00Z", "lastTransitionTime": "2025-12-01T09:00:00Z", "reason": "NewReplicaSetAvailable", "message": "ReplicaSet \"research-agent-7c9d\" has successfully progressed." }
            ]
          }
        }
        """;

    public const string ReplicaSetJson = """
        {
          "apiVersion": "apps/v1",
          "kind": "ReplicaSet",
          "metadata": {
            "name": "research-agent-7c9d",
            "namespace": "kosmos",
            "labels": { "app": "research-agent", "pod-template-hash": "7c9d" },
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "Deployment", "name": "research-agent", "uid": "5b1f0c6e-7d1a-4a43-9d55-0c1e2f7a9b10", "controller": true, "blockOwnerDeletion": true } ]
          },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "research-agent", "pod-template-hash": "7c9d" } },
            "template": {
              "metadata": { "labels": { "app": "research-agent", "pod-template-hash": "7c9d" } },
              "spec": { "containers": [ { "name": "agent", "image": "ghcr.io/kosmos/research-agent:1.8.2" } ] }
            }
          },
          "status": { "replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1 }
        }
        """;

    public const string PodJson = """
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": { "name": "research-agent-7c9d-x2k4p", "namespace": "kosmos", "labels": { "app": "research-agent" } },
          "spec": {
            "containers": [
              {
                "name": "agent",
                "image": "ghcr.io/kosmos/research-agent:1.8.2",
                "ports": [ { "containerPort": 8080, "protocol": "TCP" } ],
                "resources": { "limits": { "memory": "512Mi" }, "requests": { "memory": "256Mi" } },
                "volumeMounts": [ { "name": "state", "mountPath": "/var/lib/agent" } ]
              }
            ],
            "volumes": [ { "name": "state", "persistentVolumeClaim": { "claimName": "research-agent-state" } } ],
            "nodeName": "sim-node-1",
            "restartPolicy": "Always"
          },
          "status": {
            "phase": "Running",
            "podIP": "10.244.0.17",
            "conditions": [ { "type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2025-12-01T09:01:00Z" } ]
          }
        }
        """;

    public const string PvcJson = """
        {
          "apiVersion": "v1",
          "kind": "PersistentVolumeClaim",
          "metadata": { "name": "research-agent-state-restored", "namespace": "kosmos" },
          "spec": {
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": "standard",
            "resources": { "requests": { "storage": "10Gi" } },
            "dataSource": { "name": "research-agent-state-2025-12-12", "kind": "VolumeSnapshot", "apiGroup": "snapshot.storage.k8s.io" }
          }
        }
        """;

    public const string VolumeSnapshotJson = """
        {
          "apiVersion": "snapshot.storage.k8s.io/v1",
          "kind": "VolumeSnapshot",
          "metadata": { "name": "research-agent-state-2025-12-12", "namespace": "kosmos" },
          "spec": { "source": { "persistentVolumeClaimName": "research-agent-state" }, "volumeSnapshotClassName": "csi-snapclass" },
          "status": { "readyToUse": true, "restoreSize": "10Gi", "creationTime": "2025-12-12T02:00:00Z", "boundVolumeSnapshotContentName": "snapcontent-1" }
        }
        """;

    public const string NamespaceJson = """
        { "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "kosmos" }, "spec": { "finalizers": ["kubernetes"] }, "status": { "phase": "Active" } }
        """;

    public const string ConfigMapJson = """
        { "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "agent-config", "namespace": "kosmos" }, "data": { "agent.yaml": "model: large\n", "LOG_FORMAT": "json" } }
        """;

    public const string SecretJson = """
        { "apiVersion": "v1", "kind": "Secret", "metadata": { "name": "agent-secrets", "namespace": "kosmos" }, "type": "Opaque", "data": { "api-key": "c2VjcmV0LXZhbHVl" }, "stringData": { "extra": "plain" } }
        """;

    public const string EventJson = """
        {
          "apiVersion": "v1",
          "kind": "Event",
          "metadata": { "name": "research-agent-7c9d-x2k4p.17a3b5c6d7e8f901", "namespace": "kosmos" },
          "involvedObject": { "kind": "Pod", "namespace": "kosmos", "name": "research-agent-7c9d-x2k4p", "uid": "0f5e6a3c-1111-2222-3333-444455556666", "apiVersion": "v1", "fieldPath": "spec.containers{agent}" },
          "reason": "BackOff",
          "message": "Back-off restarting failed container agent",
          "source": { "component": "kubelet", "host": "sim-node-1" },
          "firstTimestamp": "2025-12-13T10:00:00Z",
          "lastTimestamp": "2025-12-13T10:05:00Z",
          "count": 6,
          "type": "Warning",
          "reportingComponent": "kubelet",
          "reportingInstance": "sim-node-1"
        }
        """;

    public static readonly IReadOnlyDictionary<string, string> ByKind = new Dictionary<string, string>
    {
        ["Deployment"] = DeploymentJson,
        ["ReplicaSet"] = ReplicaSetJson,
        ["Pod"] = PodJson,
        ["PersistentVolumeClaim"] = PvcJson,
        ["VolumeSnapshot"] = VolumeSnapshotJson,
        ["Namespace"] = NamespaceJson,
        ["ConfigMap"] = ConfigMapJson,
        ["Secret"] = SecretJson,
        ["Event"] = EventJson,
    };

    public static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    public static JsonNode? Node(string json) => JsonNode.Parse(json);

    public static JsonObject Deployment() => Parse(DeploymentJson);

    /// <summary>The object at a JSON pointer ("/spec/template/spec/containers/0").</summary>
    public static JsonNode? At(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonArray array => array[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)],
                JsonObject obj => obj[name],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>Asserts JSON equality (member order ignored) with a readable failure message.</summary>
    public static void AssertJsonEqual(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\nactual   {actual?.ToJsonString()}");
    }
}
