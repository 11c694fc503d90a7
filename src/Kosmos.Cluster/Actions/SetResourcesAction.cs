using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// <c>kubectl set resources deployment &lt;agent&gt; [-c container] --limits=... --requests=...</c>: the same strategic merge
/// patch kubectl sends (containers merged by name, only the given <c>resources.limits</c>/<c>requests</c> fields), validated
/// by <see cref="SetResourcesRules"/> against the Deployment as read, previewed with <c>dryRun=All</c>, applied with the
/// previewed resourceVersion in the body (409: nothing changed), and verified from the shared board: the rollout the new pod
/// template starts completes with the new values on every ready pod, and, for an agent that was OOM-killed, no new pod is
/// OOM-killed within <see cref="SetResourcesSettings.OomWatch"/>. A singleton; thread-safe.
/// </summary>
public sealed class SetResourcesAction(IKubernetes client, IAgentBoard board, TimeProvider time, SetResourcesSettings settings) : IActionHandler
{
    /// <summary>The plan parameter naming the OOM evidence seen at preview ("pod x"), when there was some.</summary>
    public const string OomKilledParameter = "oomKilled";

    /// <summary>The plan parameter listing the containers the patch touches, comma-separated.</summary>
    public const string ContainersParameter = "containers";

    public const string RollsPodsNote =
        "Changing the pod template starts a rollout by itself: every pod is replaced with one that has the new values. No separate restart is needed.";

    private readonly DeploymentCalls _calls = new(client, board);

    public ActionDefinition Definition => ActionCatalog.SetResources;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var target = new AgentRef(detail.Summary.Namespace, detail.Summary.Name);
        return SetResourcesRules.Check(target, request, detail, settings.Bounds).Validation;
    }

    public Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken) =>
        DeploymentCalls.PlanAsync(expected, () => PlanOnceAsync(target, request, expected, cancellationToken));

    private async Task<ActionPlan> PlanOnceAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = await _calls.ReadAsync(target, cancellationToken);
        var precondition = DeploymentCalls.Require(target, expected, current);

        // The rules again, against the Deployment as the API server has it now (the board may lag behind it).
        var pods = board.GetDetail(target.Namespace, target.Name)?.Pods ?? [];
        var template = KubernetesModelMapper.ToPodTemplateSnapshot(current.Spec?.Template);
        var unknown = request.Values.Keys.Where(k => !SetResourcesRequest.Keys.Contains(k));
        var wanted = SetResourcesRequest.From(request);
        var check = SetResourcesRules.Check(target, wanted, template, pods, settings.Bounds, unknown);
        if (!check.Validation.IsValid)
        {
            throw new ActionException(ActionFailure.Invalid, check.Validation.ErrorText);
        }

        var containers = check.Changes.Select(c => c.Container).Distinct().ToList();
        var dryRun = await _calls.PatchAsync(target, precondition, Spec(wanted, containers), dryRun: true, "dry run", cancellationToken);
        var changes = DeploymentCalls.Diff(current, dryRun);
        var parameters = new List<(string, string)> { (ContainersParameter, string.Join(',', containers)) };
        if (containers.Select(c => SetResourcesRules.OomKilledIn(pods, c)).FirstOrDefault(e => e is not null) is { } oom)
        {
            parameters.Add((OomKilledParameter, oom));
        }

        return DeploymentCalls.Plan(ActionKind.SetResources, target, precondition, changes, wanted.Kubectl(target), StringMap.Of([.. parameters]), time.GetUtcNow()) with
        {
            Request = request,
            Warnings = check.Validation.Warnings,
            Note = RollsPodsNote,
        };
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var wanted = SetResourcesRequest.From(plan.Request);
        var patched = await _calls.PatchAsync(plan.Target, plan.Precondition, Spec(wanted, Containers(plan)), dryRun: false, "set resources", cancellationToken);
        return new AppliedAction(plan, patched.Metadata.ResourceVersion, patched.Metadata.Generation ?? 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var wanted = SetResourcesRequest.From(plan.Request);
        IReadOnlyList<ResourceFieldChange> changes = [.. Containers(plan).SelectMany(c => wanted.Values.Select(v => new ResourceFieldChange(c, v.Field, null, v.Value)))];
        var watchOom = plan.Parameters.TryGetValue(OomKilledParameter, out var evidence);
        await using var watch = new RolloutWatch(board, time, plan.Target);
        Func<AgentDetail?, string?> oomAgain = detail => ResourceRollout.OomKilledSince(detail, changes) is { } killed
            ? $"{killed} with the new values: the agent still needs more memory than that. Nothing else was changed; raise the limit further"
            : null;
        var started = time.GetTimestamp();
        var (failure, state) = await watch.UntilCompleteAsync(detail => ResourceRollout.Evaluate(detail, applied.Generation, changes),
            watchOom ? oomAgain : null, progress, timeout, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        if (!watchOom)
        {
            return watch.Result(true, state.Detail, state);
        }

        // The rollout can complete before a leaking container reaches its limit: watch the new pods for a while.
        var window = settings.OomWatch < timeout - time.GetElapsedTime(started) ? settings.OomWatch : timeout - time.GetElapsedTime(started);
        if (window > TimeSpan.Zero)
        {
            progress?.Report(new ActionProgress(ActionStep.Verify,
                $"Rollout complete; watching the new pods for {DeploymentCalls.Seconds(window)} for another OOMKilled termination", state.Ready, state.Desired));
        }

        var again = window > TimeSpan.Zero ? await watch.QuietForAsync(oomAgain, window, cancellationToken) : oomAgain(watch.Latest);
        return again is not null
            ? watch.Result(false, again, state)
            : watch.Result(true,
                $"{state.Detail}; no new OOMKilled termination in {DeploymentCalls.Seconds(window)} (checked the state and last state of {string.Join(", ", changes.Select(c => c.Container).Distinct())} in every new pod; before: {evidence} was OOMKilled)",
                state);
    }

    private static string[] Containers(ActionPlan plan) =>
        plan.Parameters.TryGetValue(ContainersParameter, out var names) ? names.Split(',', StringSplitOptions.RemoveEmptyEntries)
            : throw new ArgumentException($"the plan has no {ContainersParameter} parameter: it is not a set-resources plan", nameof(plan));

    // kubectl's patch: containers merge by name, and only the given fields of resources.limits/requests are sent.
    private static JsonObject Spec(SetResourcesRequest wanted, IEnumerable<string> containers)
    {
        var list = new JsonArray();
        foreach (var name in containers)
        {
            var resources = new JsonObject();
            foreach (var group in wanted.Values.GroupBy(v => v.Field.Kind))
            {
                var values = new JsonObject();
                foreach (var (field, value) in group)
                {
                    values[field.Resource] = value;
                }

                resources[group.Key] = values;
            }

            list.Add(new JsonObject { ["name"] = name, ["resources"] = resources });
        }

        return new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = list } } };
    }
}
