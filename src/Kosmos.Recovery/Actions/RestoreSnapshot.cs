using System.Globalization;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// The runbook's State Recovery finished (OpenShift only offers "restore as new PVC"): which snapshot, whether it may be
/// restored into this agent, the new claim's name, and when the restore counts as rolled out. Pure functions of the
/// agent's detail; thread-safe.
/// </summary>
public static class RestoreSnapshot
{
    /// <summary>The one value: the VolumeSnapshot's name.</summary>
    public const string SnapshotKey = "snapshot";

    public static ActionRequest Request(string snapshot) => new(StringMap.Of((SnapshotKey, snapshot)));

    /// <summary>
    /// The request names exactly one VolumeSnapshot that is readyToUse and was taken of a claim the agent's Deployment
    /// mounts. Decided from the board alone, so a refused request never reaches the cluster.
    /// </summary>
    public static ActionValidation Check(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(detail);
        var agent = AgentKey.Of(detail.Summary.Namespace, detail.Summary.Name);
        var unknown = request.Values.Keys.Where(k => k != SnapshotKey).ToList();
        if (unknown.Count > 0)
        {
            return ActionValidation.Fail($"Restore snapshot takes only the value '{SnapshotKey}' (got {string.Join(", ", unknown.Select(k => $"'{k}'"))})");
        }

        var mounted = MountedClaims(detail);
        var restorable = detail.VolumeSnapshots.Where(s => s.SourcePvcName is not null && mounted.Contains(s.SourcePvcName)).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var list = restorable.Count == 0 ? "none" : string.Join(", ", restorable);
        if (mounted.Count == 0)
        {
            return ActionValidation.Fail($"Agent {agent} mounts no PersistentVolumeClaim, so there is no claim to restore a snapshot into");
        }

        if (!request.Values.TryGetValue(SnapshotKey, out var name) || string.IsNullOrWhiteSpace(name))
        {
            return ActionValidation.Fail($"Restore snapshot needs the VolumeSnapshot to restore: {{\"{SnapshotKey}\": \"<name>\"}} (snapshots of {string.Join(", ", mounted)}: {list})");
        }

        name = name.Trim();
        var snapshot = detail.VolumeSnapshots.FirstOrDefault(s => s.Name == name && s.DeletionTimestamp is null);
        if (snapshot is null)
        {
            return ActionValidation.Fail($"There is no VolumeSnapshot '{Excerpt(name)}' of a claim of agent {agent} in namespace {detail.Summary.Namespace} (snapshots of {string.Join(", ", mounted)}: {list})");
        }

        if (snapshot.SourcePvcName is null || !mounted.Contains(snapshot.SourcePvcName))
        {
            return ActionValidation.Fail($"VolumeSnapshot {name} is of claim {snapshot.SourcePvcName ?? "(none: it names no source claim)"}, which agent {agent} does not mount (it mounts {string.Join(", ", mounted)}); only a snapshot of a mounted claim is restored into it");
        }

        if (!snapshot.CanRestore)
        {
            var why = snapshot.ErrorMessage is { } error ? $"it failed: {error}"
                : snapshot.DeletionTimestamp is not null ? "it is being deleted"
                : $"readyToUse is {(snapshot.ReadyToUse is null ? "not reported yet" : "false")}";
            return ActionValidation.Fail($"VolumeSnapshot {name} is not ready to use ({why}); a claim restored from it would stay Pending. Wait until it is readyToUse");
        }

        return ActionValidation.Ok;
    }

    /// <summary>The claims the agent's Deployment mounts, in name order.</summary>
    public static IReadOnlyList<string> MountedClaims(AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return detail.Deployment?.Template.ClaimNames.Distinct().Order(StringComparer.Ordinal).ToList() ?? [];
    }

    /// <summary>The new claim: <c>&lt;claim&gt;-restored-&lt;yyyyMMddHHmm&gt;</c> (UTC), cut to a DNS name's 253 characters.</summary>
    public static string RestoredClaimName(string claim, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var name = $"{claim}-restored-{at.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}";
        return name.Length <= 253 ? name : name[..253];
    }

    /// <summary>
    /// Done when the Deployment observed <paramref name="generation"/>, every replica is updated, ready and available, no
    /// pod still mounts <paramref name="oldClaim"/>, <paramref name="newClaim"/> is Bound, and <paramref name="desired"/> Ready
    /// pods mount it.
    /// </summary>
    public static RolloutProgress Evaluate(AgentDetail? detail, long generation, string oldClaim, string newClaim, int desired)
    {
        if (detail?.Deployment is not { } d)
        {
            return new RolloutProgress(false, 0, desired, "waiting for the agent's Deployment");
        }

        var onNew = detail.Pods.Where(p => !p.IsTerminating && p.Volumes.Any(v => v.ClaimName == newClaim)).ToList();
        var ready = onNew.Count(p => p.IsReady);
        var onOld = detail.Pods.Count(p => p.Volumes.Any(v => v.ClaimName == oldClaim));
        var waiting = new List<string>();
        if ((d.ObservedGeneration ?? 0) < generation)
        {
            waiting.Add(Invariant($"the deployment controller to observe generation {generation}"));
        }

        if (onOld > 0)
        {
            waiting.Add(Invariant($"{onOld} {(onOld == 1 ? "pod" : "pods")} on claim {oldClaim} to go"));
        }

        var claim = detail.Claims.FirstOrDefault(c => c.Name == newClaim && c.DeletionTimestamp is null);
        if (claim?.Phase != "Bound")
        {
            waiting.Add($"claim {newClaim} to be Bound (now {claim?.Phase ?? "not seen yet"})");
        }

        var statusDone = d.UpdatedReplicas == desired && d.ReadyReplicas == desired && d.AvailableReplicas == desired;
        var podsText = Invariant($"{Math.Min(ready, desired)}/{desired} pods Ready on claim {newClaim}");
        if (waiting.Count == 0 && statusDone && ready >= desired)
        {
            return new RolloutProgress(true, ready, desired, $"{podsText}; no pod mounts {oldClaim}");
        }

        return new RolloutProgress(false, Math.Min(ready, desired), desired, waiting.Count == 0 ? podsText : $"{podsText}; waiting for {string.Join(", ", waiting)}");
    }

    private static string Excerpt(string text) => text.Length <= 64 ? text : $"{text[..64]}… ({text.Length} characters)";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
