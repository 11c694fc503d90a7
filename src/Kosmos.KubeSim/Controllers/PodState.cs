using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// What controllers read from a pod written by the kubelet: status.phase, the Ready condition (status and
/// lastTransitionTime), spec.nodeName, containerStatuses[].restartCount and metadata.deletionTimestamp.
/// </summary>
internal static class PodState
{
    public static string Phase(JsonObject pod) => JsonValues.String(JsonValues.At(pod, "status", "phase")) ?? "Pending";

    /// <summary>Counts toward a controller's replicas: not terminating and not finished.</summary>
    public static bool IsActive(JsonObject pod) => !Meta.IsTerminating(pod) && Phase(pod) is not ("Succeeded" or "Failed");

    public static bool IsScheduled(JsonObject pod) => !string.IsNullOrEmpty(JsonValues.String(JsonValues.At(pod, "spec", "nodeName")));

    public static bool IsReady(JsonObject pod) => ReadyCondition(pod) is { } c && JsonValues.String(c["status"]) == "True";

    /// <summary>When the pod last became ready, or null when it is not ready or the kubelet wrote no transition time.</summary>
    public static DateTimeOffset? ReadySince(JsonObject pod) =>
        IsReady(pod) ? Meta.ParseTime(JsonValues.String(ReadyCondition(pod)!["lastTransitionTime"])) : null;

    /// <summary>
    /// Ready for at least minReadySeconds (simulated seconds), like podutil.IsPodAvailable. Returns, when the pod is
    /// ready but not yet available, the simulated time left until it will be.
    /// </summary>
    public static bool IsAvailable(JsonObject pod, long minReadySeconds, ScaledTimeProvider time, out TimeSpan? availableIn)
    {
        availableIn = null;
        if (!IsReady(pod))
        {
            return false;
        }

        if (minReadySeconds <= 0)
        {
            return true;
        }

        if (ReadySince(pod) is not { } since)
        {
            return false;
        }

        var left = TimeSpan.FromSeconds(minReadySeconds) - time.Since(since);
        if (left <= TimeSpan.Zero)
        {
            return true;
        }

        availableIn = left;
        return false;
    }

    public static long RestartCount(JsonObject pod) =>
        (JsonValues.At(pod, "status", "containerStatuses") as JsonArray ?? []).OfType<JsonObject>()
            .Sum(c => JsonValues.Long(c["restartCount"]) ?? 0);

    private static JsonObject? ReadyCondition(JsonObject pod) =>
        (JsonValues.At(pod, "status", "conditions") as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => JsonValues.String(c["type"]) == "Ready");
}

/// <summary>Deletes pods the way the API server does for a controller's DELETE: gracefully when they run on a node.</summary>
internal static class PodDeletion
{
    /// <summary>
    /// Marks a pod with metadata.deletionTimestamp (now + its grace period) and deletionGracePeriodSeconds so the kubelet
    /// stops it and removes it; a pod never scheduled, already finished or with grace 0 is removed at once, as the real
    /// API server does. Returns false when the pod was already gone or already terminating.
    /// </summary>
    public static bool Delete(ObjectStore store, TimeProvider time, string ns, string name, string? expectedUid)
    {
        var immediate = false;
        var marked = false;
        try
        {
            store.Update(ResourceKinds.Pods, ns, name, pod =>
            {
                if (expectedUid is not null && Meta.Uid(pod) != expectedUid)
                {
                    throw new ApiException(409, "Conflict", $"Precondition failed: UID in precondition: {expectedUid}, UID in object meta: {Meta.Uid(pod)}");
                }

                if (Meta.IsTerminating(pod))
                {
                    return pod;
                }

                var grace = JsonValues.Long(JsonValues.At(pod, "spec", "terminationGracePeriodSeconds")) ?? 30;
                if (grace <= 0 || !PodState.IsScheduled(pod) || PodState.Phase(pod) is "Succeeded" or "Failed")
                {
                    immediate = true;
                    return pod;
                }

                var meta = ObjectStore.Metadata(pod);
                meta["deletionTimestamp"] = ObjectStore.Timestamp(time.GetUtcNow().AddSeconds(grace));
                meta["deletionGracePeriodSeconds"] = grace;
                marked = true;
                return pod;
            }, UpdateScope.All);

            if (immediate)
            {
                store.Delete(ResourceKinds.Pods, ns, name, expectedUid: expectedUid);
                return true;
            }

            return marked;
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // Gone already, or a new pod of the same name: either way not ours to delete any more.
            return false;
        }
    }
}
