using System.Text.Json.Serialization;
using Kosmos.Recovery.Live;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// The cluster side of one action kind: dry run, apply, verify. Implementations live with the cluster client and are
/// called only by the <see cref="IActionExecutor"/>, after it has authorised and validated the caller's request.
/// </summary>
/// <remarks>
/// Lifetime: a singleton; thread-safe (the executor may run it for different agents at once). Failures the person should
/// read are thrown as <see cref="ActionException"/> with a message that names the agent; cancellation as
/// <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IActionHandler
{
    ActionDefinition Definition { get; }

    /// <summary>
    /// Checks <paramref name="request"/> against the agent as the shared board shows it, without asking the cluster: pure,
    /// cheap, and the one rule set (the executor's Validate step and a dialog's inline messages both call it). Actions that
    /// take no values refuse any.
    /// </summary>
    ActionValidation Validate(ActionRequest request, AgentDetail detail) =>
        request.IsEmpty ? ActionValidation.Ok : ActionValidation.Fail($"{Definition.Title} takes no values (got {request}).");

    /// <summary>
    /// The server's dry run (<c>dryRun=All</c>) of the change <paramref name="request"/> asks for, from
    /// <paramref name="expected"/> when given (a <see cref="ActionFailure.Conflict"/> if the target moved on), otherwise
    /// from the target as it is now. Validates the request again against the Deployment it reads (an
    /// <see cref="ActionFailure.Invalid"/> before any dry run). Changes nothing. The plan carries the request.
    /// </summary>
    Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken);

    /// <summary>
    /// Applies exactly the planned change (the plan's own <see cref="ActionPlan.Request"/>), guarded by its precondition (a
    /// <see cref="ActionFailure.Conflict"/> and no change if the target moved on since the plan).
    /// </summary>
    Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the plan step by step, telling <paramref name="journal"/> before each step sends its change and after it is
    /// done (the executor persists both). A one-change action need not override it: its one step is the whole
    /// <see cref="ApplyAsync(ActionPlan, CancellationToken)"/>. A multi-step action (a complete reset) overrides it and stops
    /// at the first failure, so the journal says exactly which steps were done.
    /// </summary>
    async Task<AppliedAction> ApplyAsync(ActionPlan plan, IStepJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        await journal.StartingAsync(0, cancellationToken);
        var applied = await ApplyAsync(plan, cancellationToken);
        await journal.DoneAsync(0, $"resourceVersion {applied.ResourceVersion}, generation {applied.Generation}", cancellationToken);
        return applied;
    }

    /// <summary>
    /// Waits until the applied change has taken effect (for a restart: the rollout is complete), reporting progress, for at
    /// most <paramref name="timeout"/>. Returns a not-verified result on timeout; throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fires. Reads the shared watch cache, not the API server.
    /// </summary>
    Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// Where every attempt is recorded. Implementations persist (SQLite in the dashboard). A singleton; thread-safe.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Stores one attempt, or replaces the record with the same <see cref="ActionOutcome.Id"/>: a running action is written
    /// (<see cref="ActionStatus.Running"/>) before its first change and after every step, then once more when it ends.
    /// <paramref name="cancellationToken"/> abandons the write (the caller should not cancel it lightly).
    /// </summary>
    Task WriteAsync(ActionOutcome outcome, CancellationToken cancellationToken);

    /// <summary>The most recent <paramref name="count"/> records, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken);

    /// <summary>The record of one attempt, or null.</summary>
    Task<AuditEntry?> FindAsync(Guid actionId, CancellationToken cancellationToken);
}

/// <summary>
/// Writes a Kubernetes Event for each applied action on the agent's Deployment (type Normal, reason
/// <see cref="Reason"/>), so <c>kubectl describe deployment</c> shows who changed it. A singleton; thread-safe; best effort
/// (a failure is the caller's to log, never to fail the action for).
/// </summary>
public interface IActionEvents
{
    const string Reason = "KosmosAction";

    Task RecordAsync(AgentRef target, string message, CancellationToken cancellationToken);
}

/// <summary>One stored attempt, flattened to text as the audit keeps it.</summary>
public sealed record AuditEntry(
    Guid ActionId,
    DateTimeOffset At,
    string User,
    string Role,
    string Namespace,
    string Agent,
    string Action,
    string Status,
    string Preview,
    string Steps,
    string? Verification,
    string? Error,
    TimeSpan Duration)
{
    /// <summary>The recorded plan's steps with their states (empty for attempts without a plan).</summary>
    public IReadOnlyList<PlanStepResult> PlanSteps { get; init; } = [];

    /// <summary>The incident commander who approved the action, as "name (role)", or null.</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>The approval request the attempt ran for, or null.</summary>
    public Guid? ApprovalId { get; init; }

    /// <summary>Break-glass: the reason an incident commander gave for running it alone, or null.</summary>
    public string? BreakGlassReason { get; init; }

    /// <summary>The plan as applied, for verify-again (null when there was none or it could not be read back).</summary>
    [JsonIgnore]
    public ActionPlan? Plan { get; init; }

    /// <summary>What applying answered, for verify-again; null before Apply.</summary>
    [JsonIgnore]
    public AppliedAction? Applied { get; init; }
}
