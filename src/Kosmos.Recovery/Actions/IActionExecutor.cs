using System.Security.Claims;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// The one guarded way to change the cluster: authorise → validate → dry-run → (the person confirms) → apply → verify → audit.
/// Every UI button and HTTP endpoint that mutates goes through it; nothing else talks to the cluster to change it.
/// </summary>
/// <remarks>
/// <para>Lifetime: a singleton shared by every circuit and request, so that the same action on the same agent runs at most
/// once at a time across all of them (a second attempt while one runs ends <see cref="ActionStatus.AlreadyRunning"/>).</para>
/// <para>Threading: every member is thread-safe and may be called from any thread. Progress is reported on the executor's
/// threads: a UI must marshal to its renderer.</para>
/// <para>Authorisation is checked on the server for each call with the caller's <see cref="ClaimsPrincipal"/>; a UI that
/// hides a button is a courtesy, not the check.</para>
/// <para>Errors are results, not exceptions: refusals, conflicts, unknown agents and cluster failures come back as an
/// <see cref="ActionOutcome"/> (or a failed <see cref="PreviewResult"/>). Only a bug throws.</para>
/// </remarks>
public interface IActionExecutor
{
    /// <summary>
    /// Authorises and validates <paramref name="request"/> (the values the action takes; <see cref="ActionRequest.None"/> for
    /// a restart), then asks the cluster for a server-side dry run of exactly that change. Changes nothing; not audited
    /// unless refused. The plan carries the request and a <see cref="ActionPlan.Fingerprint"/> sealing it to the
    /// precondition: confirm with <see cref="ActionPlan.Confirmation"/>. <paramref name="cancellationToken"/> abandons the
    /// dry run (it then throws <see cref="OperationCanceledException"/>).
    /// </summary>
    Task<PreviewResult> PreviewAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, ActionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Checks <paramref name="request"/> against the agent as the shared board shows it, with the same rules the Validate
    /// step applies; never asks the cluster, never audits. For inline messages while a person types. Thread-safe, cheap.
    /// </summary>
    ActionValidation Validate(ActionKind kind, AgentRef target, ActionRequest request);

    /// <summary>
    /// Runs the action the person confirmed (<paramref name="confirmed"/>, from a preview: its precondition, its values and
    /// its fingerprint): authorise; validate (values that are not the previewed ones, i.e. a fingerprint that does not match,
    /// are refused as <see cref="ActionStatus.Invalid"/>, and so are values the rules refuse); dry run again from that state
    /// (refused with <see cref="ActionStatus.Conflict"/> if the agent moved on); apply exactly those values; verify (bounded
    /// by the configured timeout); and write one audit record whatever happens. Never throws for an outcome.
    /// </summary>
    /// <param name="progress">Told about each step and, while verifying, the ready count; may be null.</param>
    /// <param name="cancellationToken">
    /// Cancels waiting, not what is done: cancelled before Apply, nothing changes; cancelled during verification, the change
    /// stays and the outcome is <see cref="ActionStatus.Unverified"/> ("verification cancelled"). Either way it is audited.
    /// </param>
    /// <param name="user">The signed-in person; authorised for <paramref name="kind"/> on the server, whatever the UI showed.</param>
    /// <param name="kind">The action to run.</param>
    /// <param name="target">The agent it acts on.</param>
    /// <param name="confirmed">What the person confirmed: the preview's precondition, values and fingerprint.</param>
    Task<ActionOutcome> ExecuteAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, Confirmation confirmed,
        IProgress<ActionProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Whether the action is running for the agent right now (a UI disables its button meanwhile).</summary>
    bool IsRunning(ActionKind kind, AgentRef target);
}

/// <summary>Shorthands for actions that take no values (a restart): no request, confirmed by the precondition alone.</summary>
public static class ActionExecutorExtensions
{
    public static Task<PreviewResult> PreviewAsync(this IActionExecutor executor, ClaimsPrincipal user, ActionKind kind, AgentRef target,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        return executor.PreviewAsync(user, kind, target, ActionRequest.None, cancellationToken);
    }

    public static Task<ActionOutcome> ExecuteAsync(this IActionExecutor executor, ClaimsPrincipal user, ActionKind kind, AgentRef target,
        Precondition confirmed, IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        return executor.ExecuteAsync(user, kind, target, Confirmation.Of(confirmed), progress, cancellationToken);
    }
}

/// <summary>A preview, or why there is none (then <see cref="Status"/> says which refusal or failure, <see cref="Error"/> why).</summary>
public sealed record PreviewResult(ActionPlan? Plan, ActionStatus? Status, string? Error)
{
    public static PreviewResult Ready(ActionPlan plan) => new(plan, null, null);

    public static PreviewResult Refused(ActionStatus status, string error) => new(null, status, error);

    public bool Succeeded => Plan is not null;
}
