using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// What must still hold when a previewed action is applied: the target's resourceVersion as the dry run saw it, and its
/// <c>metadata.generation</c> (which only the spec moves). The change is applied with a resourceVersion in the body, so the
/// API server refuses it (409) when the object moved on, and a person never confirms one state and changes another. When
/// <see cref="Generation"/> is known, a newer resourceVersion at the same generation (the controllers only wrote status,
/// e.g. a crash-looping pod's readiness) is not a different state: the handler previews again from it and applies with it.
/// </summary>
public sealed record Precondition(string ResourceVersion, long? Generation = null)
{
    public override string ToString() => $"resourceVersion {ResourceVersion}";
}

/// <summary>One field the action changes, as the server's dry run answered: <c>path: before → after</c> (null: absent).</summary>
public sealed record ChangeLine(string Path, string? Before, string? After)
{
    public const string Absent = "(none)";

    public override string ToString() => $"{Path}: {Before ?? Absent} → {After ?? Absent}";
}

/// <summary>
/// A previewed action: the server-side dry run of exactly the change that applying it sends. Immutable.
/// </summary>
/// <param name="Kind">The action.</param>
/// <param name="Target">The agent.</param>
/// <param name="Precondition">The state the preview was taken from; applying is refused if the target moved on.</param>
/// <param name="Changes">Every field the change touches, before → after, in path order.</param>
/// <param name="KubectlEquivalent">The kubectl command that does the same.</param>
/// <param name="Parameters">What the handler needs to apply exactly this change (e.g. the restartedAt value), opaque to others.</param>
/// <param name="PreparedAt">When the dry run ran.</param>
public sealed record ActionPlan(
    ActionKind Kind,
    AgentRef Target,
    Precondition Precondition,
    ValueList<ChangeLine> Changes,
    string KubectlEquivalent,
    StringMap Parameters,
    DateTimeOffset PreparedAt)
{
    public ActionDefinition Definition => ActionCatalog.Get(Kind);

    /// <summary>The values the person asked for (none for a restart): applying the plan applies exactly these.</summary>
    public ActionRequest Request { get; init; } = ActionRequest.None;

    /// <summary>
    /// The executor's seal over (action, agent, precondition, values), handed out with the preview; a confirmation must
    /// bring it back unchanged, so values other than the previewed ones are refused. Null until the executor seals the plan.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>What the person should know before confirming, though it is allowed (e.g. a limit below the usage evidence).</summary>
    public ValueList<string> Warnings { get; init; } = ValueList<string>.Empty;

    /// <summary>A note about what applying does beyond the listed fields (e.g. "this rolls every pod; no restart needed").</summary>
    public string? Note { get; init; }

    /// <summary>
    /// The changes applying sends, one step each, in order (e.g. "snapshot claim x", "delete claim x", "apply manifests"),
    /// recorded in the audit before and after each runs. Empty for a one-change action (see <see cref="EffectiveSteps"/>).
    /// </summary>
    public ValueList<string> Steps { get; init; } = ValueList<string>.Empty;

    /// <summary>The steps as recorded: <see cref="Steps"/>, or one step (the kubectl equivalent) for a one-change action.</summary>
    public IReadOnlyList<string> EffectiveSteps => Steps.Count > 0 ? Steps : [KubectlEquivalent];

    /// <summary>
    /// The identity of every object the plan touches as it was planned (e.g. <c>persistentvolumeclaim/planner-state uid=…</c>,
    /// <c>deployment/planner generation=3</c>). A plan made again later that touches other identities is a different plan:
    /// an approval of the first is void.
    /// </summary>
    public ValueList<string> Touches { get; init; } = ValueList<string>.Empty;

    /// <summary>What is lost for good when the plan is applied, in words (a complete reset); empty when nothing is.</summary>
    public ValueList<string> Losses { get; init; } = ValueList<string>.Empty;

    /// <summary>What the person confirms when they confirm this plan.</summary>
    public Confirmation Confirmation => new(Precondition, Request, Fingerprint);

    /// <summary>
    /// The command the Kubernetes Event names: <see cref="KubectlEquivalent"/>, except set config key's, which would carry
    /// the key's value to everyone who may list events; its Event names the ConfigMap and key only.
    /// </summary>
    public string EventCommand => Kind == ActionKind.SetConfigKey ? SetConfigKeyRequest.From(Request, out _).ValueFreeCommand(Target) : KubectlEquivalent;

    /// <summary>The changes as text, one per line, as the audit stores them.</summary>
    public string ChangesText => string.Join('\n', Changes.Select(c => c.ToString()));
}

/// <summary>What applying a plan did, as the API server answered: the target's new resourceVersion and generation.</summary>
public sealed record AppliedAction(ActionPlan Plan, string ResourceVersion, long Generation);
