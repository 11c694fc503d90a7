using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// What every Deployment action does the same way: read the Deployment, patch it (dry run or for real) with the previewed
/// resourceVersion in the body, and explain what the API server answered in words that name the agent.
/// </summary>
internal sealed class DeploymentCalls(IKubernetes client, IAgentBoard board)
{
    /// <summary>The plan parameter listing the containers a pod-template patch touches, comma-separated.</summary>
    public const string ContainersParameter = "containers";

    /// <summary>The containers a pod-template plan touches (its <see cref="ContainersParameter"/>).</summary>
    public static IReadOnlyList<string> Containers(ActionPlan plan) =>
        plan.Parameters.TryGetValue(ContainersParameter, out var names) ? names.Split(',', StringSplitOptions.RemoveEmptyEntries)
            : throw new ArgumentException($"the plan has no {ContainersParameter} parameter: it is not a {plan.Kind} plan of a pod template", nameof(plan));

    public async Task<V1Deployment> ReadAsync(AgentRef target, CancellationToken ct)
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

    /// <summary>
    /// Runs a read-then-dry-run <paramref name="plan"/>; for a fresh preview (no <paramref name="expected"/> state), a conflict
    /// only means the controllers wrote the Deployment's status between the read and the dry run, so it reads again (a few
    /// times). A plan from a confirmed state is never retried: there a conflict is the answer.
    /// </summary>
    public static async Task<ActionPlan> PlanAsync(Precondition? expected, Func<Task<ActionPlan>> plan)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await plan();
            }
            catch (ActionException ex) when (ex.Failure == ActionFailure.Conflict && expected is null && attempt < 3)
            {
                // Moved on between our read and our dry run: read again.
            }
        }
    }

    /// <summary>
    /// The state to dry-run and apply from: the Deployment as read, when it is still the state the person confirmed
    /// (<paramref name="expected"/>: the same resourceVersion, or the same generation, i.e. the same spec); otherwise a
    /// <see cref="ActionFailure.Conflict"/>.
    /// </summary>
    public static Precondition Require(AgentRef target, Precondition? expected, V1Deployment current)
    {
        var now = new Precondition(current.Metadata.ResourceVersion, current.Metadata.Generation);
        if (expected is null || expected.ResourceVersion == now.ResourceVersion || (expected.Generation is { } generation && generation == now.Generation))
        {
            return now;
        }

        throw Stale(target, expected, now.ResourceVersion);
    }

    /// <summary>
    /// Sends a strategic merge patch of <paramref name="spec"/> with <paramref name="precondition"/>'s resourceVersion in
    /// the body: the API server refuses it (409, explained as "changed since the preview") unless the object is still at it.
    /// </summary>
    public async Task<V1Deployment> PatchAsync(AgentRef target, Precondition precondition, JsonObject spec, bool dryRun, string doing, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = precondition.ResourceVersion },
            // A copy: callers retry with the same spec after a conflict, and a JSON node belongs to one parent only.
            ["spec"] = spec.DeepClone(),
        };
        try
        {
            return await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.StrategicMergePatch),
                target.Name, target.Namespace, dryRun: dryRun ? "All" : null, cancellationToken: ct);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw Explain(ex, target, precondition, doing);
        }
    }

    public static ActionPlan Plan(ActionKind kind, AgentRef target, Precondition precondition, IReadOnlyList<ChangeLine> changes, string kubectl,
        Recovery.Model.StringMap parameters, DateTimeOffset at) =>
        new(kind, target, precondition, [.. changes], kubectl, parameters, at);

    public static IReadOnlyList<ChangeLine> Diff(V1Deployment before, V1Deployment after) => JsonDiff.Compare(ToJson(before), ToJson(after));

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

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

    private static JsonNode? ToJson(V1Deployment deployment) => JsonNode.Parse(KubernetesJson.Serialize(deployment));
}
