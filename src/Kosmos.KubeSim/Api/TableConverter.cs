using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>
/// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with <c>Accept: ...;as=Table</c>. Columns and cells follow
/// the real API server's printers (kubectl 1.32 has no built-in columns and prints only NAME AGE without them).
/// </summary>
public static class TableConverter
{
    private sealed record Column(string Name, string Type, int Priority, string Description, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);

    public static JsonObject ToTable(ResourceKind kind, IReadOnlyList<JsonObject> items, long resourceVersion, DateTimeOffset now, bool includeFullObject)
    {
        var columns = ColumnsFor(kind);
        var definitions = new JsonArray();
        foreach (var c in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray();
            foreach (var c in columns)
            {
                cells.Add(c.Cell(item, now));
            }

            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = includeFullObject ? item.DeepClone() : PartialMetadata(item) });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static JsonObject PartialMetadata(JsonObject item) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = item["metadata"]?.DeepClone(),
    };

    private static List<Column> ColumnsFor(ResourceKind kind)
    {
        var name = new Column("Name", "string", 0, "Name must be unique within a namespace.", (o, _) => Str(o, "metadata", "name"));
        var age = new Column("Age", "string", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.",
            (o, now) => Since(Str(o, "metadata", "creationTimestamp"), now));
        return kind.Plural switch
        {
            "pods" =>
            [
                name,
                new("Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic.", (o, _) => PodPrinter.Ready(o)),
                new("Status", "string", 0, "The aggregate status of the containers in this pod.", (o, _) => PodPrinter.Status(o)),
                new("Restarts", "string", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
                    (o, now) => PodPrinter.Restarts(o, now)),
                age,
                new("IP", "string", 1, "IP address allocated to the pod.", (o, _) => Str(o, "status", "podIP") ?? "<none>"),
                new("Node", "string", 1, "Name of the node this pod is running on.", (o, _) => Str(o, "spec", "nodeName") ?? "<none>"),
                new("Nominated Node", "string", 1, "Name of the node where this pod is nominated.", (o, _) => Str(o, "status", "nominatedNodeName") ?? "<none>"),
                new("Readiness Gates", "string", 1, "Pod readiness gates.", (_, _) => "<none>"),
            ],
            "deployments" =>
            [
                name,
                new("Ready", "string", 0, "Number of the pod with ready state", (o, _) => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas")}"),
                new("Up-to-date", "integer", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
                    (o, _) => Int(o, "status", "updatedReplicas")),
                new("Available", "integer", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
                    (o, _) => Int(o, "status", "availableReplicas")),
                age,
                new("Containers", "string", 1, "Names of each container in the template.", (o, _) => Containers(o, "name")),
                new("Images", "string", 1, "Images referenced by each container in the template.", (o, _) => Containers(o, "image")),
                new("Selector", "string", 1, "Label selector for pods.", (o, _) => MatchLabels(o)),
            ],
            "replicasets" =>
            [
                name,
                new("Desired", "integer", 0, "Number of desired pods.", (o, _) => Int(o, "spec", "replicas")),
                new("Current", "integer", 0, "Number of actual replicas.", (o, _) => Int(o, "status", "replicas")),
                new("Ready", "integer", 0, "The number of ready replicas for this replica set.", (o, _) => Int(o, "status", "readyReplicas")),
                age,
                new("Containers", "string", 1, "Names of each container in the template.", (o, _) => Containers(o, "name")),
                new("Images", "string", 1, "Images referenced by each container in the template.", (o, _) => Containers(o, "image")),
                new("Selector", "string", 1, "Label selector for pods.", (o, _) => MatchLabels(o)),
            ],
            "events" =>
            [
                new("Last Seen", "string", 0, "Time when last this event was observed.",
                    (o, now) => Since(Str(o, "lastTimestamp") ?? Str(o, "eventTime") ?? Str(o, "metadata", "creationTimestamp"), now)),
                new("Type", "string", 0, "Type of this event.", (o, _) => Str(o, "type")),
                new("Reason", "string", 0, "Reason why this event was generated.", (o, _) => Str(o, "reason")),
                new("Object", "string", 0, "The object this event is about.",
                    (o, _) => $"{Str(o, "involvedObject", "kind")?.ToLowerInvariant()}/{Str(o, "involvedObject", "name")}"),
                new("Subobject", "string", 1, "The subobject this event is about.", (o, _) => Str(o, "involvedObject", "fieldPath") ?? ""),
                new("Source", "string", 1, "The source of this event.", (o, _) => Str(o, "source", "component") ?? ""),
                new("Message", "string", 0, "A human-readable description of the status of this operation.", (o, _) => Str(o, "message")),
                new("First Seen", "string", 1, "Time when this event was first observed.", (o, now) => Since(Str(o, "firstTimestamp"), now)),
                new("Count", "string", 1, "The number of times this event has occurred.", (o, _) => Int(o, "count").ToString(CultureInfo.InvariantCulture)),
                name with { Priority = 1 },
            ],
            "persistentvolumeclaims" =>
            [
                name,
                new("Status", "string", 0, "The phase of the claim.",
                    (o, _) => o["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : Str(o, "status", "phase") ?? "Pending"),
                new("Volume", "string", 0, "The bound volume.", (o, _) => Str(o, "spec", "volumeName") ?? ""),
                new("Capacity", "string", 0, "The capacity of the volume.", (o, _) => Str(o, "status", "capacity", "storage") ?? ""),
                new("Access Modes", "string", 0, "The access modes.", (o, _) => AccessModes(o)),
                new("StorageClass", "string", 0, "The storage class.", (o, _) => Str(o, "spec", "storageClassName") ?? "<unset>"),
                new("VolumeAttributesClass", "string", 0, "The volume attributes class.", (_, _) => "<unset>"),
                age,
                new("VolumeMode", "string", 1, "The volume mode.", (o, _) => Str(o, "spec", "volumeMode") ?? "Filesystem"),
            ],
            "configmaps" =>
            [
                name,
                new("Data", "integer", 0, "Number of data entries.", (o, _) => (o["data"] as JsonObject)?.Count ?? 0),
                age,
            ],
            "secrets" =>
            [
                name,
                new("Type", "string", 0, "The type of the secret.", (o, _) => Str(o, "type") ?? "Opaque"),
                new("Data", "integer", 0, "Number of data entries.", (o, _) => (o["data"] as JsonObject)?.Count ?? 0),
                age,
            ],
            "namespaces" =>
            [
                name,
                new("Status", "string", 0, "The status of the namespace.", (o, _) => Str(o, "status", "phase") ?? "Active"),
                age,
            ],
            "volumesnapshots" =>
            [
                name,
                new("ReadyToUse", "boolean", 0, "Indicates if the snapshot is ready to be used to restore a volume.",
                    (o, _) => o["status"]?["readyToUse"]?.GetValue<bool>() ?? false),
                new("SourcePVC", "string", 0, "If a new snapshot needs to be created, this contains the name of the source PVC from which this snapshot was (or will be) created.",
                    (o, _) => Str(o, "spec", "source", "persistentVolumeClaimName") ?? ""),
                new("SourceSnapshotContent", "string", 0, "If a snapshot already exists, this contains the name of the existing VolumeSnapshotContent object representing the existing snapshot.",
                    (o, _) => Str(o, "spec", "source", "volumeSnapshotContentName") ?? ""),
                new("RestoreSize", "string", 0, "Represents the minimum size of volume required to rehydrate from this snapshot.",
                    (o, _) => Str(o, "status", "restoreSize") ?? ""),
                new("SnapshotClass", "string", 0, "The name of the VolumeSnapshotClass requested by the VolumeSnapshot.",
                    (o, _) => Str(o, "spec", "volumeSnapshotClassName") ?? ""),
                new("SnapshotContent", "string", 0, "Name of the VolumeSnapshotContent object to which the VolumeSnapshot object intends to bind to.",
                    (o, _) => Str(o, "status", "boundVolumeSnapshotContentName") ?? ""),
                new("CreationTime", "date", 0, "Timestamp when the point-in-time snapshot was taken by the underlying storage system.",
                    (o, now) => Since(Str(o, "status", "creationTime"), now)),
                age,
            ],
            "roles" or "clusterroles" =>
            [
                name,
                new("Created At", "date", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.",
                    (o, _) => Str(o, "metadata", "creationTimestamp")),
            ],
            "rolebindings" or "clusterrolebindings" =>
            [
                name,
                new("Role", "string", 0, "RoleRef is the reference to the role the binding refers to.",
                    (o, _) => $"{Str(o, "roleRef", "kind")}/{Str(o, "roleRef", "name")}"),
                age,
                new("Users", "string", 1, "Users in the binding.", (o, _) => Subjects(o, "User")),
                new("Groups", "string", 1, "Groups in the binding.", (o, _) => Subjects(o, "Group")),
                new("ServiceAccounts", "string", 1, "ServiceAccounts in the binding.", (o, _) => Subjects(o, "ServiceAccount")),
            ],
            "serviceaccounts" =>
            [
                name,
                new("Secrets", "string", 0, "Secrets is the list of secrets allowed to be used by pods running using this ServiceAccount.",
                    (o, _) => (o["secrets"] as JsonArray)?.Count ?? 0),
                age,
            ],
            "services" =>
            [
                name,
                new("Type", "string", 0, "The type of the service.", (o, _) => Str(o, "spec", "type") ?? "ClusterIP"),
                new("Cluster-IP", "string", 0, "The IP of the service.", (o, _) => Str(o, "spec", "clusterIP") ?? "<none>"),
                new("External-IP", "string", 0, "The external IPs of the service.",
                    (o, _) => (o["spec"]?["externalIPs"] as JsonArray) is { Count: > 0 } ips ? string.Join(",", ips.Select(i => i?.ToString())) : "<none>"),
                new("Port(s)", "string", 0, "The ports of the service.", (o, _) => ServicePorts(o)),
                age,
                new("Selector", "string", 1, "The label selector of the service.",
                    (o, _) => (o["spec"]?["selector"] as JsonObject) is { Count: > 0 } sel ? string.Join(",", sel.Select(p => $"{p.Key}={p.Value}")) : "<none>"),
            ],
            "networkpolicies" =>
            [
                name,
                new("Pod-Selector", "string", 0, "The selector of the pods the policy applies to.",
                    (o, _) => (o["spec"]?["podSelector"]?["matchLabels"] as JsonObject) is { Count: > 0 } sel
                        ? string.Join(",", sel.Select(p => $"{p.Key}={p.Value}"))
                        : "<none>"),
                age,
            ],
            "poddisruptionbudgets" =>
            [
                name,
                new("Min Available", "string", 0, "The minimum number of pods that must be available.", (o, _) => Scalar(o["spec"]?["minAvailable"]) ?? "N/A"),
                new("Max Unavailable", "string", 0, "The maximum number of pods that may be unavailable.", (o, _) => Scalar(o["spec"]?["maxUnavailable"]) ?? "N/A"),
                new("Allowed Disruptions", "integer", 0, "Calculated number of pods that may be disrupted at this time.", (o, _) => Int(o, "status", "disruptionsAllowed")),
                age,
            ],
            _ => [name, age],
        };
    }

    private static string Subjects(JsonObject o, string kind)
    {
        var names = (o["subjects"] as JsonArray ?? [])
            .Where(s => Str(s, "kind") == kind)
            .Select(s => kind == "ServiceAccount" ? $"{Str(s, "namespace")}/{Str(s, "name")}" : Str(s, "name"))
            .ToList();
        return string.Join(", ", names);
    }

    private static string ServicePorts(JsonObject o)
    {
        var ports = (o["spec"]?["ports"] as JsonArray ?? [])
            .Select(p => $"{Scalar(p?["port"])}/{Str(p, "protocol") ?? "TCP"}")
            .ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    private static string? Scalar(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    internal static string? Str(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = (node as JsonObject)?[p];
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    internal static long Int(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = (node as JsonObject)?[p];
        }

        return JsonValues.Long(node) ?? 0;
    }

    private static string Containers(JsonObject o, string field) =>
        string.Join(",", (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => Str(c, field)));

    private static string MatchLabels(JsonObject o) =>
        string.Join(",", (o["spec"]?["selector"]?["matchLabels"] as JsonObject ?? []).Select(p => $"{p.Key}={p.Value}"));

    private static string AccessModes(JsonObject o)
    {
        var modes = (o["status"]?["accessModes"] ?? o["spec"]?["accessModes"]) as JsonArray ?? [];
        return string.Join(",", modes.Select(m => m?.GetValue<string>() switch
        {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            var other => other,
        }));
    }

    internal static string Since(string? timestamp, DateTimeOffset now) =>
        timestamp is not null && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? HumanDuration(now - t)
            : "<unknown>";

    /// <summary>k8s.io/apimachinery duration.HumanDuration: how kubectl shows ages.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
