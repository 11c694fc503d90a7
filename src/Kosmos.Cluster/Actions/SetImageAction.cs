using System.Text.Json.Nodes;
using k8s;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// <c>kubectl set image deployment/&lt;agent&gt; &lt;container&gt;=&lt;image&gt;</c>: the strategic merge patch kubectl sends
/// (containers merged by name, only <c>image</c>), validated by <see cref="SetImageRules"/> against the Deployment as read,
/// previewed with <c>dryRun=All</c>, applied with the previewed resourceVersion in the body (409: nothing changed), and
/// verified from the shared board: every ready pod runs the new image, and none of the new pods failed to pull it or
/// crashed with it. A singleton; thread-safe.
/// </summary>
public sealed class SetImageAction(IKubernetes client, IAgentBoard board, TimeProvider time) : IActionHandler
{
    public const string RollsPodsNote =
        "Changing the pod template's image starts a rollout by itself: every pod is replaced with one that runs the new image. No separate restart is needed.";

    private readonly DeploymentCalls _calls = new(client, board);

    public ActionDefinition Definition => ActionCatalog.SetImage;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return SetImageRules.Check(new AgentRef(detail.Summary.Namespace, detail.Summary.Name), request, detail).Validation;
    }

    public Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken) =>
        DeploymentCalls.PlanAsync(expected, () => PlanOnceAsync(target, request, expected, cancellationToken));

    private async Task<ActionPlan> PlanOnceAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = await _calls.ReadAsync(target, cancellationToken);
        var precondition = DeploymentCalls.Require(target, expected, current);
        var wanted = SetImageRequest.From(request, out var unknown);
        var check = SetImageRules.Check(target, wanted, KubernetesModelMapper.ToPodTemplateSnapshot(current.Spec?.Template), unknown);
        if (!check.Validation.IsValid)
        {
            throw new ActionException(ActionFailure.Invalid, check.Validation.ErrorText);
        }

        var containers = check.Changes.Select(c => c.Container).Distinct().ToList();
        var dryRun = await _calls.PatchAsync(target, precondition, Spec(wanted.Image!, containers), dryRun: true, "dry run", cancellationToken);
        return DeploymentCalls.Plan(ActionKind.SetImage, target, precondition, DeploymentCalls.Diff(current, dryRun), wanted.Kubectl(target),
            StringMap.Of((DeploymentCalls.ContainersParameter, string.Join(',', containers))), time.GetUtcNow()) with
        {
            Request = request,
            Note = RollsPodsNote,
        };
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var wanted = SetImageRequest.From(plan.Request, out _);
        var patched = await _calls.PatchAsync(plan.Target, plan.Precondition, Spec(wanted.Image!, DeploymentCalls.Containers(plan)), dryRun: false, "set image", cancellationToken);
        return new AppliedAction(plan, patched.Metadata.ResourceVersion, patched.Metadata.Generation ?? 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var image = SetImageRequest.From(plan.Request, out _).Image!;
        var containers = DeploymentCalls.Containers(plan);
        IEnumerable<PodSnapshot> NewPods(AgentDetail detail) => detail.Pods.Where(p => containers.All(name =>
            p.Containers.FirstOrDefault(c => c.Name == name) is { } c && c.Image == image));
        await using var watch = new RolloutWatch(board, time, plan.Target);
        var (failure, state) = await watch.UntilCompleteAsync(
            detail => ResourceRollout.Evaluate(detail, applied.Generation, NewPods, "with the new image", $"with image {image}"),
            detail => detail is null ? null : PullFailed(NewPods(detail), containers, image) ?? (ResourceRollout.CrashedSince(NewPods(detail), [.. containers]) is { } crashed
                ? $"{crashed} with image {image}: the image is not (only) the cause. Nothing else was changed; read its previous log"
                : null),
            progress, timeout, cancellationToken);
        return failure ?? watch.Result(true, state.Detail, state);
    }

    // A tag the registry does not have never starts: say so as soon as a kubelet reports it, not at the timeout.
    private static string? PullFailed(IEnumerable<PodSnapshot> pods, IReadOnlyList<string> containers, string image) => pods
        .SelectMany(p => p.Containers.Where(c => containers.Contains(c.Name) && c.State is ContainerState.Waiting { Reason: "ErrImagePull" or "ImagePullBackOff" })
            .Select(c => $"container {c.Name} of pod {p.Name} cannot pull {image} ({((ContainerState.Waiting)c.State!).Reason}): the tag does not exist or the registry refuses it. Nothing else was changed; pick a tag the agent ran before"))
        .FirstOrDefault();

    // kubectl's patch: containers merge by name, only the image is sent.
    private static JsonObject Spec(string image, IEnumerable<string> containers) => new()
    {
        ["template"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray([.. containers.Select(name => (JsonNode)new JsonObject { ["name"] = name, ["image"] = image })]),
            },
        },
    };
}
