using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Actions;

/// <summary>A preview as the HTTP API returns it. Send <see cref="Precondition"/> back to run the action.</summary>
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
    public static ActionPreviewMessage From(ActionPlan plan) => new(
        plan.Definition.Slug,
        plan.Target.Namespace,
        plan.Target.Name,
        plan.Definition.Risk.ToString(),
        plan.Definition.RequiresTypedConfirmation,
        plan.Definition.RequiresApproval,
        new PreconditionMessage(plan.Precondition.ResourceVersion),
        [.. plan.Changes.Select(c => new ChangeMessage(c.Path, c.Before, c.After))],
        plan.KubectlEquivalent,
        plan.PreparedAt);
}

/// <summary>The state a preview was taken from; the body of the run request.</summary>
public sealed record PreconditionMessage(string? ResourceVersion);

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
        outcome.Error);
}

public sealed record StepMessage(string Step, string State, string Detail);

public sealed record VerificationMessage(bool Verified, string Detail, int Ready, int Desired);
