using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// Rolls Deployments out through ReplicaSets like pkg/controller/deployment: one ReplicaSet per pod template
/// (<c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>), RollingUpdate within maxSurge/maxUnavailable or Recreate,
/// proportional scaling, revision annotations, revisionHistoryLimit clean-up, pause, and the status kubectl's
/// <c>rollout status</c> reads (observedGeneration, replica counts, Available and Progressing conditions with the
/// progress deadline measured in simulated time). The sync functions keep the real controller's names and order so
/// they can be read side by side with it.
/// </summary>
internal sealed class DeploymentController : ControllerBase<ObjectKey>
{
    public const string Component = "deployment-controller";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    private const string Available = "Available";
    private const string Progressing = "Progressing";
    private const string ReplicaFailure = "ReplicaFailure";
    private const string NewRsAvailableReason = "NewReplicaSetAvailable";
    private const string TimedOutReason = "ProgressDeadlineExceeded";
    private const string PausedReason = "DeploymentPaused";
    private const string ResumedReason = "DeploymentResumed";
    private const int NoProgressDeadline = int.MaxValue;

    private static readonly HashSet<string> NotCopiedAnnotations =
    [
        "kubectl.kubernetes.io/last-applied-configuration",
        RevisionAnnotation,
        RevisionHistoryAnnotation,
        DesiredReplicasAnnotation,
        MaxReplicasAnnotation,
        "deprecated.deployment.rollback.to",
    ];

    private readonly EventRecorder _events;

    public DeploymentController(ObjectStore store, ScaledTimeProvider time, ILoggerFactory loggers, TimeSpan resyncPeriod)
        : base("deployment-controller", store, time, loggers.CreateLogger<DeploymentController>(), resyncPeriod)
    {
        _events = new EventRecorder(store, time, Component, logger: Logger);
    }

    protected override IReadOnlyList<ResourceKind> WatchedKinds => [ResourceKinds.Deployments, ResourceKinds.ReplicaSets, ResourceKinds.Pods];

    protected override void OnEvent(WatchEvent e)
    {
        if (e.Kind == ResourceKinds.Deployments)
        {
            Queue.Add(new ObjectKey(e.Namespace, e.Name));
        }
        else if (e.Kind == ResourceKinds.ReplicaSets)
        {
            if (Meta.ControllerName(e.Object, ResourceKinds.Deployments) is { } owner)
            {
                Queue.Add(new ObjectKey(e.Namespace, owner));
            }
            else if (Meta.ControllerRef(e.Object) is null && e.Type != WatchEventType.Deleted)
            {
                // An orphan: whoever would adopt it takes a look.
                foreach (var d in Store.List(ResourceKinds.Deployments, e.Namespace).Items)
                {
                    if (LabelSelector.Matches(JsonValues.At(d, "spec", "selector"), Meta.Labels(e.Object)))
                    {
                        Queue.Add(ObjectKey.Of(d));
                    }
                }
            }
        }
        else if (e.Type == WatchEventType.Deleted
            && Meta.ControllerName(e.Object, ResourceKinds.ReplicaSets) is { } rsName
            && Store.Get(ResourceKinds.ReplicaSets, e.Namespace, rsName) is { } rs
            && Meta.ControllerName(rs, ResourceKinds.Deployments) is { } deployment)
        {
            // Recreate waits for old pods to be gone, not just scaled away.
            Queue.Add(new ObjectKey(e.Namespace, deployment));
        }
    }

    protected override IEnumerable<ObjectKey> ResyncKeys() => Store.List(ResourceKinds.Deployments, null).Items.Select(ObjectKey.Of);

    protected override void Reconcile(ObjectKey key)
    {
        var stored = Store.Get(ResourceKinds.Deployments, key.Namespace, key.Name);
        if (stored is null)
        {
            // Its replica sets are the garbage collector's now.
            return;
        }

        // A private working copy whose status and revision annotation are written back as the sync goes.
        var d = stored.DeepClone().AsObject();
        if (LabelSelector.IsEmpty(JsonValues.At(d, "spec", "selector")))
        {
            _events.Warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if (StatusInt(Status(d), "observedGeneration") < Meta.Generation(d))
            {
                Status(d)["observedGeneration"] = Meta.Generation(d);
                UpdateDeploymentStatus(d);
            }

            return;
        }

        var rsList = ClaimReplicaSets(d);
        if (Meta.IsTerminating(d))
        {
            SyncStatusOnly(d, rsList);
            return;
        }

        CheckPausedConditions(d);
        if (Paused(d))
        {
            Sync(d, rsList);
            return;
        }

        if (IsScalingEvent(d, rsList))
        {
            Sync(d, rsList);
            return;
        }

        if (IsRecreate(d))
        {
            RolloutRecreate(d, rsList);
        }
        else
        {
            RolloutRolling(d, rsList);
        }
    }

    // ---- rolling.go ----
    private void RolloutRolling(JsonObject d, List<ReplicaSetRef> rsList)
    {
        var (newRs, oldRss) = GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: true);
        var all = All(newRs, oldRss);
        if (ReconcileNewReplicaSet(all, newRs!, d))
        {
            SyncRolloutStatus(all, newRs, d);
            return;
        }

        if (ReconcileOldReplicaSets(all, FilterActive(oldRss), newRs!, d))
        {
            SyncRolloutStatus(all, newRs, d);
            return;
        }

        if (DeploymentComplete(d, Status(d)))
        {
            CleanupDeployment(oldRss, d);
        }

        SyncRolloutStatus(all, newRs, d);
    }

    private bool ReconcileNewReplicaSet(List<ReplicaSetRef> all, ReplicaSetRef newRs, JsonObject d)
    {
        if (newRs.Replicas == Replicas(d))
        {
            return false;
        }

        if (newRs.Replicas > Replicas(d))
        {
            return ScaleReplicaSetAndRecordEvent(newRs, Replicas(d), d);
        }

        return ScaleReplicaSetAndRecordEvent(newRs, NewRsNewReplicas(d, all, newRs.Replicas), d);
    }

    private bool ReconcileOldReplicaSets(List<ReplicaSetRef> all, List<ReplicaSetRef> oldRss, ReplicaSetRef newRs, JsonObject d)
    {
        if (oldRss.Sum(rs => rs.Replicas) == 0)
        {
            return false;
        }

        var allPodsCount = all.Sum(rs => rs.Replicas);
        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var newRsUnavailablePodCount = newRs.Replicas - newRs.AvailableReplicas;
        var maxScaledDown = allPodsCount - minAvailable - newRsUnavailablePodCount;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        // Unhealthy old pods first: they cost no availability.
        var cleanupCount = CleanupUnhealthyReplicas(oldRss, d, maxScaledDown);
        var allNow = oldRss.Append(newRs).ToList();
        var scaledDownCount = ScaleDownOldReplicaSetsForRollingUpdate(allNow, oldRss, d);
        return cleanupCount + scaledDownCount > 0;
    }

    private int CleanupUnhealthyReplicas(List<ReplicaSetRef> oldRss, JsonObject d, int maxCleanupCount)
    {
        var totalScaledDown = 0;
        foreach (var rs in ByCreation(oldRss))
        {
            if (totalScaledDown >= maxCleanupCount)
            {
                break;
            }

            if (rs.Replicas == 0 || rs.Replicas <= rs.AvailableReplicas)
            {
                continue;
            }

            var scaledDownCount = Math.Min(maxCleanupCount - totalScaledDown, rs.Replicas - rs.AvailableReplicas);
            ScaleReplicaSetAndRecordEvent(rs, rs.Replicas - scaledDownCount, d);
            totalScaledDown += scaledDownCount;
        }

        return totalScaledDown;
    }

    private int ScaleDownOldReplicaSetsForRollingUpdate(List<ReplicaSetRef> all, List<ReplicaSetRef> oldRss, JsonObject d)
    {
        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var availablePodCount = all.Sum(rs => rs.AvailableReplicas);
        if (availablePodCount <= minAvailable)
        {
            return 0;
        }

        var totalScaledDown = 0;
        var totalScaleDownCount = availablePodCount - minAvailable;
        foreach (var rs in ByCreation(oldRss))
        {
            if (totalScaledDown >= totalScaleDownCount)
            {
                break;
            }

            if (rs.Replicas == 0)
            {
                continue;
            }

            var scaleDownCount = Math.Min(rs.Replicas, totalScaleDownCount - totalScaledDown);
            ScaleReplicaSetAndRecordEvent(rs, rs.Replicas - scaleDownCount, d);
            totalScaledDown += scaleDownCount;
        }

        return totalScaledDown;
    }

    // ---- recreate.go ----
    private void RolloutRecreate(JsonObject d, List<ReplicaSetRef> rsList)
    {
        var (newRs, oldRss) = GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        var all = All(newRs, oldRss);
        var scaledDown = false;
        foreach (var rs in FilterActive(oldRss))
        {
            scaledDown |= ScaleReplicaSetAndRecordEvent(rs, 0, d);
        }

        if (scaledDown || OldPodsRunning(newRs, oldRss))
        {
            SyncRolloutStatus(all, newRs, d);
            return;
        }

        if (newRs is null)
        {
            (newRs, oldRss) = GetAllReplicaSetsAndSyncRevision(d, ClaimReplicaSets(d), createIfNotExisted: true);
            all = All(newRs, oldRss);
        }

        if (ScaleReplicaSetAndRecordEvent(newRs!, Replicas(d), d))
        {
            SyncRolloutStatus(all, newRs, d);
            return;
        }

        if (DeploymentComplete(d, Status(d)))
        {
            CleanupDeployment(oldRss, d);
        }

        SyncRolloutStatus(all, newRs, d);
    }

    private bool OldPodsRunning(ReplicaSetRef? newRs, List<ReplicaSetRef> oldRss)
    {
        if (oldRss.Sum(rs => rs.StatusReplicas) > 0)
        {
            return true;
        }

        var oldUids = oldRss.Select(rs => rs.Uid).ToHashSet();
        var ns = oldRss.Count > 0 ? Meta.Namespace(oldRss[0].Object) : newRs is null ? "" : Meta.Namespace(newRs.Object);
        return oldUids.Count > 0 && Store.List(ResourceKinds.Pods, ns,
            p => Meta.ControllerUid(p) is { } uid && oldUids.Contains(uid) && PodState.Phase(p) is not ("Failed" or "Succeeded")).Items.Count > 0;
    }

    // ---- sync.go ----
    private void Sync(JsonObject d, List<ReplicaSetRef> rsList)
    {
        var (newRs, oldRss) = GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        Scale(d, newRs, oldRss);
        if (Paused(d))
        {
            CleanupDeployment(oldRss, d);
        }

        SyncDeploymentStatus(All(newRs, oldRss), newRs, d);
    }

    private void SyncStatusOnly(JsonObject d, List<ReplicaSetRef> rsList)
    {
        var (newRs, oldRss) = GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        SyncDeploymentStatus(All(newRs, oldRss), newRs, d);
    }

    private void CheckPausedConditions(JsonObject d)
    {
        if (!HasProgressDeadline(d))
        {
            return;
        }

        var cond = GetCondition(Status(d), Progressing);
        if (cond is not null && Reason(cond) == TimedOutReason)
        {
            // Paused conditions would hide that the rollout already failed.
            return;
        }

        var pausedCondExists = cond is not null && Reason(cond) == PausedReason;
        if (Paused(d) && !pausedCondExists)
        {
            SetCondition(Status(d), NewCondition(Progressing, "Unknown", PausedReason, "Deployment is paused"));
        }
        else if (!Paused(d) && pausedCondExists)
        {
            SetCondition(Status(d), NewCondition(Progressing, "Unknown", ResumedReason, "Deployment is resumed"));
        }
        else
        {
            return;
        }

        UpdateDeploymentStatus(d);
    }

    private bool IsScalingEvent(JsonObject d, List<ReplicaSetRef> rsList)
    {
        var (newRs, oldRss) = GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        foreach (var rs in FilterActive(All(newRs, oldRss)))
        {
            if (IntAnnotation(rs.Object, DesiredReplicasAnnotation) is { } desired && desired != Replicas(d))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the new replica set (created when asked and missing) and the old ones; syncs revision annotations.</summary>
    private (ReplicaSetRef? NewRs, List<ReplicaSetRef> OldRss) GetAllReplicaSetsAndSyncRevision(JsonObject d, List<ReplicaSetRef> rsList, bool createIfNotExisted)
    {
        var template = JsonValues.At(d, "spec", "template");
        var existing = ByCreation(rsList).FirstOrDefault(rs => PodTemplateHash.EqualIgnoringHash(rs.Template, template));
        var oldRss = rsList.Where(rs => rs != existing).ToList();
        return (GetNewReplicaSet(d, existing, oldRss, createIfNotExisted), oldRss);
    }

    private ReplicaSetRef? GetNewReplicaSet(JsonObject d, ReplicaSetRef? existing, List<ReplicaSetRef> oldRss, bool createIfNotExisted)
    {
        var newRevision = ((oldRss.Count == 0 ? 0 : oldRss.Max(rs => rs.Revision)) + 1).ToString(CultureInfo.InvariantCulture);
        if (existing is not null)
        {
            var annotations = (JsonValues.At(existing.Object, "metadata", "annotations") as JsonObject)?.DeepClone().AsObject() ?? [];
            var annotationsUpdated = SetNewReplicaSetAnnotations(d, annotations, newRevision, exists: true);
            var minReady = MinReadySeconds(d);
            var minReadyNeedsUpdate = (JsonValues.Long(JsonValues.At(existing.Object, "spec", "minReadySeconds")) ?? 0) != minReady;
            if (annotationsUpdated || minReadyNeedsUpdate)
            {
                UpdateReplicaSet(existing, rs =>
                {
                    ObjectStore.Metadata(rs)["annotations"] = annotations.DeepClone();
                    SetMinReadySeconds(Meta.MutableChild(rs, "spec"), minReady);
                });
            }

            var needsUpdate = SetDeploymentRevision(d, Meta.Annotation(existing.Object, RevisionAnnotation));
            if (HasProgressDeadline(d) && GetCondition(Status(d), Progressing) is null)
            {
                SetCondition(Status(d), NewCondition(Progressing, "True", "FoundNewReplicaSet", $"Found new replica set \"{existing.Name}\""));
                needsUpdate = true;
            }

            if (needsUpdate)
            {
                UpdateDeploymentStatus(d);
            }

            return existing;
        }

        if (!createIfNotExisted)
        {
            return null;
        }

        var collisionCount = JsonValues.Long(Status(d)["collisionCount"]);
        var podTemplate = JsonValues.At(d, "spec", "template");
        var hash = PodTemplateHash.Compute(podTemplate, collisionCount);
        var newTemplate = podTemplate?.DeepClone() as JsonObject ?? [];
        Meta.MutableChild(Meta.MutableChild(newTemplate, "metadata"), "labels")[PodTemplateHash.Label] = hash;
        var selector = JsonValues.At(d, "spec", "selector")?.DeepClone() as JsonObject ?? [];
        Meta.MutableChild(selector, "matchLabels")[PodTemplateHash.Label] = hash;
        var name = $"{Meta.Name(d)}-{hash}";
        var replicas = NewRsNewReplicas(d, oldRss, 0);
        var rsAnnotations = new JsonObject();
        SetNewReplicaSetAnnotations(d, rsAnnotations, newRevision, exists: false);
        var newRsObject = new JsonObject
        {
            ["apiVersion"] = ResourceKinds.ReplicaSets.ApiVersion,
            ["kind"] = ResourceKinds.ReplicaSets.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Meta.Namespace(d),
                ["labels"] = newTemplate["metadata"]!["labels"]!.DeepClone(),
                ["annotations"] = rsAnnotations,
                ["ownerReferences"] = new JsonArray(Meta.NewControllerRef(ResourceKinds.Deployments, d)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = selector,
                ["template"] = newTemplate,
            },
        };
        SetMinReadySeconds(newRsObject["spec"]!.AsObject(), MinReadySeconds(d));

        ReplicaSetRef created;
        var alreadyExists = false;
        try
        {
            created = new ReplicaSetRef(Store.Create(ResourceKinds.ReplicaSets, newRsObject));
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            alreadyExists = true;
            var clash = Store.Get(ResourceKinds.ReplicaSets, Meta.Namespace(d), name);
            if (clash is not null && Meta.ControllerUid(clash) == Meta.Uid(d) && PodTemplateHash.EqualIgnoringHash(JsonValues.At(clash, "spec", "template"), podTemplate))
            {
                created = new ReplicaSetRef(clash);
            }
            else
            {
                // A different template under the same hash: hash again with a higher collision count.
                Status(d)["collisionCount"] = (collisionCount ?? 0) + 1;
                UpdateDeploymentStatus(d);
                throw new ApiException(409, "AlreadyExists", $"replica set {name} exists with another template: hash collision, collisionCount is now {(collisionCount ?? 0) + 1}");
            }
        }
        catch (ApiException ex)
        {
            var message = $"Failed to create new replica set \"{name}\": {ex.Message}";
            if (HasProgressDeadline(d))
            {
                SetCondition(Status(d), NewCondition(Progressing, "False", "ReplicaSetCreateError", message));
                UpdateDeploymentStatus(d);
            }

            _events.Warning(d, "ReplicaSetCreateError", message);
            throw;
        }

        if (!alreadyExists && replicas > 0)
        {
            _events.Normal(d, "ScalingReplicaSet", $"Scaled up replica set {name} from 0 to {replicas}");
        }

        var statusNeedsUpdate = SetDeploymentRevision(d, newRevision);
        if (!alreadyExists && HasProgressDeadline(d))
        {
            SetCondition(Status(d), NewCondition(Progressing, "True", "NewReplicaSetCreated", $"Created new replica set \"{name}\""));
            statusNeedsUpdate = true;
        }

        if (statusNeedsUpdate)
        {
            UpdateDeploymentStatus(d);
        }

        return created;
    }

    /// <summary>Proportional scaling of every active replica set when spec.replicas changes mid-rollout.</summary>
    private void Scale(JsonObject d, ReplicaSetRef? newRs, List<ReplicaSetRef> oldRss)
    {
        var activeOrLatest = FindActiveOrLatest(newRs, oldRss);
        if (activeOrLatest is not null)
        {
            ScaleReplicaSetAndRecordEvent(activeOrLatest, Replicas(d), d);
            return;
        }

        if (IsSaturated(d, newRs))
        {
            foreach (var old in FilterActive(oldRss))
            {
                ScaleReplicaSetAndRecordEvent(old, 0, d);
            }

            return;
        }

        if (IsRecreate(d))
        {
            return;
        }

        var all = FilterActive(All(newRs, oldRss));
        var allRssReplicas = all.Sum(rs => rs.Replicas);
        var allowedSize = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        var toAdd = allowedSize - allRssReplicas;
        string operation;
        if (toAdd > 0)
        {
            all = [.. all.OrderByDescending(rs => rs.Replicas).ThenByDescending(rs => rs.Created).ThenBy(rs => rs.Name, StringComparer.Ordinal)];
            operation = "up";
        }
        else if (toAdd < 0)
        {
            all = [.. all.OrderByDescending(rs => rs.Replicas).ThenBy(rs => rs.Created).ThenBy(rs => rs.Name, StringComparer.Ordinal)];
            operation = "down";
        }
        else
        {
            return;
        }

        var added = 0;
        var sizes = new Dictionary<string, int>();
        foreach (var rs in all)
        {
            var proportion = GetProportion(rs, d, toAdd, added);
            sizes[rs.Uid] = rs.Replicas + proportion;
            added += proportion;
        }

        if (all.Count > 0)
        {
            // The leftover goes to the largest replica set, never below zero.
            sizes[all[0].Uid] = Math.Max(0, sizes[all[0].Uid] + toAdd - added);
        }

        foreach (var rs in all)
        {
            ScaleReplicaSet(rs, sizes[rs.Uid], d, operation);
        }
    }

    private static int GetProportion(ReplicaSetRef rs, JsonObject d, int toAdd, int added)
    {
        if (rs.Replicas == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        var fraction = GetReplicaSetFraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int GetReplicaSetFraction(ReplicaSetRef rs, JsonObject d)
    {
        if (Replicas(d) == 0)
        {
            return -rs.Replicas;
        }

        var deploymentReplicas = Replicas(d) + MaxSurge(d);
        var annotated = IntAnnotation(rs.Object, MaxReplicasAnnotation) ?? StatusInt(Status(d), "replicas");
        if (annotated <= 0)
        {
            return 0;
        }

        var newSize = (double)rs.Replicas * deploymentReplicas / annotated;
        return (int)Math.Round(newSize, MidpointRounding.AwayFromZero) - rs.Replicas;
    }

    private static ReplicaSetRef? FindActiveOrLatest(ReplicaSetRef? newRs, List<ReplicaSetRef> oldRss)
    {
        if (newRs is null && oldRss.Count == 0)
        {
            return null;
        }

        var newestFirst = oldRss.OrderByDescending(rs => rs.Created).ThenByDescending(rs => rs.Name, StringComparer.Ordinal).ToList();
        var active = FilterActive(newestFirst.Prepend(newRs));
        return active.Count switch
        {
            0 => newRs ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    private static bool IsSaturated(JsonObject d, ReplicaSetRef? newRs) =>
        newRs is not null
        && newRs.Replicas == Replicas(d)
        && IntAnnotation(newRs.Object, DesiredReplicasAnnotation) == Replicas(d)
        && newRs.AvailableReplicas == Replicas(d);

    private bool ScaleReplicaSetAndRecordEvent(ReplicaSetRef rs, int newScale, JsonObject d)
    {
        if (rs.Replicas == newScale)
        {
            return false;
        }

        return ScaleReplicaSet(rs, newScale, d, rs.Replicas < newScale ? "up" : "down");
    }

    private bool ScaleReplicaSet(ReplicaSetRef rs, int newScale, JsonObject d, string operation)
    {
        var sizeNeedsUpdate = rs.Replicas != newScale;
        var desired = Replicas(d);
        var max = desired + MaxSurge(d);
        var annotationsNeedUpdate = IntAnnotation(rs.Object, DesiredReplicasAnnotation) != desired || IntAnnotation(rs.Object, MaxReplicasAnnotation) != max;
        if (!sizeNeedsUpdate && !annotationsNeedUpdate)
        {
            return false;
        }

        var oldScale = rs.Replicas;
        UpdateReplicaSet(rs, copy =>
        {
            Meta.MutableChild(copy, "spec")["replicas"] = newScale;
            SetReplicasAnnotations(Meta.MutableAnnotations(copy), desired, max);
        });
        if (sizeNeedsUpdate)
        {
            _events.Normal(d, "ScalingReplicaSet", $"Scaled {operation} replica set {rs.Name} from {oldScale} to {newScale}");
        }

        return sizeNeedsUpdate;
    }

    private void CleanupDeployment(List<ReplicaSetRef> oldRss, JsonObject d)
    {
        var limit = JsonValues.Long(JsonValues.At(d, "spec", "revisionHistoryLimit")) ?? 10;
        var cleanable = oldRss.Where(rs => !Meta.IsTerminating(rs.Object)).ToList();
        var diff = cleanable.Count - limit;
        if (diff <= 0)
        {
            return;
        }

        foreach (var rs in cleanable.OrderBy(rs => rs.Revision).ThenBy(rs => rs.Created).Take((int)diff))
        {
            // Never delete one still running pods or not yet caught up with its spec.
            if (rs.StatusReplicas != 0 || rs.Replicas != 0 || rs.Generation > rs.ObservedGeneration)
            {
                continue;
            }

            try
            {
                Store.Delete(ResourceKinds.ReplicaSets, Meta.Namespace(rs.Object), rs.Name, expectedUid: rs.Uid);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
                // Already gone.
            }
        }
    }

    // ---- progress.go / status ----
    private void SyncRolloutStatus(List<ReplicaSetRef> all, ReplicaSetRef? newRs, JsonObject d)
    {
        var newStatus = CalculateStatus(all, newRs, d);
        if (!HasProgressDeadline(d))
        {
            RemoveCondition(newStatus, Progressing);
        }

        var currentCond = GetCondition(newStatus, Progressing);
        var isCompleteDeployment = StatusInt(newStatus, "replicas") == StatusInt(newStatus, "updatedReplicas")
            && currentCond is not null && Reason(currentCond) == NewRsAvailableReason;
        if (HasProgressDeadline(d) && !isCompleteDeployment)
        {
            if (DeploymentComplete(d, newStatus))
            {
                var message = newRs is null ? "Deployment has successfully progressed." : $"ReplicaSet \"{newRs.Name}\" has successfully progressed.";
                SetCondition(newStatus, NewCondition(Progressing, "True", NewRsAvailableReason, message));
            }
            else if (DeploymentProgressing(Status(d), newStatus))
            {
                var message = newRs is null ? "Deployment is progressing." : $"ReplicaSet \"{newRs.Name}\" is progressing.";
                var condition = NewCondition(Progressing, "True", "ReplicaSetUpdated", message);

                // Progress moves lastUpdateTime (the deadline counts from it) but is no transition.
                if (currentCond is not null && JsonValues.String(currentCond["status"]) == "True")
                {
                    condition["lastTransitionTime"] = currentCond["lastTransitionTime"]?.DeepClone();
                }

                RemoveCondition(newStatus, Progressing);
                SetCondition(newStatus, condition);
            }
            else if (DeploymentTimedOut(d, newStatus))
            {
                var message = newRs is null ? $"Deployment \"{Meta.Name(d)}\" has timed out progressing." : $"ReplicaSet \"{newRs.Name}\" has timed out progressing.";
                SetCondition(newStatus, NewCondition(Progressing, "False", TimedOutReason, message));
            }
        }

        if (all.Select(rs => GetCondition(rs.Object["status"] as JsonObject ?? [], ReplicaFailure)).FirstOrDefault(c => c is not null) is { } failure)
        {
            SetCondition(newStatus, NewCondition(ReplicaFailure, JsonValues.String(failure["status"]) ?? "True",
                JsonValues.String(failure["reason"]) ?? "FailedCreate", JsonValues.String(failure["message"]) ?? ""));
        }
        else
        {
            RemoveCondition(newStatus, ReplicaFailure);
        }

        if (JsonNode.DeepEquals(Status(d), newStatus))
        {
            RequeueStuckDeployment(d, newStatus);
            return;
        }

        d["status"] = newStatus;
        UpdateDeploymentStatus(d);
    }

    private void SyncDeploymentStatus(List<ReplicaSetRef> all, ReplicaSetRef? newRs, JsonObject d)
    {
        var newStatus = CalculateStatus(all, newRs, d);
        if (JsonNode.DeepEquals(Status(d), newStatus))
        {
            return;
        }

        d["status"] = newStatus;
        UpdateDeploymentStatus(d);
    }

    private JsonObject CalculateStatus(List<ReplicaSetRef> all, ReplicaSetRef? newRs, JsonObject d)
    {
        var old = Status(d);
        var availableReplicas = all.Sum(rs => rs.AvailableReplicas);
        var totalReplicas = all.Sum(rs => rs.Replicas);
        var status = new JsonObject();
        PutPositive(status, "observedGeneration", Meta.Generation(d));
        PutPositive(status, "replicas", all.Sum(rs => rs.StatusReplicas));
        PutPositive(status, "updatedReplicas", newRs?.StatusReplicas ?? 0);
        PutPositive(status, "readyReplicas", all.Sum(rs => rs.ReadyReplicas));
        PutPositive(status, "availableReplicas", availableReplicas);
        PutPositive(status, "unavailableReplicas", Math.Max(0, totalReplicas - availableReplicas));
        status["conditions"] = old["conditions"]?.DeepClone() ?? new JsonArray();
        if (old["collisionCount"] is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }

        var condition = availableReplicas >= Replicas(d) - MaxUnavailable(d)
            ? NewCondition(Available, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : NewCondition(Available, "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
        SetCondition(status, condition);
        return status;
    }

    private static bool DeploymentComplete(JsonObject d, JsonObject status) =>
        StatusInt(status, "updatedReplicas") == Replicas(d)
        && StatusInt(status, "replicas") == Replicas(d)
        && StatusInt(status, "availableReplicas") == Replicas(d)
        && StatusInt(status, "observedGeneration") >= Meta.Generation(d);

    private static bool DeploymentProgressing(JsonObject oldStatus, JsonObject newStatus)
    {
        var oldOldReplicas = StatusInt(oldStatus, "replicas") - StatusInt(oldStatus, "updatedReplicas");
        var newOldReplicas = StatusInt(newStatus, "replicas") - StatusInt(newStatus, "updatedReplicas");
        return StatusInt(newStatus, "updatedReplicas") > StatusInt(oldStatus, "updatedReplicas")
            || newOldReplicas < oldOldReplicas
            || StatusInt(newStatus, "readyReplicas") > StatusInt(oldStatus, "readyReplicas")
            || StatusInt(newStatus, "availableReplicas") > StatusInt(oldStatus, "availableReplicas");
    }

    private bool DeploymentTimedOut(JsonObject d, JsonObject status)
    {
        var condition = GetCondition(status, Progressing);
        if (!HasProgressDeadline(d) || condition is null || Reason(condition) == NewRsAvailableReason)
        {
            return false;
        }

        return Reason(condition) == TimedOutReason || DeadlineLeft(d, condition) is { } left && left < TimeSpan.Zero;
    }

    private void RequeueStuckDeployment(JsonObject d, JsonObject status)
    {
        var condition = GetCondition(status, Progressing);
        if (!HasProgressDeadline(d) || condition is null || DeploymentComplete(d, status) || Reason(condition) == TimedOutReason)
        {
            return;
        }

        if (DeadlineLeft(d, condition) is { } left)
        {
            Queue.AddAfter(ObjectKey.Of(d), (left > TimeSpan.Zero ? left : TimeSpan.Zero) + TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Simulated time until progressDeadlineSeconds have passed since the condition's lastUpdateTime.</summary>
    private TimeSpan? DeadlineLeft(JsonObject d, JsonObject condition) =>
        Meta.ParseTime(JsonValues.String(condition["lastUpdateTime"])) is { } from
            ? TimeSpan.FromSeconds(ProgressDeadline(d)) - Time.Since(from)
            : null;

    private void UpdateDeploymentStatus(JsonObject d)
    {
        var status = Status(d).DeepClone();
        var revision = Meta.Annotation(d, RevisionAnnotation);
        Store.Update(ResourceKinds.Deployments, Meta.Namespace(d), Meta.Name(d), current =>
        {
            if (Meta.Uid(current) != Meta.Uid(d))
            {
                throw ApiException.Conflict(ResourceKinds.Deployments, Meta.Name(d));
            }

            current["status"] = status.DeepClone();
            if (revision is not null)
            {
                Meta.MutableAnnotations(current)[RevisionAnnotation] = revision;
            }

            return current;
        });
    }

    // ---- ownership ----

    /// <summary>Replica sets this deployment controls: its own whose labels still match, plus matching orphans it adopts.</summary>
    private List<ReplicaSetRef> ClaimReplicaSets(JsonObject d)
    {
        var uid = Meta.Uid(d);
        var selector = JsonValues.At(d, "spec", "selector");
        var owned = new List<ReplicaSetRef>();
        foreach (var rs in Store.List(ResourceKinds.ReplicaSets, Meta.Namespace(d)).Items)
        {
            var controllerUid = Meta.ControllerUid(rs);
            var matches = LabelSelector.Matches(selector, Meta.Labels(rs));
            if (controllerUid == uid)
            {
                if (matches)
                {
                    owned.Add(new ReplicaSetRef(rs));
                }
                else
                {
                    ChangeOwnership(rs, refs => refs.Where(r => JsonValues.String(r["uid"]) != uid).ToList());
                }
            }
            else if (controllerUid is null && matches && !Meta.IsTerminating(d)
                && ChangeOwnership(rs, refs => [.. refs, Meta.NewControllerRef(ResourceKinds.Deployments, d)]) is { } adopted)
            {
                owned.Add(new ReplicaSetRef(adopted));
            }
        }

        return owned;
    }

    private JsonObject? ChangeOwnership(JsonObject rs, Func<List<JsonObject>, List<JsonObject>> change)
    {
        try
        {
            return Store.Update(ResourceKinds.ReplicaSets, Meta.Namespace(rs), Meta.Name(rs), copy =>
            {
                if (Meta.Uid(copy) != Meta.Uid(rs) || Meta.ControllerUid(copy) != Meta.ControllerUid(rs))
                {
                    throw ApiException.Conflict(ResourceKinds.ReplicaSets, Meta.Name(rs));
                }

                var refs = change(Meta.OwnerReferences(copy).Select(r => r.DeepClone().AsObject()).ToList());
                var meta = ObjectStore.Metadata(copy);
                if (refs.Count == 0)
                {
                    meta.Remove("ownerReferences");
                }
                else
                {
                    meta["ownerReferences"] = new JsonArray([.. refs]);
                }

                return copy;
            });
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            return null;
        }
    }

    private void UpdateReplicaSet(ReplicaSetRef rs, Action<JsonObject> change)
    {
        rs.Object = Store.Update(ResourceKinds.ReplicaSets, Meta.Namespace(rs.Object), rs.Name, copy =>
        {
            if (Meta.Uid(copy) != rs.Uid)
            {
                throw ApiException.Conflict(ResourceKinds.ReplicaSets, rs.Name);
            }

            change(copy);
            return copy;
        });
    }

    // ---- annotations ----
    private static bool SetNewReplicaSetAnnotations(JsonObject d, JsonObject annotations, string newRevision, bool exists)
    {
        var changed = false;
        foreach (var (key, value) in JsonValues.At(d, "metadata", "annotations") as JsonObject ?? [])
        {
            if (NotCopiedAnnotations.Contains(key) || JsonValues.String(annotations[key]) == JsonValues.String(value))
            {
                continue;
            }

            annotations[key] = value?.DeepClone();
            changed = true;
        }

        var oldRevision = JsonValues.String(annotations[RevisionAnnotation]);
        var oldRevisionInt = long.TryParse(oldRevision, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var newRevisionInt = long.Parse(newRevision, CultureInfo.InvariantCulture);
        if (oldRevisionInt < newRevisionInt)
        {
            annotations[RevisionAnnotation] = newRevision;
            changed = true;

            // A reused replica set (a rollback) keeps the revisions it had before.
            if (oldRevision is not null)
            {
                var history = JsonValues.String(annotations[RevisionHistoryAnnotation]);
                annotations[RevisionHistoryAnnotation] = string.IsNullOrEmpty(history) ? oldRevision : $"{history},{oldRevision}";
            }
        }

        if (!exists && SetReplicasAnnotations(annotations, Replicas(d), Replicas(d) + MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    private static bool SetReplicasAnnotations(JsonObject annotations, int desired, int max)
    {
        var desiredText = desired.ToString(CultureInfo.InvariantCulture);
        var maxText = max.ToString(CultureInfo.InvariantCulture);
        var changed = false;
        if (JsonValues.String(annotations[DesiredReplicasAnnotation]) != desiredText)
        {
            annotations[DesiredReplicasAnnotation] = desiredText;
            changed = true;
        }

        if (JsonValues.String(annotations[MaxReplicasAnnotation]) != maxText)
        {
            annotations[MaxReplicasAnnotation] = maxText;
            changed = true;
        }

        return changed;
    }

    private static bool SetDeploymentRevision(JsonObject d, string? revision)
    {
        if (revision is null || Meta.Annotation(d, RevisionAnnotation) == revision)
        {
            return false;
        }

        Meta.MutableAnnotations(d)[RevisionAnnotation] = revision;
        return true;
    }

    // ---- conditions ----
    private JsonObject NewCondition(string type, string status, string reason, string message)
    {
        var now = ObjectStore.Timestamp(Time.GetUtcNow());
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = now,
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static JsonObject? GetCondition(JsonObject status, string type) =>
        (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => JsonValues.String(c["type"]) == type);

    /// <summary>SetDeploymentCondition: same status and reason is no change; same status keeps the transition time.</summary>
    private static void SetCondition(JsonObject status, JsonObject condition)
    {
        var current = GetCondition(status, JsonValues.String(condition["type"])!);
        if (current is not null && current["status"]?.ToString() == condition["status"]?.ToString() && Reason(current) == Reason(condition))
        {
            return;
        }

        if (current is not null && current["status"]?.ToString() == condition["status"]?.ToString())
        {
            condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
        }

        RemoveCondition(status, JsonValues.String(condition["type"])!);
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        conditions.Add(condition);
    }

    private static void RemoveCondition(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray conditions)
        {
            foreach (var c in conditions.OfType<JsonObject>().Where(c => JsonValues.String(c["type"]) == type).ToList())
            {
                conditions.Remove(c);
            }
        }
    }

    private static string? Reason(JsonObject condition) => JsonValues.String(condition["reason"]);

    // ---- spec accessors, with the API server's defaults ----
    private static JsonObject Status(JsonObject d) => Meta.MutableChild(d, "status");

    private static int Replicas(JsonObject d) => (int)(JsonValues.Long(JsonValues.At(d, "spec", "replicas")) ?? 1);

    private static long MinReadySeconds(JsonObject d) => JsonValues.Long(JsonValues.At(d, "spec", "minReadySeconds")) ?? 0;

    private static bool Paused(JsonObject d) => JsonValues.Bool(JsonValues.At(d, "spec", "paused")) == true;

    private static bool IsRecreate(JsonObject d) => JsonValues.String(JsonValues.At(d, "spec", "strategy", "type")) == "Recreate";

    private static long ProgressDeadline(JsonObject d) => JsonValues.Long(JsonValues.At(d, "spec", "progressDeadlineSeconds")) ?? 600;

    private static bool HasProgressDeadline(JsonObject d) => ProgressDeadline(d) != NoProgressDeadline;

    private static (int MaxSurge, int MaxUnavailable) Fenceposts(JsonObject d) =>
        RollingParameters.Resolve(JsonValues.At(d, "spec", "strategy", "rollingUpdate", "maxSurge"),
            JsonValues.At(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"), Replicas(d));

    private static int MaxSurge(JsonObject d) => IsRecreate(d) ? 0 : Fenceposts(d).MaxSurge;

    private static int MaxUnavailable(JsonObject d) =>
        IsRecreate(d) || Replicas(d) == 0 ? 0 : Math.Min(Fenceposts(d).MaxUnavailable, Replicas(d));

    private static int NewRsNewReplicas(JsonObject d, IEnumerable<ReplicaSetRef> all, int newRsReplicas)
    {
        if (IsRecreate(d))
        {
            return Replicas(d);
        }

        var currentPodCount = all.Sum(rs => rs.Replicas);
        var maxTotalPods = Replicas(d) + MaxSurge(d);
        if (currentPodCount >= maxTotalPods)
        {
            return newRsReplicas;
        }

        return newRsReplicas + Math.Min(maxTotalPods - currentPodCount, Replicas(d) - newRsReplicas);
    }

    // Zero is omitted, as the API server serialises it (omitempty).
    private static void SetMinReadySeconds(JsonObject spec, long minReady)
    {
        if (minReady > 0)
        {
            spec["minReadySeconds"] = minReady;
        }
        else
        {
            spec.Remove("minReadySeconds");
        }
    }

    private static int StatusInt(JsonObject status, string field) => (int)(JsonValues.Long(status[field]) ?? 0);

    private static int? IntAnnotation(JsonObject obj, string key) =>
        int.TryParse(Meta.Annotation(obj, key), CultureInfo.InvariantCulture, out var v) ? v : null;

    private static void PutPositive(JsonObject status, string field, long value)
    {
        if (value > 0)
        {
            status[field] = value;
        }
    }

    private static List<ReplicaSetRef> All(ReplicaSetRef? newRs, List<ReplicaSetRef> oldRss) =>
        newRs is null ? [.. oldRss] : [.. oldRss, newRs];

    private static List<ReplicaSetRef> FilterActive(IEnumerable<ReplicaSetRef?> rss) => [.. rss.OfType<ReplicaSetRef>().Where(rs => rs.Replicas > 0)];

    private static IEnumerable<ReplicaSetRef> ByCreation(IEnumerable<ReplicaSetRef> rss) =>
        rss.OrderBy(rs => rs.Created).ThenBy(rs => rs.Name, StringComparer.Ordinal);

    /// <summary>A replica set as the sync sees it; <see cref="Object"/> follows the controller's own writes.</summary>
    private sealed class ReplicaSetRef(JsonObject obj)
    {
        public JsonObject Object { get; set; } = obj;

        public string Name => Meta.Name(Object);

        public string Uid => Meta.Uid(Object);

        public DateTimeOffset Created => Meta.CreationTimestamp(Object);

        public JsonNode? Template => JsonValues.At(Object, "spec", "template");

        public int Replicas => (int)(JsonValues.Long(JsonValues.At(Object, "spec", "replicas")) ?? 1);

        public int StatusReplicas => StatusField("replicas");

        public int ReadyReplicas => StatusField("readyReplicas");

        public int AvailableReplicas => StatusField("availableReplicas");

        public long Generation => Meta.Generation(Object);

        public long ObservedGeneration => JsonValues.Long(JsonValues.At(Object, "status", "observedGeneration")) ?? 0;

        public long Revision => long.TryParse(Meta.Annotation(Object, RevisionAnnotation), CultureInfo.InvariantCulture, out var r) ? r : 0;

        private int StatusField(string field) => (int)(JsonValues.Long(JsonValues.At(Object, "status", field)) ?? 0);
    }
}
