using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// A preview as the HTTP API returns it. To run the action, send <see cref="Precondition"/> (resourceVersion and
/// fingerprint) back with the same <see cref="Values"/>.
/// </summary>
public sealed record ActionPreviewMessage(
    string Action,
    string Namespace,
    string Name,
    string Risk,
    bool RequiresTypedConfirmation,
    bool RequiresApproval,
    PreconditionMessage Precondition,
    IReadOnlyList<ChangeMessage> Changes,
    string Kubectl,
    DateTimeOffset PreparedAt)
{
    /// <summary>The values the preview was taken with (set resources): send them back unchanged.</summary>
    public ActionBody? Values { get; init; }

    /// <summary>What the person should know before confirming (e.g. a limit at which the agent was OOM-killed).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What applying does beyond the changed fields (set resources: it rolls every pod; no restart needed).</summary>
    public string? Note { get; init; }

    /// <summary>The changes applying sends, one step each, in order (a reset has several).</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>What is lost for good, in words (a reset).</summary>
    public IReadOnlyList<string> Losses { get; init; } = [];

    public static ActionPreviewMessage From(ActionPlan plan) => new(
        plan.Definition.Slug,
        plan.Target.Namespace,
        plan.Target.Name,
        plan.Definition.Risk.ToString(),
        plan.Definition.RequiresTypedConfirmation,
        plan.Definition.RequiresApproval,
        new PreconditionMessage(plan.Precondition.ResourceVersion) { Generation = plan.Precondition.Generation, Fingerprint = plan.Fingerprint },
        [.. plan.Changes.Select(c => new ChangeMessage(c.Path, c.Before, c.After))],
        plan.KubectlEquivalent,
        plan.PreparedAt)
    {
        Values = plan.Request.IsEmpty ? null : ActionBody.From(plan.Kind, plan.Request),
        Warnings = plan.Warnings,
        Note = plan.Note,
        Steps = [.. plan.EffectiveSteps],
        Losses = plan.Losses,
    };
}

/// <summary>The state a preview was taken from, and its fingerprint (an action with values must bring it back).</summary>
public sealed record PreconditionMessage(string? ResourceVersion)
{
    /// <summary>The Deployment's generation at the preview: with it, status-only changes since do not count as "changed".</summary>
    public long? Generation { get; init; }

    public string? Fingerprint { get; init; }
}

/// <summary>Memory and CPU quantities as kubectl takes them (<c>2Gi</c>, <c>500m</c>); null leaves a value as it is.</summary>
public sealed record ResourceValuesMessage(string? Memory, string? Cpu);

/// <summary>
/// The body of an action request. Restart: <c>{"resourceVersion": "..."}</c> to run (nothing to preview). Set resources:
/// <c>{"container": "agent", "limits": {"memory": "2Gi"}, "requests": {"memory": "1Gi"}}</c>. Set env: <c>{"container":
/// "agent", "set": {"NAME": "value"}, "remove": ["NAME"], "fromConfigMap": {"NAME": "configmap/key"}, "fromSecret": {"NAME":
/// "secret/key"}}</c>. Set image: <c>{"container": "agent", "image": "repo:tag"}</c>. Set config key: <c>{"configMap": "...", "key": "...", "value": "..."}</c>. Restart pod / export state: <c>{"pod": "..."}</c>. Reset: <c>{"deleteClaim": true, "confirmName":
/// "..."}</c>. Restore snapshot: <c>{"snapshot": "...", "confirmName": "..."}</c>. Import state: <c>{"state": {...}}</c> or
/// <c>{"exportId": "..."}</c>, with <c>"confirmName"</c>. To run, the same values with the preview's <c>resourceVersion</c>, <c>generation</c> and <c>fingerprint</c>.
/// </summary>
public sealed record ActionBody(
    string? ResourceVersion = null,
    string? Fingerprint = null,
    long? Generation = null,
    string? Container = null,
    ResourceValuesMessage? Limits = null,
    ResourceValuesMessage? Requests = null)
{
    /// <summary>Restart pod: the pod to restart; export state: the pod to export from (optional).</summary>
    public string? Pod { get; init; }

    /// <summary>Reset: also delete the agent's volume claims (after a safety snapshot).</summary>
    public bool? DeleteClaim { get; init; }

    /// <summary>The agent's name, typed by the person, for actions that require it (reset).</summary>
    public string? ConfirmName { get; init; }

    /// <summary>Break-glass (when enabled): an incident commander's written reason to run without approval.</summary>
    public string? BreakGlassReason { get; init; }

    /// <summary>Set env: variables to set to a literal value.</summary>
    public IReadOnlyDictionary<string, string>? Set { get; init; }

    /// <summary>Set env: variables to remove.</summary>
    public IReadOnlyList<string>? Remove { get; init; }

    /// <summary>Set env: variables to take from a ConfigMap key, as <c>configmap/key</c>.</summary>
    public IReadOnlyDictionary<string, string>? FromConfigMap { get; init; }

    /// <summary>Set env: variables to take from a Secret key, as <c>secret/key</c> (the value is never read by the dashboard).</summary>
    public IReadOnlyDictionary<string, string>? FromSecret { get; init; }

    /// <summary>Set image: the image to run, <c>repository:tag</c>.</summary>
    public string? Image { get; init; }

    /// <summary>Set config key: the ConfigMap (one the agent reads) whose <see cref="Key"/> is set.</summary>
    public string? ConfigMap { get; init; }

    /// <summary>Set config key: the key to set.</summary>
    public string? Key { get; init; }

    /// <summary>Set config key: the key's new value (may be empty).</summary>
    public string? Value { get; init; }

        /// <summary>Restore snapshot: the VolumeSnapshot to restore.</summary>
    public string? Snapshot { get; init; }

    /// <summary>
    /// Import state: the state document, as a JSON object (or a JSON string holding the document's text, e.g. an uploaded
    /// file as it is); or <see cref="ExportId"/>.
    /// </summary>
    public System.Text.Json.JsonElement? State { get; init; }

    /// <summary>Import state: one of this agent's exports, instead of <see cref="State"/>.</summary>
    public string? ExportId { get; init; }

    /// <summary>The state document's text as the executor takes it: a string's content as it is, anything else as compact JSON.</summary>
    public string? StateText => State switch
    {
        null => null,
        { ValueKind: System.Text.Json.JsonValueKind.String } s => s.GetString(),
        { ValueKind: System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null } => null,
        { } e => System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText())!.ToJsonString(),
    };

    public bool HasValues => Container is not null || Limits is not null || Requests is not null || Image is not null
        || Set is not null || Remove is not null || FromConfigMap is not null || FromSecret is not null
        || ConfigMap is not null || Key is not null || Value is not null;

    /// <summary>The values as the executor takes them for <paramref name="kind"/>.</summary>
    public ActionRequest ToRequest(ActionKind kind)
    {
        var request = !HasValues ? ActionRequest.None : kind switch
        {
            ActionKind.SetEnv => new SetEnvRequest(
                Container,
                [
                    .. (Set ?? new Dictionary<string, string>()).Select(v => new EnvAssignment(v.Key, EnvSourceKind.Literal, v.Value)),
                    .. (FromConfigMap ?? new Dictionary<string, string>()).Select(v => new EnvAssignment(v.Key, EnvSourceKind.ConfigMap, v.Value)),
                    .. (FromSecret ?? new Dictionary<string, string>()).Select(v => new EnvAssignment(v.Key, EnvSourceKind.Secret, v.Value)),
                ],
                Remove ?? []).ToActionRequest(),
            ActionKind.SetImage => new SetImageRequest(Container, Image).ToActionRequest(),
            ActionKind.SetConfigKey => new SetConfigKeyRequest(ConfigMap, Key, Value).ToActionRequest(),
            _ => new SetResourcesRequest(Container, Limits?.Memory, Requests?.Memory, Limits?.Cpu, Requests?.Cpu).ToActionRequest(),
        };
        var extra = new List<KeyValuePair<string, string>>();
        if (Pod is not null)
        {
            extra.Add(KeyValuePair.Create(RestartPod.PodKey, Pod));
        }

        if (DeleteClaim is { } deleteClaim)
        {
            extra.Add(KeyValuePair.Create(Reset.DeleteClaimKey, deleteClaim ? "true" : "false"));
        }

        if (Snapshot is not null)
        {
            extra.Add(KeyValuePair.Create(RestoreSnapshot.SnapshotKey, Snapshot));
        }

        if (StateText is { } state)
        {
            extra.Add(KeyValuePair.Create(ImportStateRequest.StateKey, state));
        }

        if (ExportId is not null)
        {
            extra.Add(KeyValuePair.Create(ImportStateRequest.ExportIdKey, ExportId));
        }

        return extra.Count == 0 ? request : new ActionRequest(Kosmos.Recovery.Model.StringMap.From(request.Values.Concat(extra)));
    }

    /// <summary>The confirmation this body carries for <paramref name="kind"/> (precondition, values, fingerprint, typed name, break-glass reason).</summary>
    public Confirmation ToConfirmation(ActionKind kind) => new(new Precondition(ResourceVersion ?? "", Generation), ToRequest(kind), Fingerprint)
    {
        TypedName = ConfirmName,
        BreakGlassReason = BreakGlassReason,
    };

    /// <summary>
    /// The values as shown to everyone who may list requests (Viewers too): a state document only by its size and checksum,
    /// since its conversations may hold anything users told an agent; a config key's value hidden when its name looks secret.
    /// </summary>
    public static ActionBody Shown(ActionKind kind, ActionRequest request)
    {
        var body = From(kind, request);
        if (kind == ActionKind.SetConfigKey)
        {
            return body with { Value = SetConfigKeyRequest.From(request, out _).ShownValue };
        }

        return request.Values.TryGetValue(ImportStateRequest.StateKey, out var state)
            ? body with { State = System.Text.Json.JsonSerializer.SerializeToElement(ActionRequest.StateSummary(state)) }
            : body;
    }

    public static ActionBody From(ActionKind kind, ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (kind == ActionKind.SetEnv)
        {
            var env = SetEnvRequest.From(request, out _);
            IReadOnlyDictionary<string, string>? Of(EnvSourceKind source) =>
                env.Set.Where(a => a.Kind == source).ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal) is { Count: > 0 } d ? d : null;
            return new ActionBody(Container: env.Container)
            {
                Set = Of(EnvSourceKind.Literal),
                FromConfigMap = Of(EnvSourceKind.ConfigMap),
                FromSecret = Of(EnvSourceKind.Secret),
                Remove = env.Remove.Count > 0 ? env.Remove : null,
            };
        }

        if (kind == ActionKind.SetImage)
        {
            var image = SetImageRequest.From(request, out _);
            return new ActionBody(Container: image.Container) { Image = image.Image };
        }

        if (kind == ActionKind.SetConfigKey)
        {
            var config = SetConfigKeyRequest.From(request, out _);
            return new ActionBody { ConfigMap = config.ConfigMap, Key = config.Key, Value = config.Value };
        }

        if (kind is ActionKind.RestoreSnapshot or ActionKind.ImportState)
        {
            var state = request.Values.GetValueOrDefault(ImportStateRequest.StateKey);
            return new ActionBody
            {
                Snapshot = request.Values.GetValueOrDefault(RestoreSnapshot.SnapshotKey),
                State = state is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(state),
                ExportId = request.Values.GetValueOrDefault(ImportStateRequest.ExportIdKey),
            };
        }

        if (request.Values.ContainsKey(RestartPod.PodKey) || request.Values.ContainsKey(Reset.DeleteClaimKey))
        {
            return new ActionBody
            {
                Pod = request.Values.GetValueOrDefault(RestartPod.PodKey),
                DeleteClaim = request.Values.TryGetValue(Reset.DeleteClaimKey, out var d) ? d == "true" : null,
            };
        }

        var values = SetResourcesRequest.From(request);
        return new ActionBody(
            Container: values.Container,
            Limits: values.MemoryLimit is null && values.CpuLimit is null ? null : new ResourceValuesMessage(values.MemoryLimit, values.CpuLimit),
            Requests: values.MemoryRequest is null && values.CpuRequest is null ? null : new ResourceValuesMessage(values.MemoryRequest, values.CpuRequest));
    }
}

public sealed record ChangeMessage(string Path, string? Before, string? After);

/// <summary>How one attempt ended: <see cref="Status"/> is an <see cref="ActionStatus"/> name, <see cref="Summary"/> says what was and was not done.</summary>
public sealed record ActionOutcomeMessage(
    Guid ActionId,
    string Action,
    string Namespace,
    string Name,
    string Status,
    string Summary,
    bool Changed,
    IReadOnlyList<StepMessage> Steps,
    VerificationMessage? Verification,
    string? Error)
{
    /// <summary>export-state: the id of the export kept (download it from <c>GET /api/exports/{id}</c>); null otherwise.</summary>
    public Guid? ExportId { get; init; }

    /// <summary>The recorded plan's steps and how far each got.</summary>
    public IReadOnlyList<PlanStepMessage> PlanSteps { get; init; } = [];

    /// <summary>Who approved it ("name (role)"), or null.</summary>
    public string? ApprovedBy { get; init; }

    public Guid? ApprovalId { get; init; }

    public string? BreakGlassReason { get; init; }

    public static ActionOutcomeMessage From(ActionOutcome outcome) => new(
        outcome.Id,
        ActionCatalog.Get(outcome.Kind).Slug,
        outcome.Target.Namespace,
        outcome.Target.Name,
        outcome.Status.ToString(),
        outcome.Summary,
        outcome.Changed,
        [.. outcome.Steps.Select(s => new StepMessage(s.Step.ToString(), s.State.ToString(), s.Detail))],
        outcome.Verification is { } v ? new VerificationMessage(v.Verified, v.Detail, v.Ready, v.Desired) : null,
        outcome.Error)
    {
        ExportId = outcome.Verification?.Artifact?.Id,
        PlanSteps = [.. outcome.PlanSteps.Select(PlanStepMessage.From)],
        ApprovedBy = outcome.ApprovedBy?.ToString(),
        ApprovalId = outcome.ApprovalId,
        BreakGlassReason = outcome.BreakGlassReason,
    };
}

public sealed record StepMessage(string Step, string State, string Detail);

public sealed record VerificationMessage(bool Verified, string Detail, int Ready, int Desired);

/// <summary>An export as lists show it; download the content from <c>GET /api/exports/{id}</c> (Operators and above).</summary>
public sealed record StateExportMessage(Guid Id, string Namespace, string Name, string Pod, long Size, string Sha256, int Conversations, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static StateExportMessage From(StateExportInfo e) =>
        new(e.Id, e.Agent.Namespace, e.Agent.Name, e.Pod, e.Size, e.Sha256, e.Conversations, e.CreatedBy, e.CreatedAt);
}

public sealed record PlanStepMessage(int Step, string Description, string State, string Detail)
{
    public static PlanStepMessage From(PlanStepResult s) => new(s.Index + 1, s.Description, s.State.ToString(), s.Detail);
}

/// <summary>What a confirmation that needs approval answers (202): the request to approve, and until when.</summary>
public sealed record AwaitingApprovalMessage(Guid ApprovalId, string Status, DateTimeOffset ExpiresAt);
