using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// <c>kubectl rollout restart deployment &lt;agent&gt;</c>: the same strategic merge patch kubectl sends (a new
/// <c>kubectl.kubernetes.io/restartedAt</c> on the pod template), previewed with <c>dryRun=All</c>, applied with the
/// previewed resourceVersion in the body (so the API server answers 409 if the Deployment moved on), and verified from the
/// shared board until every pod is new and ready. The preview warns when the runbook guidance says a restart cannot help
/// (<see cref="AgentGuidance.RestartWarnings"/>: configuration, memory, a dependency, scheduling, the image). A singleton; thread-safe.
/// </summary>
public sealed class RestartAgentAction(IKubernetes client, IAgentBoard board, TimeProvider time, IPodLogs? logs = null) : IActionHandler
{
    /// <summary>The plan parameter holding the restartedAt value to apply.</summary>
    public const string RestartedAtParameter = "restartedAt";

    private readonly DeploymentCalls _calls = new(client, board);

    public ActionDefinition Definition => ActionCatalog.Restart;

    public Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken) =>
        DeploymentCalls.PlanAsync(expected, () => PlanOnceAsync(target, request, expected, cancellationToken));

    private async Task<ActionPlan> PlanOnceAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsEmpty)
        {
            throw new ActionException(ActionFailure.Invalid, $"A restart takes no values (got {request}).");
        }

        var current = await _calls.ReadAsync(target, cancellationToken);
        var precondition = DeploymentCalls.Require(target, expected, current);

        var restartedAt = RestartedAtNow(time);
        var dryRun = await _calls.PatchAsync(target, precondition, Spec(restartedAt), dryRun: true, "dry run", cancellationToken);
        var changes = DeploymentCalls.Diff(current, dryRun);
        if (!changes.Any(c => c.Path.StartsWith("spec.", StringComparison.Ordinal)))
        {
            throw new ActionException(ActionFailure.Invalid,
                $"A restart of {target} now would change nothing: its pods were restarted at {restartedAt} already. Try again in a second.");
        }

        return DeploymentCalls.Plan(ActionKind.Restart, target, precondition, changes, $"kubectl rollout restart deployment {target.Name} -n {target.Namespace}",
            StringMap.Of((RestartedAtParameter, restartedAt)), time.GetUtcNow()) with
        {
            Warnings = [.. await WarningsAsync(target, cancellationToken)],
        };
    }

    // The runbook guidance with the crashed run's log (config errors are named there), as the agent page reads it.
    private async Task<IReadOnlyList<string>> WarningsAsync(AgentRef target, CancellationToken ct)
    {
        if (board.GetDetail(target.Namespace, target.Name) is not { } detail)
        {
            return [];
        }

        var log = RunbookGuide.Build(detail, time.GetUtcNow())?.PreviousLog is { } previous && logs is not null
            ? await logs.ReadAsync(target.Namespace, previous.Pod, previous.Container, previous: true, tailLines: 200, ct)
            : null;
        return AgentGuidance.Build(detail, time.GetUtcNow(), log?.Error is null ? log?.Lines : null, log?.Error,
            (ns, name) => board.GetDetail(ns, name)?.Summary).RestartWarnings;
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var patched = await _calls.PatchAsync(plan.Target, plan.Precondition, Spec(RestartedAt(plan)), dryRun: false, "restart", cancellationToken);
        return new AppliedAction(plan, patched.Metadata.ResourceVersion, patched.Metadata.Generation ?? 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var restartedAt = RestartedAt(applied.Plan);
        await using var watch = new RolloutWatch(board, time, applied.Plan.Target);
        var (failure, state) = await watch.UntilCompleteAsync(detail => RestartRollout.Evaluate(detail, applied.Generation, restartedAt),
            failed: null, progress, timeout, cancellationToken);
        return failure ?? watch.Result(true, state.Detail, state);
    }

    /// <summary>The restartedAt value kubectl would write now: RFC 3339 to the second.</summary>
    internal static string RestartedAtNow(TimeProvider time) => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The Deployment spec patch of <c>kubectl rollout restart</c>: a new restartedAt on the pod template.</summary>
    internal static JsonObject Spec(string restartedAt) => new()
    {
        ["template"] = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [WellKnownKeys.RestartedAtAnnotation] = restartedAt },
            },
        },
    };

    private static string RestartedAt(ActionPlan plan) =>
        plan.Parameters.TryGetValue(RestartedAtParameter, out var value) ? value
            : throw new ArgumentException($"the plan has no {RestartedAtParameter} parameter: it is not a restart plan", nameof(plan));
}
