using System.Globalization;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// The runbook's "restart pod" (Unresponsive Agent: <c>kubectl delete pod &lt;pod&gt;</c>): which pod is asked for, whether
/// it is one of the agent's, and when its replacement counts as done. Pure functions of the agent's detail.
/// </summary>
public static class RestartPod
{
    /// <summary>The one value: the pod's name.</summary>
    public const string PodKey = "pod";

    public static ActionRequest Request(string pod) => new(StringMap.Of((PodKey, pod)));

    /// <summary>
    /// The request names exactly one pod of this agent that is not already terminating; <paramref name="ownerOf"/> says which
    /// agent another pod of the namespace belongs to (for "pod of another agent"), or null when there is no such pod.
    /// </summary>
    public static ActionValidation Check(AgentRef target, ActionRequest request, AgentDetail detail, Func<string, string?> ownerOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(ownerOf);
        var unknown = request.Values.Keys.Where(k => k != PodKey).ToList();
        if (unknown.Count > 0)
        {
            return ActionValidation.Fail($"Restart pod takes only the value '{PodKey}' (got {string.Join(", ", unknown.Select(k => $"'{k}'"))})");
        }

        if (!request.Values.TryGetValue(PodKey, out var name) || string.IsNullOrWhiteSpace(name))
        {
            return ActionValidation.Fail($"Restart pod needs the pod to restart: {{\"{PodKey}\": \"<name>\"}} (pods of {target}: {PodList(detail)})");
        }

        var pod = detail.Pods.FirstOrDefault(p => p.Name == name);
        if (pod is null)
        {
            return ownerOf(name) is { } other
                ? ActionValidation.Fail($"Pod '{name}' belongs to agent {target.Namespace}/{other}, not to {target}; restart it from that agent's page")
                : ActionValidation.Fail($"There is no pod '{name}' in namespace {target.Namespace} (pods of {target}: {PodList(detail)})");
        }

        if (pod.IsTerminating)
        {
            return ActionValidation.Fail($"Pod '{name}' is already being deleted; its replacement is on the way");
        }

        return pod.Owner?.Kind != "ReplicaSet"
            ? ActionValidation.Fail($"Pod '{name}' is not managed by a ReplicaSet, so nothing would replace it; it is not restarted")
            : ActionValidation.Ok;
    }

    /// <summary>
    /// Done when <paramref name="pod"/> (by uid) is gone and a different pod of <paramref name="replicaSet"/> is Ready;
    /// otherwise what it waits for, with 0/1 or 1/1 new pods ready.
    /// </summary>
    public static RolloutProgress Evaluate(AgentDetail? detail, string pod, string uid, string replicaSet)
    {
        if (detail is null)
        {
            return new RolloutProgress(false, 0, 1, "the agent is gone");
        }

        var old = detail.Pods.FirstOrDefault(p => p.Uid == uid);
        var replacement = detail.Pods
            .Where(p => p.Uid != uid && p.Owner?.Name == replicaSet && !p.IsTerminating)
            .OrderByDescending(p => p.CreationTimestamp)
            .FirstOrDefault();
        var ready = replacement is { IsReady: true } ? 1 : 0;
        if (old is null && ready == 1)
        {
            return new RolloutProgress(true, 1, 1, $"pod {pod} is gone; its replacement {replacement!.Name} (ReplicaSet {replicaSet}) is Ready");
        }

        var waiting = old is not null ? $"pod {pod} is {(old.IsTerminating ? "terminating" : "still there")}" : $"pod {pod} is gone";
        waiting += replacement is null ? $"; waiting for a replacement from ReplicaSet {replicaSet}" : $"; replacement {replacement.Name} is not Ready yet";
        return new RolloutProgress(false, ready, 1, string.Format(CultureInfo.InvariantCulture, "{0}/1 new pods ready; {1}", ready, waiting));
    }

    private static string PodList(AgentDetail detail) =>
        detail.Pods.Count == 0 ? "none" : string.Join(", ", detail.Pods.Select(p => p.Name));
}
