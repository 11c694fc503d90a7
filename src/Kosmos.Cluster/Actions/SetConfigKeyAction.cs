using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// Sets one key of a ConfigMap the agent's Deployment reads, then restarts the agent: <c>kubectl patch configmap x
/// --type=merge -p '{"data":{"KEY":"value"}}'</c> and <c>kubectl rollout restart deployment/x</c>. Validated by
/// <see cref="SetConfigKeyRules"/> against the Deployment as read (only a ConfigMap it references), previewed with the API
/// server's dry run of the merge patch (the key's old → new value, hidden when the key's name looks secret), applied with the previewed ConfigMap resourceVersion in
/// the body (409: nothing changed; the preview warns when other agents read the key too), then the rolling restart (env from a ConfigMap is read only when a container starts),
/// verified from the shared board like a restart: every pod is new and ready, and none of the new pods crashed. A
/// singleton; thread-safe.
/// </summary>
public sealed class SetConfigKeyAction(IKubernetes client, IAgentBoard board, TimeProvider time) : IActionHandler
{
    public const string RestartNote =
        "A running container does not see a changed ConfigMap in its environment: after the ConfigMap is patched, the agent's pods are replaced by a rolling restart (kubectl rollout restart), and the new pods are checked.";

    /// <summary>The plan parameter holding the restartedAt value the restart sets (verify finds the new ReplicaSet by it).</summary>
    public const string RestartedAtParameter = "restartedAt";

    private readonly DeploymentCalls _calls = new(client, board);

    public ActionDefinition Definition => ActionCatalog.SetConfigKey;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return SetConfigKeyRules.Check(new AgentRef(detail.Summary.Namespace, detail.Summary.Name), request, detail);
    }

    public async Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wanted = SetConfigKeyRequest.From(request, out var unknown);
        var deployment = await _calls.ReadAsync(target, cancellationToken);
        var check = SetConfigKeyRules.Check(target, wanted, KubernetesModelMapper.ToPodTemplateSnapshot(deployment.Spec?.Template), unknown);
        if (!check.IsValid)
        {
            throw new ActionException(ActionFailure.Invalid, check.ErrorText);
        }

        var (name, key, value) = (wanted.ConfigMap!, wanted.Key!, wanted.Value!);
        var configMap = await ReadAsync(target, name, cancellationToken);
        var resourceVersion = configMap.Metadata.ResourceVersion;
        if (expected is not null && expected.ResourceVersion != resourceVersion)
        {
            throw Stale(target, name, expected.ResourceVersion, resourceVersion);
        }

        if (configMap.BinaryData?.ContainsKey(key) == true)
        {
            throw new ActionException(ActionFailure.Invalid, $"configmap {name} holds {key} as binary data; set it with kubectl. Nothing was changed.");
        }

        var before = (configMap.Data is { } data && data.TryGetValue(key, out var old) ? old : null);
        if (before == value)
        {
            throw new ActionException(ActionFailure.Invalid, $"Nothing would change: configmap {name} already has {key}={SecretNames.Shown(key, SetConfigKeyRules.Shorten(value))}");
        }

        var dryRun = await PatchAsync(target, name, resourceVersion, wanted, dryRun: true, cancellationToken);
        var restartedAt = await RestartedAtAsync(deployment, cancellationToken);
        var after = (dryRun.Data is { } answered && answered.TryGetValue(key, out var now) ? now : null);
        var restart = $"kubectl rollout restart deployment/{target.Name} -n {target.Namespace}";
        return new ActionPlan(ActionKind.SetConfigKey, target, new Precondition(resourceVersion),
            [new ChangeLine($"configmap/{name} data.{key}", Shown(key, before), Shown(key, after))],
            wanted.Kubectl(target), StringMap.Of((RestartedAtParameter, restartedAt)), time.GetUtcNow())
        {
            Request = request,
            Note = RestartNote,
            Warnings = [.. check.Warnings, .. AlsoReadBy(target, name, key) is { } shared ? [shared] : Array.Empty<string>()],
            Steps = [$"patch configmap {name}: data.{key} (resourceVersion {resourceVersion})", restart],
            Touches = [$"configmap/{name} uid={configMap.Metadata.Uid}"],
        };
    }

    public Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken) =>
        ApplyAsync(plan, NoJournal.Instance, cancellationToken);

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, IStepJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(journal);
        var wanted = SetConfigKeyRequest.From(plan.Request, out _);
        await journal.StartingAsync(0, cancellationToken);
        var patched = await PatchAsync(plan.Target, wanted.ConfigMap!, plan.Precondition.ResourceVersion, wanted, dryRun: false, cancellationToken);
        await journal.DoneAsync(0, $"configmap {wanted.ConfigMap} now at resourceVersion {patched.Metadata.ResourceVersion}", cancellationToken);

        await journal.StartingAsync(1, cancellationToken);
        var restartedAt = RestartedAt(plan);
        var restarted = await RestartAsync(plan.Target, restartedAt, cancellationToken);
        await journal.DoneAsync(1, $"restartedAt {restartedAt}, generation {restarted.Metadata.Generation}", cancellationToken);
        return new AppliedAction(plan, restarted.Metadata.ResourceVersion, restarted.Metadata.Generation ?? 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var restartedAt = RestartedAt(plan);
        var wanted = SetConfigKeyRequest.From(plan.Request, out _);
        await using var watch = new RolloutWatch(board, time, plan.Target);
        var (failure, state) = await watch.UntilCompleteAsync(detail => RestartRollout.Evaluate(detail, applied.Generation, restartedAt),
            detail => detail is null ? null
                : ResourceRollout.CrashedSince(RestartRollout.NewPods(detail, restartedAt), [.. detail.Deployment?.Template.Containers.Select(c => c.Name) ?? []]) is { } crashed
                    ? $"{crashed} with the new configuration ({wanted.ConfigMap}/{wanted.Key}): the cause is not (only) this key. The ConfigMap keeps the new value; read the previous log"
                    : null,
            progress, timeout, cancellationToken);
        return failure ?? watch.Result(true, $"configmap {wanted.ConfigMap} has the new {wanted.Key}; {state.Detail}", state);
    }

    private async Task<V1ConfigMap> ReadAsync(AgentRef target, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedConfigMapAsync(name, target.Namespace, cancellationToken: ct);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            var error = ApiErrors.From(ex, $"read of configmap {target.Namespace}/{name}");
            throw error.Failure == ActionFailure.NotFound
                ? new ActionException(ActionFailure.Invalid,
                    $"Deployment {target} reads configmap {name}, but there is no configmap {name} in namespace {target.Namespace}; create it with kubectl. Nothing was changed.", ex)
                : error;
        }
    }

    // A merge patch of data with the resourceVersion in the body: the API server refuses it (409) if the ConfigMap moved on.
    private async Task<V1ConfigMap> PatchAsync(AgentRef target, string name, string resourceVersion, SetConfigKeyRequest wanted, bool dryRun, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["data"] = new JsonObject { [wanted.Key!] = wanted.Value },
        };
        try
        {
            return await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), name, target.Namespace,
                dryRun: dryRun ? "All" : null, cancellationToken: ct);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            var error = ApiErrors.From(ex, $"{(dryRun ? "dry run" : "patch")} of configmap {target.Namespace}/{name}");
            throw error.Failure == ActionFailure.Conflict ? Stale(target, name, resourceVersion, now: null, ex) : error;
        }
    }

    // restartedAt is to the second, as kubectl writes it: one equal to the template's (a restart in the same second) would
    // roll nothing, so the plan waits for the next second. It is planned (not taken at apply) so that the audit's stored
    // plan finds the new ReplicaSet again for verify-again; the executor plans again at confirmation, so it is fresh.
    private async Task<string> RestartedAtAsync(V1Deployment deployment, CancellationToken ct)
    {
        var last = deployment.Spec?.Template?.Metadata?.Annotations?.TryGetValue(WellKnownKeys.RestartedAtAnnotation, out var value) == true ? value : null;
        var restartedAt = RestartAgentAction.RestartedAtNow(time);
        while (restartedAt == last)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            restartedAt = RestartAgentAction.RestartedAtNow(time);
        }

        return restartedAt;
    }

    // The restart itself is not what the person confirmed (the ConfigMap is): it goes from the Deployment as it is now, and
    // reads it again when the controllers wrote its status in between (a crash-looping pod moves it often).
    private async Task<V1Deployment> RestartAsync(AgentRef target, string restartedAt, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await _calls.ReadAsync(target, ct);
            try
            {
                return await _calls.PatchAsync(target, new Precondition(current.Metadata.ResourceVersion), RestartAgentAction.Spec(restartedAt), dryRun: false, "restart", ct);
            }
            catch (ActionException ex) when (ex.Failure == ActionFailure.Conflict && attempt < 3)
            {
                // Moved on between the read and the patch: read again.
            }
        }
    }

    // Other agents of the namespace that read the key, from the board (no API call): they keep the old value until they restart.
    private string? AlsoReadBy(AgentRef target, string configMap, string key) => SetConfigKeyRules.AlsoReadBy(configMap, key,
        board.CurrentAgents()
            .Where(a => a.Namespace == target.Namespace && a.Name != target.Name)
            .Select(a => (Agent: a.Name, Template: board.GetDetail(a.Namespace, a.Name)?.Deployment?.Template))
            .Where(o => o.Template is not null)
            .Select(o => (o.Agent, o.Template!)));

    // ConfigMaps are not Secrets, so the preview and audit show old → new; a key named like a secret (API_TOKEN) is hidden.
    private static string? Shown(string key, string? value) => value is null ? null : SecretNames.Shown(key, SetConfigKeyRules.Shorten(value));

    private static string RestartedAt(ActionPlan plan) =>
        plan.Parameters.TryGetValue(RestartedAtParameter, out var value) ? value
            : throw new ArgumentException($"the plan has no {RestartedAtParameter} parameter: it is not a set-config-key plan", nameof(plan));

    private static ActionException Stale(AgentRef target, string name, string expected, string? now, Exception? inner = null) => new(ActionFailure.Conflict,
        $"configmap {target.Namespace}/{name} changed since the preview (resourceVersion {expected}, now {now ?? "newer"}). Nothing was changed; preview again to see the current value.",
        inner);
}
