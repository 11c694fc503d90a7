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
    /// <summary>Stores one attempt. <paramref name="cancellationToken"/> abandons the write (the caller should not cancel it lightly).</summary>
    Task WriteAsync(ActionOutcome outcome, CancellationToken cancellationToken);

    /// <summary>The most recent <paramref name="count"/> records, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken);
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
    TimeSpan Duration);
