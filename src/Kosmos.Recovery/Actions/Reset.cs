using System.Globalization;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// The runbook's Complete Agent Reset: its one value (<c>deleteClaim</c>), its rules, and when it counts as done. Pure.
/// </summary>
public static class Reset
{
    public const string DeleteClaimKey = "deleteClaim";

    public static ActionRequest Request(bool deleteClaim) =>
        new(StringMap.Of((DeleteClaimKey, deleteClaim ? "true" : "false")));

    /// <summary>The request is exactly <c>deleteClaim</c>, true or false.</summary>
    public static ActionValidation Check(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var unknown = request.Values.Keys.Where(k => k != DeleteClaimKey).ToList();
        if (unknown.Count > 0)
        {
            return ActionValidation.Fail($"Reset takes only the value '{DeleteClaimKey}' (got {string.Join(", ", unknown.Select(k => $"'{k}'"))})");
        }

        return request.Values.TryGetValue(DeleteClaimKey, out var value) && value is "true" or "false"
            ? ActionValidation.Ok
            : ActionValidation.Fail($"Reset needs '{DeleteClaimKey}': true (also delete the agent's volume claims, after a safety snapshot) or false (keep them){(value is null ? "" : $", not '{value}'")}");
    }

    public static bool DeletesClaims(ActionRequest request) =>
        request?.Values.GetValueOrDefault(DeleteClaimKey) == "true";

    /// <summary>
    /// Done when the Deployment observed <paramref name="generation"/> and has every replica updated, ready and available;
    /// no pod of <paramref name="oldPods"/> (uids) is left; and every claim in <paramref name="claims"/> is Bound (a deleted
    /// one as a new object: a uid other than the old one).
    /// </summary>
    public static RolloutProgress Evaluate(AgentDetail? detail, long generation, IReadOnlySet<string> oldPods, IReadOnlyList<(string Name, string? OldUid)> claims)
    {
        ArgumentNullException.ThrowIfNull(oldPods);
        ArgumentNullException.ThrowIfNull(claims);
        if (detail?.Deployment is not { } d)
        {
            return new RolloutProgress(false, 0, 0, "waiting for the agent's Deployment");
        }

        var desired = d.DesiredReplicas;
        var fresh = detail.Pods.Where(p => !oldPods.Contains(p.Uid) && !p.IsTerminating).ToList();
        var ready = fresh.Count(p => p.IsReady);
        var left = detail.Pods.Count(p => oldPods.Contains(p.Uid));
        var waiting = new List<string>();
        if ((d.ObservedGeneration ?? 0) < generation)
        {
            waiting.Add(Invariant($"the deployment controller to observe generation {generation}"));
        }

        if (left > 0)
        {
            waiting.Add(Invariant($"{left} old {(left == 1 ? "pod" : "pods")} to go"));
        }

        foreach (var (name, oldUid) in claims)
        {
            var claim = detail.Claims.FirstOrDefault(c => c.Name == name && c.DeletionTimestamp is null && (oldUid is null || c.Uid != oldUid));
            if (claim is null)
            {
                waiting.Add($"claim {name} to be created again");
            }
            else if (claim.Phase != "Bound")
            {
                waiting.Add($"claim {name} to be Bound (now {claim.Phase})");
            }
        }

        var statusDone = d.UpdatedReplicas == desired && d.ReadyReplicas == desired && d.AvailableReplicas == desired;
        var podsText = Invariant($"{Math.Min(ready, desired)}/{desired} new pods ready");
        if (waiting.Count == 0 && statusDone && ready >= desired)
        {
            var claimText = claims.Count == 0 ? "" : "; " + string.Join(", ", claims.Select(c => $"claim {c.Name} Bound{(c.OldUid is null ? "" : " (new)")}"));
            return new RolloutProgress(true, ready, desired, $"{podsText}; no old pods left{claimText}");
        }

        return new RolloutProgress(false, Math.Min(ready, desired), desired, waiting.Count == 0 ? podsText : $"{podsText}; waiting for {string.Join(", ", waiting)}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
