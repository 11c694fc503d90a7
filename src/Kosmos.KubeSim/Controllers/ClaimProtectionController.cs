using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// The pvc-protection controller (pkg/controller/volume/pvcprotection): a claim carries the
/// <c>kubernetes.io/pvc-protection</c> finalizer (added at admission, or here for claims that bypassed it, as the
/// seeded fleet's do); a claim being deleted keeps it while any scheduled pod that has not finished uses the claim,
/// and loses it once none does — the API server then removes the claim. A pod in its grace period still uses it.
/// </summary>
internal sealed class ClaimProtectionController : ControllerBase<ClaimKey>
{
    public ClaimProtectionController(ObjectStore store, ScaledTimeProvider time, ILoggerFactory loggers, TimeSpan resyncPeriod)
        : base("pvc-protection-controller", store, time, loggers.CreateLogger<ClaimProtectionController>(), resyncPeriod)
    {
    }

    protected override IReadOnlyList<ResourceKind> WatchedKinds => [ResourceKinds.PersistentVolumeClaims, ResourceKinds.Pods];

    protected override void OnEvent(WatchEvent e)
    {
        if (e.Kind == ResourceKinds.PersistentVolumeClaims)
        {
            if (e.Type != WatchEventType.Deleted)
            {
                Queue.Add(new ClaimKey(e.Namespace, e.Name));
            }

            return;
        }

        // A pod that goes, finishes or is scheduled may free or hold each claim it names.
        foreach (var claim in ClaimProtection.ClaimNames(e.Object))
        {
            Queue.Add(new ClaimKey(e.Namespace, claim));
        }
    }

    protected override IEnumerable<ClaimKey> ResyncKeys() =>
        Store.List(ResourceKinds.PersistentVolumeClaims, null).Items.Select(c => new ClaimKey(Meta.Namespace(c), Meta.Name(c)));

    protected override void Reconcile(ClaimKey key)
    {
        var pvc = Store.Get(ResourceKinds.PersistentVolumeClaims, key.Namespace, key.Name);
        if (pvc is null)
        {
            return;
        }

        var uid = Meta.Uid(pvc);
        var protectedNow = ClaimProtection.HasFinalizer(pvc);
        if (!Meta.IsTerminating(pvc))
        {
            if (!protectedNow)
            {
                Update(key, uid, claim => ClaimProtection.AddFinalizer(claim));
            }

            return;
        }

        if (!protectedNow || InUse(key))
        {
            return;
        }

        Update(key, uid, claim =>
        {
            var finalizers = (JsonArray)ObjectStore.Metadata(claim)["finalizers"]!;
            foreach (var node in finalizers.Where(f => JsonValues.String(f) == ClaimProtection.Finalizer).ToList())
            {
                finalizers.Remove(node);
            }
        });
    }

    private bool InUse(ClaimKey key) =>
        Store.List(ResourceKinds.Pods, key.Namespace, pod => ClaimProtection.Uses(pod, key.Name)).Items.Count > 0;

    private void Update(ClaimKey key, string uid, Action<JsonObject> change) =>
        Store.Update(ResourceKinds.PersistentVolumeClaims, key.Namespace, key.Name, claim =>
        {
            if (Meta.Uid(claim) != uid)
            {
                throw Api.ApiException.Conflict(ResourceKinds.PersistentVolumeClaims, key.Name);
            }

            change(claim);
            return claim;
        });
}

/// <summary>A claim by namespace and name.</summary>
internal readonly record struct ClaimKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>The pvc-protection rules shared by admission and the controller.</summary>
internal static class ClaimProtection
{
    public const string Finalizer = "kubernetes.io/pvc-protection";

    public static bool HasFinalizer(JsonObject pvc) =>
        (JsonValues.At(pvc, "metadata", "finalizers") as JsonArray ?? []).Any(f => JsonValues.String(f) == Finalizer);

    /// <summary>Adds the finalizer to a private copy (once).</summary>
    public static JsonObject AddFinalizer(JsonObject pvc)
    {
        var meta = ObjectStore.Metadata(pvc);
        if (meta["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            meta["finalizers"] = finalizers;
        }

        if (!finalizers.Any(f => JsonValues.String(f) == Finalizer))
        {
            finalizers.Add(Finalizer);
        }

        return pvc;
    }

    public static IEnumerable<string> ClaimNames(JsonObject pod) =>
        (JsonValues.At(pod, "spec", "volumes") as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => JsonValues.String(JsonValues.At(v, "persistentVolumeClaim", "claimName")))
            .OfType<string>();

    /// <summary>
    /// As the real controller decides: only a scheduled pod can have the volume mounted (the kubelet refuses to start
    /// one whose claim is being deleted), and a pod that has finished no longer holds it.
    /// </summary>
    public static bool Uses(JsonObject pod, string claim) =>
        JsonValues.String(JsonValues.At(pod, "spec", "nodeName")) is { Length: > 0 }
        && JsonValues.String(JsonValues.At(pod, "status", "phase")) is not ("Succeeded" or "Failed")
        && ClaimNames(pod).Contains(claim);
}
