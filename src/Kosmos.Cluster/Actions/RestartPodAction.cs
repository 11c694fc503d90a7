using k8s;
using k8s.Models;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// <c>kubectl delete pod &lt;pod&gt;</c> for one pod of an agent (the runbook's "restart pod"): previewed with a server dry run
/// of the delete, applied with the previewed pod's uid as a delete precondition (a pod replaced since the preview is not
/// deleted: 409), and verified from the shared board once the pod is gone and a new pod of the same ReplicaSet is Ready.
/// The precondition's resourceVersion is the pod's uid: a pod's resourceVersion moves with every status update, its uid only
/// when it is another pod. A singleton; thread-safe.
/// </summary>
public sealed class RestartPodAction(IKubernetes client, IAgentBoard board, TimeProvider time) : IActionHandler
{
    public const string UidParameter = "uid";

    public const string ReplicaSetParameter = "replicaSet";

    public ActionDefinition Definition => ActionCatalog.RestartPod;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var target = new AgentRef(detail.Summary.Namespace, detail.Summary.Name);
        return RestartPod.Check(target, request, detail, pod => OwnerOf(target.Namespace, pod));
    }

    public async Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Values.GetValueOrDefault(RestartPod.PodKey) ?? throw new ActionException(ActionFailure.Invalid, "Restart pod needs the pod to restart.");
        V1Pod pod;
        try
        {
            pod = await client.CoreV1.ReadNamespacedPodAsync(name, target.Namespace, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            var error = ApiErrors.From(ex, $"read of pod {target.Namespace}/{name}");
            throw error.Failure == ActionFailure.NotFound && expected is not null
                ? new ActionException(ActionFailure.Conflict, $"Pod {target.Namespace}/{name} is gone since the preview. Nothing was changed; preview again.", ex)
                : error.Failure == ActionFailure.NotFound ? new ActionException(ActionFailure.NotFound, $"There is no pod '{name}' in namespace {target.Namespace}.", ex) : error;
        }

        var app = pod.Metadata.Labels is { } labels && labels.TryGetValue(WellKnownKeys.AgentLabel, out var label) ? label : null;
        if (app != target.Name)
        {
            throw new ActionException(ActionFailure.Invalid, $"Pod '{name}' belongs to agent {target.Namespace}/{app ?? "(none)"}, not to {target}. Nothing was changed.");
        }

        if (expected is not null && expected.ResourceVersion != pod.Metadata.Uid)
        {
            throw new ActionException(ActionFailure.Conflict, $"Pod {target.Namespace}/{name} is another pod than the one previewed (uid {expected.ResourceVersion}, now {pod.Metadata.Uid}). Nothing was changed; preview again.");
        }

        var replicaSet = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet")?.Name
            ?? throw new ActionException(ActionFailure.Invalid, $"Pod '{name}' is not managed by a ReplicaSet, so nothing would replace it. Nothing was changed.");
        await DeleteAsync(target, name, pod.Metadata.Uid, dryRun: true, cancellationToken);
        return new ActionPlan(ActionKind.RestartPod, target, new Precondition(pod.Metadata.Uid), [new ChangeLine($"pod/{name}", $"{pod.Status?.Phase ?? "Unknown"} (uid {pod.Metadata.Uid})", "(deleted; ReplicaSet " + replicaSet + " creates a replacement)")],
            $"kubectl delete pod {name} -n {target.Namespace}", StringMap.Of((RestartPod.PodKey, name), (UidParameter, pod.Metadata.Uid), (ReplicaSetParameter, replicaSet)), time.GetUtcNow())
        {
            Request = request,
            Note = $"Only this pod is replaced; the agent's other pods keep running. Its volumes and their data are kept.",
        };
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await DeleteAsync(plan.Target, plan.Parameters[RestartPod.PodKey], plan.Parameters[UidParameter], dryRun: false, cancellationToken);
        return new AppliedAction(plan, plan.Parameters[UidParameter], 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var p = applied.Plan.Parameters;
        await using var watch = new RolloutWatch(board, time, applied.Plan.Target);
        var (failure, state) = await watch.UntilCompleteAsync(detail => RestartPod.Evaluate(detail, p[RestartPod.PodKey], p[UidParameter], p[ReplicaSetParameter]),
            failed: null, progress, timeout, cancellationToken);
        return failure ?? watch.Result(true, state.Detail, state);
    }

    private async Task DeleteAsync(AgentRef target, string pod, string uid, bool dryRun, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod, target.Namespace,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid }, DryRun = dryRun ? ["All"] : null },
                dryRun: dryRun ? "All" : null, cancellationToken: ct);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            var error = ApiErrors.From(ex, $"{(dryRun ? "dry run of the delete" : "delete")} of pod {target.Namespace}/{pod}");
            throw error.Failure is ActionFailure.Conflict or ActionFailure.NotFound
                ? new ActionException(ActionFailure.Conflict, $"Pod {target.Namespace}/{pod} changed since the preview (it was replaced or deleted). Nothing was changed; preview again.", ex)
                : error;
        }
    }

    // Which agent a pod of the namespace belongs to, from the board (no API call): for "pod of another agent".
    private string? OwnerOf(string ns, string pod) =>
        board.CurrentAgents()
            .Where(a => a.Namespace == ns)
            .Select(a => board.GetDetail(a.Namespace, a.Name))
            .FirstOrDefault(d => d?.Pods.Any(p => p.Name == pod) == true)?.Summary.Name;
}
