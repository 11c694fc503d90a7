using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// <c>kubectl set env deployment/&lt;agent&gt; [-c container] NAME=value NAME-</c>, and a variable from one key of a ConfigMap
/// or Secret: a strategic merge patch of the containers' <c>env</c> (merged by name; a literal clears <c>valueFrom</c> and a
/// reference clears <c>value</c>, as kubectl's computed patch does; a removal is <c>$patch: delete</c>), validated by
/// <see cref="SetEnvRules"/> against the Deployment as read, with every referenced ConfigMap or Secret key checked to exist
/// (a Secret's value is read by the API server, never kept or shown here), previewed with <c>dryRun=All</c>, applied with the
/// previewed resourceVersion in the body (409: nothing changed), and verified from the shared board: every ready pod runs
/// with the new environment, and none of the new pods crashed with it. A singleton; thread-safe.
/// </summary>
public sealed partial class SetEnvAction(IKubernetes client, IAgentBoard board, TimeProvider time) : IActionHandler
{
    public const string RollsPodsNote =
        "Changing the pod template's environment starts a rollout by itself: every pod is replaced with one that has the new variables. No separate restart is needed.";

    private const string ContainersParameter = DeploymentCalls.ContainersParameter;

    private readonly DeploymentCalls _calls = new(client, board);

    public ActionDefinition Definition => ActionCatalog.SetEnv;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return SetEnvRules.Check(new AgentRef(detail.Summary.Namespace, detail.Summary.Name), request, detail).Validation;
    }

    public Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken) =>
        DeploymentCalls.PlanAsync(expected, () => PlanOnceAsync(target, request, expected, cancellationToken));

    private async Task<ActionPlan> PlanOnceAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = await _calls.ReadAsync(target, cancellationToken);
        var precondition = DeploymentCalls.Require(target, expected, current);
        var wanted = SetEnvRequest.From(request, out var unknown);
        var check = SetEnvRules.Check(target, wanted, KubernetesModelMapper.ToPodTemplateSnapshot(current.Spec?.Template), unknown);
        if (!check.Validation.IsValid)
        {
            throw new ActionException(ActionFailure.Invalid, check.Validation.ErrorText);
        }

        foreach (var reference in wanted.Set.Where(a => a.Kind != EnvSourceKind.Literal))
        {
            await RequireKeyAsync(target, reference, cancellationToken);
        }

        var containers = check.Changes.Select(c => c.Container).Distinct().ToList();
        var patch = Spec(wanted, containers);
        var dryRun = await _calls.PatchAsync(target, precondition, patch, dryRun: true, "dry run", cancellationToken);
        // What people read (preview, audit) shows a secret-looking variable's literal as hidden; the patch sent has the value.
        var shown = wanted.Shown();
        var kubectl = shown.Kubectl(target)
            ?? $"kubectl patch deployment {target.Name} -n {target.Namespace} --type=strategic -p '{new JsonObject { ["spec"] = Spec(shown, containers) }.ToJsonString()}'";
        return DeploymentCalls.Plan(ActionKind.SetEnv, target, precondition, HideSecretValues(DeploymentCalls.Diff(current, dryRun), current, dryRun), kubectl,
            StringMap.Of((ContainersParameter, string.Join(',', containers))), time.GetUtcNow()) with
        {
            Request = request,
            Note = RollsPodsNote,
        };
    }

    // A changed env value whose variable name looks secret shows (hidden), as the kubectl line does. The diff names entries by
    // index (containers[0].env[1].value), so the name is read from the Deployment on that side of the change.
    private static List<ChangeLine> HideSecretValues(IReadOnlyList<ChangeLine> changes, V1Deployment before, V1Deployment after) =>
        [.. changes.Select(c => EnvValue().Match(c.Path) is { Success: true } m
            ? c with
            {
                Before = HiddenIfSecret(before, m, c.Before),
                After = HiddenIfSecret(after, m, c.After),
            }
            : c)];

    private static string? HiddenIfSecret(V1Deployment deployment, System.Text.RegularExpressions.Match path, string? value)
    {
        var containers = deployment.Spec?.Template?.Spec?.Containers;
        var (c, e) = (int.Parse(path.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(path.Groups[2].Value, CultureInfo.InvariantCulture));
        var name = containers is not null && c < containers.Count && containers[c].Env is { } env && e < env.Count ? env[e].Name : null;
        return name is not null && SecretNames.LooksSecret(name) && value is not null ? SecretNames.Hidden : value;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^spec\.template\.spec\.containers\[(\d+)\]\.env\[(\d+)\]\.value$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex EnvValue();

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var wanted = SetEnvRequest.From(plan.Request, out _);
        var patched = await _calls.PatchAsync(plan.Target, plan.Precondition, Spec(wanted, DeploymentCalls.Containers(plan)), dryRun: false, "set env", cancellationToken);
        return new AppliedAction(plan, patched.Metadata.ResourceVersion, patched.Metadata.Generation ?? 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var wanted = SetEnvRequest.From(plan.Request, out _);
        var containers = DeploymentCalls.Containers(plan);
        IEnumerable<PodSnapshot> NewPods(AgentDetail detail) => detail.Pods.Where(p => containers.All(name =>
            p.Containers.FirstOrDefault(c => c.Name == name) is { } c && HasEnvironment(c, wanted)));
        await using var watch = new RolloutWatch(board, time, plan.Target);
        var names = string.Join(", ", wanted.Set.Select(a => a.Name).Concat(wanted.Remove.Select(r => r + " removed")));
        var (failure, state) = await watch.UntilCompleteAsync(
            detail => ResourceRollout.Evaluate(detail, applied.Generation, NewPods, "with the new environment", $"with the new environment ({names})"),
            detail => detail is null ? null : ResourceRollout.CrashedSince(NewPods(detail), containers) is { } crashed
                ? $"{crashed} with the new environment: the cause is not (only) these variables. Nothing else was changed; read its previous log"
                : null,
            progress, timeout, cancellationToken);
        return failure ?? watch.Result(true, state.Detail, state);
    }

    /// <summary>Whether a pod's container runs with every variable as set and none of the removed ones.</summary>
    private static bool HasEnvironment(ContainerSnapshot container, SetEnvRequest wanted) =>
        wanted.Remove.All(name => container.Env.All(e => e.Name != name))
        && wanted.Set.All(a => container.Env.FirstOrDefault(e => e.Name == a.Name) is { } env && a.Kind switch
        {
            EnvSourceKind.Literal => env.Kind == EnvVarSourceKind.Literal && env.Value == a.Value,
            EnvSourceKind.ConfigMap => env.Kind == EnvVarSourceKind.ConfigMap && env.Source == $"configmap {a.Value}",
            _ => env.Kind == EnvVarSourceKind.Secret && env.Source == $"secret {a.Value}",
        });

    // A reference to a key that does not exist would leave the new pods in CreateContainerConfigError: refuse it up front.
    private async Task RequireKeyAsync(AgentRef target, EnvAssignment reference, CancellationToken ct)
    {
        var (name, key) = reference.Reference!.Value;
        var kind = reference.Kind == EnvSourceKind.ConfigMap ? "configmap" : "secret";
        IEnumerable<string> keys;
        try
        {
            keys = reference.Kind == EnvSourceKind.ConfigMap
                ? (await client.CoreV1.ReadNamespacedConfigMapAsync(name, target.Namespace, cancellationToken: ct)).Data?.Keys ?? []
                : (await client.CoreV1.ReadNamespacedSecretAsync(name, target.Namespace, cancellationToken: ct)).Data?.Keys ?? [];
        }
        catch (k8s.Autorest.HttpOperationException ex) when (reference.Kind == EnvSourceKind.Secret && ex.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            // The dashboard's own Role grants nothing on Secrets (deploy/dashboard/base/rbac.yaml): the key cannot be checked
            // up front. A missing key then shows as CreateContainerConfigError on the new pods, which verification reports.
            return;
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            var error = ApiErrors.From(ex, $"read of {kind} {target.Namespace}/{name}");
            throw error.Failure == ActionFailure.NotFound
                ? new ActionException(ActionFailure.Invalid, $"{reference.Name}: there is no {kind} {name} in namespace {target.Namespace}; nothing was changed.", ex)
                : error;
        }

        var list = keys.Order(StringComparer.Ordinal).ToList();
        if (!list.Contains(key, StringComparer.Ordinal))
        {
            throw new ActionException(ActionFailure.Invalid,
                $"{reference.Name}: {kind} {name} has no key '{key}' (its keys: {(list.Count == 0 ? "none" : string.Join(", ", list))}); nothing was changed.");
        }
    }


    private static JsonObject Spec(SetEnvRequest wanted, IEnumerable<string> containers)
    {
        var list = new JsonArray();
        foreach (var name in containers)
        {
            var env = new JsonArray();
            foreach (var a in wanted.Set)
            {
                env.Add(a.Kind == EnvSourceKind.Literal
                    ? new JsonObject { ["name"] = a.Name, ["value"] = a.Value, ["valueFrom"] = null }
                    : new JsonObject
                    {
                        ["name"] = a.Name,
                        ["value"] = null,
                        ["valueFrom"] = new JsonObject
                        {
                            [a.Kind == EnvSourceKind.ConfigMap ? "configMapKeyRef" : "secretKeyRef"] = new JsonObject
                            {
                                ["name"] = a.Reference!.Value.Object,
                                ["key"] = a.Reference!.Value.Key,
                            },
                        },
                    });
            }

            foreach (var removed in wanted.Remove)
            {
                env.Add(new JsonObject { ["name"] = removed, ["$patch"] = "delete" });
            }

            list.Add(new JsonObject { ["name"] = name, ["env"] = env });
        }

        return new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = list } } };
    }
}
