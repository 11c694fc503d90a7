using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// Keeps each ReplicaSet's spec.replicas pods alive, like pkg/controller/replicaset: claims its pods (adopting
/// matching orphans, releasing pods whose labels no longer match), creates missing ones from the template, deletes
/// extras through the graceful path (least valuable first), and reports status. Pods marked with a
/// deletionTimestamp, or finished, do not count.
/// </summary>
internal sealed class ReplicaSetController : ControllerBase<ObjectKey>
{
    public const string Component = "replicaset-controller";

    // Like the real controller's burstReplicas: never more than this many creates or deletes in one sync.
    private const int BurstReplicas = 500;

    private readonly EventRecorder _events;

    public ReplicaSetController(ObjectStore store, ScaledTimeProvider time, ILoggerFactory loggers, TimeSpan resyncPeriod)
        : base("replicaset-controller", store, time, loggers.CreateLogger<ReplicaSetController>(), resyncPeriod)
    {
        _events = new EventRecorder(store, time, Component, logger: Logger);
    }

    protected override IReadOnlyList<ResourceKind> WatchedKinds => [ResourceKinds.ReplicaSets, ResourceKinds.Pods];

    protected override void OnEvent(WatchEvent e)
    {
        if (e.Kind == ResourceKinds.ReplicaSets)
        {
            Queue.Add(new ObjectKey(e.Namespace, e.Name));
            return;
        }

        if (Meta.ControllerName(e.Object, ResourceKinds.ReplicaSets) is { } owner)
        {
            Queue.Add(new ObjectKey(e.Namespace, owner));
        }
        else if (Meta.ControllerRef(e.Object) is null && e.Type != WatchEventType.Deleted && PodState.IsActive(e.Object))
        {
            // An orphan: every replica set that would adopt it takes a look.
            foreach (var rs in Store.List(ResourceKinds.ReplicaSets, e.Namespace).Items)
            {
                if (LabelSelector.Matches(JsonValues.At(rs, "spec", "selector"), Meta.Labels(e.Object)))
                {
                    Queue.Add(ObjectKey.Of(rs));
                }
            }
        }
    }

    protected override IEnumerable<ObjectKey> ResyncKeys() => Store.List(ResourceKinds.ReplicaSets, null).Items.Select(ObjectKey.Of);

    protected override void Reconcile(ObjectKey key)
    {
        var rs = Store.Get(ResourceKinds.ReplicaSets, key.Namespace, key.Name);
        if (rs is null)
        {
            // Its pods are the garbage collector's now.
            return;
        }

        var pods = ClaimPods(rs);
        var active = pods.Where(PodState.IsActive).ToList();
        var desired = (int)(JsonValues.Long(JsonValues.At(rs, "spec", "replicas")) ?? 1);
        Exception? manageError = null;
        try
        {
            ManageReplicas(rs, active, desired);
        }
        catch (ApiException ex)
        {
            manageError = ex;
        }

        UpdateStatus(key, ClaimedPodsNow(rs), manageError);
        if (manageError is not null)
        {
            throw manageError;
        }
    }

    private void ManageReplicas(JsonObject rs, List<JsonObject> active, int desired)
    {
        var diff = active.Count - desired;
        if (diff < 0)
        {
            var template = JsonValues.At(rs, "spec", "template") as JsonObject ?? [];
            for (var i = 0; i < Math.Min(-diff, BurstReplicas); i++)
            {
                JsonObject pod;
                try
                {
                    pod = Store.Create(ResourceKinds.Pods, PodFromTemplate(rs, template));
                }
                catch (ApiException ex)
                {
                    _events.Warning(rs, "FailedCreate", $"Error creating: {ex.Message}");
                    throw;
                }

                _events.Normal(rs, "SuccessfulCreate", $"Created pod: {Meta.Name(pod)}");
            }
        }
        else if (diff > 0)
        {
            foreach (var pod in active.OrderBy(p => p, DeletionOrder.Instance).Take(Math.Min(diff, BurstReplicas)))
            {
                if (PodDeletion.Delete(Store, Time, Meta.Namespace(pod), Meta.Name(pod), Meta.Uid(pod)))
                {
                    _events.Normal(rs, "SuccessfulDelete", $"Deleted pod: {Meta.Name(pod)}");
                }
            }
        }
    }

    /// <summary>Pods this replica set controls: its own whose labels still match, plus matching orphans it adopts.</summary>
    private List<JsonObject> ClaimPods(JsonObject rs)
    {
        var uid = Meta.Uid(rs);
        var selector = JsonValues.At(rs, "spec", "selector");
        var owned = new List<JsonObject>();
        foreach (var pod in Store.List(ResourceKinds.Pods, Meta.Namespace(rs)).Items)
        {
            var controllerUid = Meta.ControllerUid(pod);
            var matches = LabelSelector.Matches(selector, Meta.Labels(pod));
            if (controllerUid == uid)
            {
                if (matches)
                {
                    owned.Add(pod);
                }
                else if (!Meta.IsTerminating(pod))
                {
                    Release(pod, uid);
                }
            }
            else if (controllerUid is null && matches && PodState.IsActive(pod) && !Meta.IsTerminating(rs))
            {
                if (Adopt(rs, pod) is { } adopted)
                {
                    owned.Add(adopted);
                }
            }
        }

        return owned;
    }

    private List<JsonObject> ClaimedPodsNow(JsonObject rs)
    {
        var uid = Meta.Uid(rs);
        var selector = JsonValues.At(rs, "spec", "selector");
        return Store.List(ResourceKinds.Pods, Meta.Namespace(rs),
            p => Meta.ControllerUid(p) == uid && LabelSelector.Matches(selector, Meta.Labels(p))).Items.ToList();
    }

    private JsonObject? Adopt(JsonObject rs, JsonObject pod)
    {
        try
        {
            return Store.Update(ResourceKinds.Pods, Meta.Namespace(pod), Meta.Name(pod), p =>
            {
                if (Meta.Uid(p) != Meta.Uid(pod) || Meta.ControllerRef(p) is not null)
                {
                    throw ApiException.Conflict(ResourceKinds.Pods, Meta.Name(pod));
                }

                var meta = ObjectStore.Metadata(p);
                var refs = meta["ownerReferences"] as JsonArray ?? [];
                refs.Add(Meta.NewControllerRef(ResourceKinds.ReplicaSets, rs));
                meta["ownerReferences"] = refs;
                return p;
            });
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            return null;
        }
    }

    private void Release(JsonObject pod, string ownerUid)
    {
        try
        {
            Store.Update(ResourceKinds.Pods, Meta.Namespace(pod), Meta.Name(pod), p =>
            {
                var meta = ObjectStore.Metadata(p);
                if (meta["ownerReferences"] is JsonArray refs)
                {
                    foreach (var r in refs.OfType<JsonObject>().Where(r => JsonValues.String(r["uid"]) == ownerUid).ToList())
                    {
                        refs.Remove(r);
                    }

                    if (refs.Count == 0)
                    {
                        meta.Remove("ownerReferences");
                    }
                }

                return p;
            });
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // Gone meanwhile: nothing to release.
        }
    }

    private void UpdateStatus(ObjectKey key, List<JsonObject> pods, Exception? manageError)
    {
        var rs = Store.Get(ResourceKinds.ReplicaSets, key.Namespace, key.Name);
        if (rs is null)
        {
            return;
        }

        var minReady = JsonValues.Long(JsonValues.At(rs, "spec", "minReadySeconds")) ?? 0;
        var templateLabels = JsonValues.At(rs, "spec", "template", "metadata", "labels") as JsonObject ?? [];
        var active = pods.Where(PodState.IsActive).ToList();
        var ready = 0;
        var available = 0;
        TimeSpan? nextAvailable = null;
        foreach (var pod in active)
        {
            if (!PodState.IsReady(pod))
            {
                continue;
            }

            ready++;
            if (PodState.IsAvailable(pod, minReady, Time, out var availableIn))
            {
                available++;
            }
            else if (availableIn is { } wait && (nextAvailable is null || wait < nextAvailable))
            {
                nextAvailable = wait;
            }
        }

        var fullyLabeled = active.Count(p => templateLabels.All(l => JsonValues.String(Meta.Labels(p)?[l.Key]) == JsonValues.String(l.Value)));
        var status = new JsonObject { ["replicas"] = active.Count };
        AddIfPositive(status, "fullyLabeledReplicas", fullyLabeled);
        AddIfPositive(status, "readyReplicas", ready);
        AddIfPositive(status, "availableReplicas", available);
        status["observedGeneration"] = Meta.Generation(rs);
        var failure = ReplicaFailureCondition(rs, manageError);
        if (failure is not null)
        {
            status["conditions"] = new JsonArray(failure);
        }

        Store.Update(ResourceKinds.ReplicaSets, key.Namespace, key.Name, current =>
        {
            current["status"] = status;
            return current;
        }, UpdateScope.Status);

        if (nextAvailable is { } next)
        {
            // Nothing else will happen when a ready pod crosses minReadySeconds: look again then.
            Queue.AddAfter(key, next + TimeSpan.FromMilliseconds(10));
        }
    }

    private JsonObject? ReplicaFailureCondition(JsonObject rs, Exception? manageError)
    {
        var existing = (JsonValues.At(rs, "status", "conditions") as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => JsonValues.String(c["type"]) == "ReplicaFailure");
        if (manageError is null)
        {
            return null;
        }

        var message = manageError.Message;
        if (existing is not null && JsonValues.String(existing["message"]) == message)
        {
            return (JsonObject)existing.DeepClone();
        }

        return new JsonObject
        {
            ["type"] = "ReplicaFailure",
            ["status"] = "True",
            ["lastTransitionTime"] = ObjectStore.Timestamp(Time.GetUtcNow()),
            ["reason"] = "FailedCreate",
            ["message"] = message,
        };
    }

    private static void AddIfPositive(JsonObject status, string field, int value)
    {
        if (value > 0)
        {
            status[field] = value;
        }
    }

    /// <summary>A pod as the API server stores one created from a template: identity, owner, defaults, Pending status.</summary>
    internal static JsonObject PodFromTemplate(JsonObject rs, JsonObject template)
    {
        var templateMeta = template["metadata"] as JsonObject ?? [];
        var meta = new JsonObject
        {
            ["generateName"] = Meta.Name(rs) + "-",
            ["namespace"] = Meta.Namespace(rs),
        };
        if (templateMeta["labels"] is JsonObject labels)
        {
            meta["labels"] = labels.DeepClone();
        }

        if (templateMeta["annotations"] is JsonObject annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }

        meta["ownerReferences"] = new JsonArray(Meta.NewControllerRef(ResourceKinds.ReplicaSets, rs));
        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        ApplyPodDefaults(spec);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(spec) },
        };
    }

    // The API server's defaulting for fields the kubelet and kubectl describe read.
    private static void ApplyPodDefaults(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        foreach (var container in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["resources"] ??= new JsonObject();
            if (container["imagePullPolicy"] is null && JsonValues.String(container["image"]) is { } image)
            {
                var tagged = image.LastIndexOf(':') > image.LastIndexOf('/');
                container["imagePullPolicy"] = !tagged || image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent";
            }
        }
    }

    private static string QosClass(JsonObject spec)
    {
        var containers = (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var limits = JsonValues.At(c, "resources", "limits") as JsonObject ?? [];
            var requests = JsonValues.At(c, "resources", "requests") as JsonObject ?? [];
            any |= limits.Count > 0 || requests.Count > 0;
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var limit = JsonValues.String(limits[resource]);
                var request = JsonValues.String(requests[resource]) ?? limit;
                if (limit is null || request != limit)
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    /// <summary>
    /// Which pods go first when scaling down (controller.ActivePodsWithRanks, simplified): unscheduled before scheduled,
    /// Pending before Unknown before Running, not ready before ready, more recently ready first, more restarts first, newer first.
    /// </summary>
    private sealed class DeletionOrder : IComparer<JsonObject>
    {
        public static readonly DeletionOrder Instance = new();

        public int Compare(JsonObject? x, JsonObject? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var c = PodState.IsScheduled(x).CompareTo(PodState.IsScheduled(y));
            if (c != 0)
            {
                return c;
            }

            c = PhaseRank(x).CompareTo(PhaseRank(y));
            if (c != 0)
            {
                return c;
            }

            c = PodState.IsReady(x).CompareTo(PodState.IsReady(y));
            if (c != 0)
            {
                return c;
            }

            if (PodState.ReadySince(x) is { } rx && PodState.ReadySince(y) is { } ry && rx != ry)
            {
                return ry.CompareTo(rx);
            }

            c = PodState.RestartCount(y).CompareTo(PodState.RestartCount(x));
            return c != 0 ? c : Meta.CreationTimestamp(y).CompareTo(Meta.CreationTimestamp(x));
        }

        private static int PhaseRank(JsonObject pod) => PodState.Phase(pod) switch
        {
            "Pending" => 0,
            "Unknown" => 1,
            "Running" => 2,
            _ => 3,
        };
    }
}
