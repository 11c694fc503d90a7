namespace Kosmos.Recovery.Actions;

/// <summary>The recovery actions the executor knows. Each has one <see cref="ActionDefinition"/> in <see cref="ActionCatalog"/>.</summary>
public enum ActionKind
{
    /// <summary><c>kubectl rollout restart deployment &lt;agent&gt;</c>: every pod replaced by the Deployment's own rollout.</summary>
    Restart,

    /// <summary>
    /// <c>kubectl set resources deployment &lt;agent&gt; --limits=... --requests=...</c>: new requests/limits on the pod
    /// template, which itself rolls every pod (no separate restart).
    /// </summary>
    SetResources,

    /// <summary>
    /// <c>kubectl exec &lt;pod&gt; -- python -m kosmos.tools.export_state --output ...</c> and copying the file out: the
    /// agent's conversations kept as an export in the dashboard. Changes nothing in the cluster but a temporary file.
    /// </summary>
    ExportState,

    /// <summary>
    /// Copying a state document into the pod and <c>python -m kosmos.tools.import_state --input ...</c>: replaces every
    /// conversation of the agent. Needs the agent's name typed and an incident commander's approval.
    /// </summary>
    ImportState,

    /// <summary><c>kubectl delete pod &lt;pod&gt;</c>: one pod replaced by its ReplicaSet (the runbook's "restart pod").</summary>
    RestartPod,

    /// <summary>
    /// The runbook's Complete Reset: every pod deleted, optionally the agent's claims too (after a safety snapshot), and the
    /// agent's manifests applied again. Destructive: typed confirmation and a second person's approval.
    /// </summary>
    Reset,

    /// <summary>
    /// <c>kubectl set env deployment/&lt;agent&gt; NAME=value NAME-</c>, or a variable from one key of a ConfigMap or Secret:
    /// the pod template's env changes, which rolls every pod by itself.
    /// </summary>
    SetEnv,

    /// <summary>
    /// The runbook's State Recovery finished: the agent scaled to 0, a new claim restored from a VolumeSnapshot, the
    /// Deployment's volume pointed at it and scaled back (the old claim kept). Typed confirmation and a second person's approval.
    /// </summary>
    RestoreSnapshot,

    /// <summary>
    /// <c>kubectl set image deployment/&lt;agent&gt; &lt;container&gt;=&lt;image&gt;</c>: a new image on the pod template, which
    /// rolls every pod by itself.
    /// </summary>
    SetImage,

    /// <summary>
    /// <c>kubectl patch configmap &lt;name&gt; --type=merge -p '{"data":{...}}'</c> on a ConfigMap the agent reads, then
    /// <c>kubectl rollout restart deployment &lt;agent&gt;</c>: env from a ConfigMap is read only when a container starts.
    /// </summary>
    SetConfigKey,
}

/// <summary>How much an action can lose. Destructive actions (a complete reset) destroy state that a restart keeps.</summary>
public enum RiskLevel
{
    Normal,
    Destructive,
}

/// <summary>
/// What an action is, independent of any target: how it is named, how risky it is and what the person confirming it must do.
/// </summary>
/// <param name="Kind">The action.</param>
/// <param name="Title">A short title for buttons and dialogs ("Restart").</param>
/// <param name="Description">One sentence a person confirming the action reads.</param>
/// <param name="RequiredPolicy">The authorization policy the caller must satisfy (e.g. <c>kosmos.operate</c>).</param>
/// <param name="Risk">Normal or destructive.</param>
/// <param name="RequiresTypedConfirmation">The person must type the agent's name to confirm (k9s-style), not just click.</param>
/// <param name="RequiresApproval">A second person (an incident commander) must approve before it is applied.</param>
public sealed record ActionDefinition(
    ActionKind Kind,
    string Title,
    string Description,
    string RequiredPolicy,
    RiskLevel Risk,
    bool RequiresTypedConfirmation,
    bool RequiresApproval)
{
    /// <summary>The segment used in URLs and audit records, e.g. <c>restart</c>, <c>set-resources</c>.</summary>
    public string Slug => string.Concat(Kind.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>What a person does to agents with it, for sentences such as "may not … agents": <c>restart</c>, <c>set the resources of</c>.</summary>
    public string AgentsVerb => Kind switch
    {
        ActionKind.SetResources => "set the resources of",
        ActionKind.ExportState => "export the conversation state of",
        ActionKind.ImportState => "import conversation state into",
        ActionKind.RestartPod => "restart the pods of",
        ActionKind.SetEnv => "set the environment of",
        ActionKind.RestoreSnapshot => "restore snapshots into",
        ActionKind.SetImage => "set the image of",
        ActionKind.SetConfigKey => "edit the configuration of",
        _ => Title.ToLowerInvariant(),
    };

    /// <summary>Whether the action takes values from the person (an <see cref="ActionRequest"/>); Restart takes none.</summary>
    public bool TakesValues => Kind is ActionKind.SetResources or ActionKind.SetEnv or ActionKind.SetImage or ActionKind.SetConfigKey or ActionKind.ExportState or ActionKind.ImportState or ActionKind.RestartPod or ActionKind.Reset or ActionKind.RestoreSnapshot;

    /// <summary>Whether typed text confirms the action for <paramref name="target"/>: always when no typing is required.</summary>
    public bool IsConfirmedBy(AgentRef target, string? typed) =>
        !RequiresTypedConfirmation || string.Equals(typed?.Trim(), target.Name, StringComparison.Ordinal);
}

/// <summary>Every action the dashboard offers.</summary>
public static class ActionCatalog
{
    /// <summary>The policy that lets a person run recovery actions (the Operator role and above).</summary>
    public const string OperatePolicy = "kosmos.operate";

    public static ActionDefinition Restart { get; } = new(
        ActionKind.Restart,
        "Restart",
        "Replaces every pod of the agent with a new one through a rolling restart of its Deployment. Volumes and their data are kept.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition SetResources { get; } = new(
        ActionKind.SetResources,
        "Set resources",
        "Sets the memory/CPU requests and limits of the agent's containers. Changing the pod template rolls every pod by itself: no separate restart is needed.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition SetEnv { get; } = new(
        ActionKind.SetEnv,
        "Set env",
        "Sets or removes environment variables of the agent's containers, or takes one from a key of a ConfigMap or Secret (its value is never shown). Changing the pod template rolls every pod by itself.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition SetImage { get; } = new(
        ActionKind.SetImage,
        "Set image",
        "Sets the image (repository:tag) a container of the agent runs, e.g. back to a tag the cluster ran before. Changing the pod template rolls every pod by itself.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition SetConfigKey { get; } = new(
        ActionKind.SetConfigKey,
        "Set config key",
        "Sets one key of a ConfigMap the agent reads, then restarts the agent's pods (a rolling restart): environment taken from a ConfigMap is read only when a container starts.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition RestartPod { get; } = new(
        ActionKind.RestartPod,
        "Restart pod",
        "Deletes one pod of the agent; its ReplicaSet replaces it with a new one. The agent's other pods keep running; volumes and their data are kept.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition ExportState { get; } = new(
        ActionKind.ExportState,
        "Export state",
        "Runs the agent's export_state tool in a Ready pod and keeps the exported conversations in the dashboard for download. Nothing in the agent changes.",
        OperatePolicy,
        RiskLevel.Normal,
        RequiresTypedConfirmation: false,
        RequiresApproval: false);

    public static ActionDefinition Reset { get; } = new(
        ActionKind.Reset,
        "Reset",
        "The runbook's complete reset: deletes every pod of the agent and, if asked, its volume claims (after a safety snapshot of each), then applies the agent's manifests again.",
        OperatePolicy,
        RiskLevel.Destructive,
        RequiresTypedConfirmation: true,
        RequiresApproval: true);

    public static ActionDefinition ImportState { get; } = new(
        ActionKind.ImportState,
        "Import state",
        "Replaces every conversation of the agent with those of a state document (a safety export is taken first).",
        OperatePolicy,
        RiskLevel.Destructive,
        RequiresTypedConfirmation: true,
        RequiresApproval: true);

    public static ActionDefinition RestoreSnapshot { get; } = new(
        ActionKind.RestoreSnapshot,
        "Restore snapshot",
        "Restores a VolumeSnapshot as a new claim and moves the agent onto it: a safety export, the Deployment scaled to 0, the new claim, the volume pointed at it, scaled back. The old claim is kept.",
        OperatePolicy,
        RiskLevel.Destructive,
        RequiresTypedConfirmation: true,
        RequiresApproval: true);

    public static IReadOnlyList<ActionDefinition> All { get; } = [Restart, SetResources, SetEnv, SetImage, SetConfigKey, RestartPod, Reset, ExportState, ImportState, RestoreSnapshot];

    public static ActionDefinition Get(ActionKind kind) =>
        All.FirstOrDefault(a => a.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such action");

    /// <summary>The action whose <see cref="ActionDefinition.Slug"/> is <paramref name="slug"/>, or null.</summary>
    public static ActionDefinition? FindBySlug(string? slug) =>
        All.FirstOrDefault(a => string.Equals(a.Slug, slug, StringComparison.OrdinalIgnoreCase));
}
