using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// <c>kubectl rollout restart deployment &lt;agent&gt;</c>: the same strategic merge patch kubectl sends (a new
/// <c>kubectl.kubernetes.io/restartedAt</c> on the pod template), previewed with <c>dryRun=All</c>, applied with the
/// previewed resourceVersion in the body (so the API server answers 409 if the Deployment moved on), and verified from the
/// shared board until every pod is new and ready. A singleton; thread-safe.
/// </summary>
public sealed class RestartAgentAction(IKubernetes client, IAgentBoard board, TimeProvider time) : IActionHandler
{
    /// <summary>The plan parameter holding the restartedAt value to apply.</summary>
    public const string RestartedAtParameter = "restartedAt";

    public ActionDefinition Definition => ActionCatalog.Restart;

    public async Task<ActionPlan> PlanAsync(AgentRef target, Precondition? expected, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(target, cancellationToken);
        var resourceVersion = current.Metadata.ResourceVersion;
        if (expected is not null && expected.ResourceVersion != resourceVersion)
        {
            throw Stale(target, expected, resourceVersion);
        }

        // RFC 3339 to the second, as kubectl writes it.
        var restartedAt = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        V1Deployment dryRun;
        try
        {
            dryRun = await client.AppsV1.PatchNamespacedDeploymentAsync(Patch(resourceVersion, restartedAt), target.Name, target.Namespace,
                dryRun: "All", cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw Explain(ex, target, expected ?? new Precondition(resourceVersion), "dry run");
        }

        var changes = JsonDiff.Compare(ToJson(current), ToJson(dryRun));
        if (!changes.Any(c => c.Path.StartsWith("spec.", StringComparison.Ordinal)))
        {
            throw new ActionException(ActionFailure.Invalid,
                $"A restart of {target} now would change nothing: its pods were restarted at {restartedAt} already. Try again in a second.");
        }

        return new ActionPlan(ActionKind.Restart, target, new Precondition(resourceVersion), [.. changes],
            $"kubectl rollout restart deployment {target.Name} -n {target.Namespace}",
            StringMap.Of((RestartedAtParameter, restartedAt)), time.GetUtcNow());
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var target = plan.Target;
        try
        {
            var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(Patch(plan.Precondition.ResourceVersion, RestartedAt(plan)),
                target.Name, target.Namespace, cancellationToken: cancellationToken);
            return new AppliedAction(plan, patched.Metadata.ResourceVersion, patched.Metadata.Generation ?? 0);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw Explain(ex, target, plan.Precondition, "restart");
        }
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var target = applied.Plan.Target;
        var restartedAt = RestartedAt(applied.Plan);
        var started = time.GetTimestamp();
        using var subscription = board.SubscribeDetail(target.Namespace, target.Name);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        var state = Report(RestartRollout.Evaluate(subscription.Current, applied.Generation, restartedAt), null, progress);
        try
        {
            while (!state.Complete)
            {
                if (!await subscription.Updates.WaitToReadAsync(linked.Token))
                {
                    return new VerificationResult(false, $"the dashboard stopped watching {target} before its rollout completed: {state.Detail}",
                        state.Ready, state.Desired, time.GetElapsedTime(started));
                }

                AgentDetail? latest = null;
                while (subscription.Updates.TryRead(out var detail))
                {
                    latest = detail;
                }

                state = Report(RestartRollout.Evaluate(latest, applied.Generation, restartedAt), state, progress);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new VerificationResult(false,
                $"the rollout of {target} did not complete within {Seconds(timeout)}: {state.Detail}",
                state.Ready, state.Desired, time.GetElapsedTime(started));
        }

        return new VerificationResult(true, state.Detail, state.Ready, state.Desired, time.GetElapsedTime(started));
    }

    private static RolloutProgress Report(RolloutProgress now, RolloutProgress? before, IProgress<ActionProgress>? progress)
    {
        if (now != before)
        {
            progress?.Report(new ActionProgress(ActionStep.Verify,
                now.Complete ? "Rollout complete: " + now.Detail : "Waiting for the rollout: " + now.Detail, now.Ready, now.Desired));
        }

        return now;
    }

    private async Task<V1Deployment> ReadAsync(AgentRef target, CancellationToken ct)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, target.Namespace, cancellationToken: ct);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw Explain(ex, target, null, "read");
        }
    }

    private ActionException Explain(Exception ex, AgentRef target, Precondition? expected, string doing)
    {
        var error = ApiErrors.From(ex, $"{doing} of deployment {target}");
        return error.Failure switch
        {
            ActionFailure.NotFound => new ActionException(ActionFailure.NotFound,
                $"There is no deployment {target.Name} in namespace {target.Namespace}.", ex),
            ActionFailure.Conflict when expected is not null => Stale(target, expected, CurrentVersionOrUnknown(target)),
            _ => error,
        };
    }

    // After a 409, what the resourceVersion is now, for the message; best effort from the cache's view of the agent.
    private string? CurrentVersionOrUnknown(AgentRef target) => board.GetDetail(target.Namespace, target.Name)?.Deployment?.ResourceVersion;

    private static ActionException Stale(AgentRef target, Precondition expected, string? now) => new(ActionFailure.Conflict,
        $"Deployment {target} changed since the preview (resourceVersion {expected.ResourceVersion}, now {now ?? "newer"}). " +
        "Nothing was changed; preview again to see the current state.");

    private static V1Patch Patch(string resourceVersion, string restartedAt) => new(new JsonObject
    {
        // A resourceVersion in the body makes the API server refuse the patch (409) unless the object is still at it.
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["annotations"] = new JsonObject { [WellKnownKeys.RestartedAtAnnotation] = restartedAt },
                },
            },
        },
    }.ToJsonString(), V1Patch.PatchType.StrategicMergePatch);

    private static string RestartedAt(ActionPlan plan) =>
        plan.Parameters.TryGetValue(RestartedAtParameter, out var value) ? value
            : throw new ArgumentException($"the plan has no {RestartedAtParameter} parameter: it is not a restart plan", nameof(plan));

    private static JsonNode? ToJson(V1Deployment deployment) => JsonNode.Parse(KubernetesJson.Serialize(deployment));

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
