using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Kosmos.Cluster.Exec;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// import-state, the runbook's Conversation State import (<c>kubectl cp state.json &lt;pod&gt;:/tmp/</c>, then
/// <c>python -m kosmos.tools.import_state --input /tmp/state.json</c>). Before anything reaches the cluster the document is
/// resolved (the request's own, or one of this agent's exports) and checked (<see cref="StateDocument"/>); the dry run
/// checks the pod is Ready, runs the tool's --help and exports the current state to list what goes and comes. Apply keeps a
/// safety export in the pod, copies the document in over exec stdin and imports it; verify exports again and compares the
/// conversations with the document's, and reads the safety export back as the artifact the audit keeps.
/// </summary>
/// <remarks>
/// Destructive (every conversation is replaced): typed confirmation and an incident commander's approval
/// (<see cref="ActionCatalog.ImportState"/>). Not registered by <see cref="ActionServiceCollectionExtensions.AddClusterActions"/>:
/// the dashboard registers it with <see cref="ActionServiceCollectionExtensions.AddStateImport"/> beside its approval gate.
/// </remarks>
public sealed class ImportStateAction : IActionHandler
{
    public const string PodParameter = "pod";
    public const string ContainerParameter = "container";
    public const string PathParameter = "path";
    public const string SafetyPathParameter = "safetyPath";
    public const string SafetyIdParameter = "safetyExportId";

    private readonly StateCalls _calls;
    private readonly IStateExports _exports;
    private readonly TimeProvider _time;

    public ImportStateAction(IKubernetes client, IAgentBoard board, PodExec exec, StateSettings settings, IStateExports exports, TimeProvider time)
    {
        _calls = new StateCalls(client, board, exec, settings);
        _exports = exports;
        _time = time;
    }

    public ActionDefinition Definition => ActionCatalog.ImportState;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var rules = ImportStateRequest.Validate(request);
        if (!rules.IsValid)
        {
            return rules;
        }

        if (ImportStateRequest.From(request).State is { } state
            && StateDocument.Check(Encoding.UTF8.GetBytes(state), detail.Summary.Name, _calls.Settings.MaxStateBytes) is { IsValid: false } check)
        {
            return ActionValidation.Fail(check.Error!);
        }

        var (_, error) = StatePod.Choose(detail, null);
        return error is null ? ActionValidation.Ok : ActionValidation.Fail(error);
    }

    /// <summary>
    /// The document to import, checked: the request's own or the export it names, which must be this agent's. Reads the
    /// dashboard's database only; a <see cref="StateDocumentProblem.TooLarge"/> document is an HTTP 413 for the caller.
    /// </summary>
    public async Task<(byte[] Content, StateDocumentCheck Check)> DocumentAsync(AgentRef target, ActionRequest request, CancellationToken ct)
    {
        if (ImportStateRequest.Validate(request) is { IsValid: false } rules)
        {
            throw new ActionException(ActionFailure.Invalid, rules.ErrorText);
        }

        var values = ImportStateRequest.From(request);
        byte[] content;
        if (values.State is { } state)
        {
            content = Encoding.UTF8.GetBytes(state);
        }
        else
        {
            var id = Guid.Parse(values.ExportId!);
            var export = await _exports.GetAsync(id, ct).ConfigureAwait(false)
                ?? throw new ActionException(ActionFailure.NotFound, $"There is no export {id}.");
            if (export.Info.Agent != target)
            {
                throw new ActionException(ActionFailure.Invalid,
                    $"Export {id} is of agent {export.Info.Agent}, not {target}: an agent imports only its own exports (download it and import it as a document if that is really meant).");
            }

            content = export.Content;
        }

        var check = StateDocument.Check(content, target.Name, _calls.Settings.MaxStateBytes);
        return check.IsValid ? (content, check) : throw new ActionException(ActionFailure.Invalid, check.Error!);
    }

    public async Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (_, check) = await DocumentAsync(target, request, cancellationToken).ConfigureAwait(false);
        var pod = await _calls.PodAsync(target, null, cancellationToken).ConfigureAwait(false);
        await _calls.RequireToolAsync(target, pod, StateCalls.ImportTool, cancellationToken).ConfigureAwait(false);
        await _calls.RequireToolAsync(target, pod, StateCalls.ExportTool, cancellationToken).ConfigureAwait(false);
        var current = await CurrentIdsAsync(target, pod, cancellationToken).ConfigureAwait(false);
        var precondition = new Precondition(pod.ResourceVersion, ConversationsDigest(current));
        if (expected is not null && Moved(target, pod, expected, precondition, current.Count) is { } moved)
        {
            throw new ActionException(ActionFailure.Conflict, moved);
        }

        var incoming = check.ConversationIds.ToHashSet(StringComparer.Ordinal);
        var changes = current.Where(id => !incoming.Contains(id)).Select(id => new ChangeLine($"conversation {id}", "kept", null))
            .Concat(check.ConversationIds.Where(id => !current.Contains(id)).Select(id => new ChangeLine($"conversation {id}", null, "imported")))
            .Append(new ChangeLine("conversations", $"{current.Count} in pod {pod.Name}", $"{check.ConversationIds.Count} from the document (all replaced)"))
            .ToList();
        var id = Guid.NewGuid();
        return new ActionPlan(ActionKind.ImportState, target, precondition, [.. changes],
            $"kubectl cp state.json {target.Namespace}/{pod.Name}:/tmp/state.json -c {pod.Container} && kubectl exec -n {target.Namespace} {pod.Name} -c {pod.Container} -- python -m {StateCalls.ImportTool} --input /tmp/state.json",
            StringMap.Of((PodParameter, pod.Name), (ContainerParameter, pod.Container), (PathParameter, StateCalls.TemporaryPath("import", id)),
                (SafetyPathParameter, StateCalls.TemporaryPath("safety", id)), (SafetyIdParameter, id.ToString("D"))),
            _time.GetUtcNow())
        {
            Request = request,
            Note = "Every conversation of the agent is replaced by the document's. A safety export of the current state is kept first.",
        };
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (content, _) = await DocumentAsync(plan.Target, plan.Request, cancellationToken).ConfigureAwait(false);
        var pod = PodOf(plan);
        await _calls.ExportToFileAsync(plan.Target, pod, plan.Parameters[SafetyPathParameter], cancellationToken).ConfigureAwait(false);
        var path = plan.Parameters[PathParameter];
        await _calls.CopyInAsync(plan.Target, pod, path, content, cancellationToken).ConfigureAwait(false);
        var result = await _calls.RunImportAsync(plan.Target, pod, path, cancellationToken).ConfigureAwait(false);
        await _calls.RemoveAsync(plan.Target, pod, path).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ActionException(ActionFailure.Unavailable,
                $"import_state failed in pod {pod.Name} of {plan.Target} (exit code {result.ExitCode}): {result.Message}. The tool checks the whole document before it writes, so the conversations are as they were; a safety export is at {plan.Parameters[SafetyPathParameter]} in the pod.");
        }

        return new AppliedAction(plan, pod.ResourceVersion, 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var pod = PodOf(plan);
        var started = _time.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var (document, _) = await DocumentAsync(plan.Target, plan.Request, bounded.Token).ConfigureAwait(false);
        progress?.Report(new ActionProgress(ActionStep.Verify, $"Exporting again from pod {pod.Name} to compare"));
        var now = await ExportNowAsync(plan.Target, pod, bounded.Token).ConfigureAwait(false);
        var difference = Difference(JsonNode.Parse(document)!["conversations"]!.AsArray(), JsonNode.Parse(now)!["conversations"]!.AsArray());

        // The safety export becomes the artifact the audit keeps, so what was replaced can be downloaded (and imported back).
        var safetyPath = plan.Parameters[SafetyPathParameter];
        var (safety, sha256, mismatch) = await _calls.ReadBackAsync(plan.Target, pod, safetyPath, bounded.Token).ConfigureAwait(false);
        await _calls.RemoveAsync(plan.Target, pod, safetyPath).ConfigureAwait(false);
        var safetyCheck = StateDocument.Check(safety, plan.Target.Name, _calls.Settings.MaxStateBytes);
        var artifact = mismatch is null && safetyCheck.IsValid
            ? new StateArtifact(Guid.Parse(plan.Parameters[SafetyIdParameter]), pod.Name, safety, sha256, safetyCheck.ConversationIds.Count)
            : null;
        var kept = artifact is null ? $"the safety export could not be kept ({mismatch ?? safetyCheck.Error})" : $"safety export {artifact.Id} of the {artifact.Conversations} conversation(s) before is kept";
        var count = JsonNode.Parse(document)!["conversations"]!.AsArray().Count;
        return difference is null
            ? new VerificationResult(true, $"pod {pod.Name} now exports exactly the document's {count} conversation(s); {kept}", 1, 1, _time.GetElapsedTime(started)) { Artifact = artifact }
            : new VerificationResult(false, $"after the import pod {pod.Name} exports other conversations than the document: {difference}; {kept}", 0, 1, _time.GetElapsedTime(started)) { Artifact = artifact };
    }

    /// <summary>How two conversation lists differ (by id, then content), or null when they hold the same conversations.</summary>
    public static string? Difference(JsonArray expected, JsonArray actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var want = expected.OfType<JsonObject>().ToDictionary(c => (string)c["id"]!, StringComparer.Ordinal);
        var have = actual.OfType<JsonObject>().ToDictionary(c => (string)c["id"]!, StringComparer.Ordinal);
        var missing = want.Keys.Where(k => !have.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var extra = have.Keys.Where(k => !want.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var changed = want.Keys.Where(k => have.TryGetValue(k, out var h) && !JsonNode.DeepEquals(want[k], h)).Order(StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add("missing " + string.Join(", ", missing));
        }

        if (extra.Count > 0)
        {
            parts.Add("not in the document " + string.Join(", ", extra));
        }

        if (changed.Count > 0)
        {
            parts.Add("different content " + string.Join(", ", changed));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>
    /// The conversations the preview showed, as a number: the precondition's "generation" for an import, because they live
    /// in the pod's files, not in its resourceVersion. A confirmation over another set would replace conversations nobody saw.
    /// </summary>
    internal static long ConversationsDigest(IEnumerable<string> ids)
    {
        var text = string.Join('\n', ids.Order(StringComparer.Ordinal));
        return System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text))) & long.MaxValue;
    }

    // Why the confirmed preview no longer describes what an import would do now, or null.
    private static string? Moved(AgentRef target, StatePodRef pod, Precondition expected, Precondition now, int conversations) =>
        expected.ResourceVersion != now.ResourceVersion
            ? $"Pod {pod.Name} of {target} is not the pod previewed, or it changed since (resourceVersion {expected.ResourceVersion}, now {now.ResourceVersion}). Nothing was imported; preview again."
            : expected.Generation != now.Generation
                ? $"The conversations in pod {pod.Name} of {target} changed since the preview (now {conversations}); the import would replace conversations the preview did not show. Nothing was imported; preview again."
                : null;

    private async Task<HashSet<string>> CurrentIdsAsync(AgentRef target, StatePodRef pod, CancellationToken ct)
    {
        var now = await ExportNowAsync(target, pod, ct).ConfigureAwait(false);
        var check = StateDocument.Check(now, target.Name, long.MaxValue);
        return check.IsValid ? [.. check.ConversationIds] : throw new ActionException(ActionFailure.Unavailable, $"The state exported from pod {pod.Name} of {target} is not a state document: {check.Error}");
    }

    private async Task<byte[]> ExportNowAsync(AgentRef target, StatePodRef pod, CancellationToken ct)
    {
        var path = StateCalls.TemporaryPath("check", Guid.NewGuid());
        try
        {
            await _calls.ExportToFileAsync(target, pod, path, ct).ConfigureAwait(false);
            var (content, _, mismatch) = await _calls.ReadBackAsync(target, pod, path, ct).ConfigureAwait(false);
            return mismatch is null ? content : throw new ActionException(ActionFailure.Unavailable, $"Reading the current state of {target} back failed: {mismatch}");
        }
        finally
        {
            await _calls.RemoveAsync(target, pod, path).ConfigureAwait(false);
        }
    }

    private static StatePodRef PodOf(ActionPlan plan) =>
        new(plan.Parameters[PodParameter], plan.Parameters[ContainerParameter], plan.Precondition.ResourceVersion);
}
