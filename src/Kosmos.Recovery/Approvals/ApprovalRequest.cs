using Kosmos.Recovery.Actions;

namespace Kosmos.Recovery.Approvals;

public enum ApprovalStatus
{
    /// <summary>Waiting for an incident commander (until it expires).</summary>
    Pending,

    /// <summary>Approved: the action ran (or runs) as <see cref="ApprovalRequest.ActionId"/>.</summary>
    Approved,

    Rejected,

    /// <summary>Nobody decided before <see cref="ApprovalRequest.ExpiresAt"/>.</summary>
    Expired,

    /// <summary>Withdrawn by the requester.</summary>
    Cancelled,

    /// <summary>On approval the agent had changed since the request, so the approved plan was not applied.</summary>
    Void,
}

/// <summary>
/// A confirmed action waiting for a second person: exactly the plan the requester confirmed (values, precondition, dry-run
/// lines, sealed by the executor's fingerprint), who asked and when it expires, and how it was decided. Immutable.
/// </summary>
public sealed record ApprovalRequest(
    Guid Id,
    ActionPlan Plan,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    ApprovalStatus Status)
{
    public ActionKind Kind => Plan.Kind;

    public AgentRef Target => Plan.Target;

    public Actor? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Why it was rejected or voided; null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>The action that ran on approval (its audit record), or null.</summary>
    public Guid? ActionId { get; init; }

    /// <summary>The status as of <paramref name="now"/>: a pending request past its expiry is expired.</summary>
    public ApprovalStatus StatusAt(DateTimeOffset now) => Status == ApprovalStatus.Pending && now >= ExpiresAt ? ApprovalStatus.Expired : Status;

    /// <summary>One line for a page: "Reset of kosmos/planner requested by ada — Pending until 10:15:00".</summary>
    public override string ToString() => $"{ActionCatalog.Get(Kind).Title} of {Target} requested by {RequestedBy.Name} — {Status}";
}

/// <summary>Who may decide a request, as pure rules: each refusal is a sentence the person can act on.</summary>
public static class ApprovalRules
{
    /// <summary>Why <paramref name="approver"/> may not approve <paramref name="request"/> now, or null when they may.</summary>
    public static string? WhyNotApprove(ApprovalRequest request, Actor approver, bool isIncidentCommander, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(approver);
        if (!isIncidentCommander)
        {
            return $"{approver} may not approve actions: that needs the IncidentCommander role.";
        }

        return NotPending(request, now, "approved")
            ?? (IsSamePerson(request.RequestedBy, approver)
                ? $"{SelfName(request.RequestedBy, approver)} requested this {ActionCatalog.Get(request.Kind).Title.ToLowerInvariant()} and may not approve it: another incident commander must (no self-approval, also for incident commanders)."
                : null);
    }

    /// <summary>Why <paramref name="actor"/> may not reject it now, or null.</summary>
    public static string? WhyNotReject(ApprovalRequest request, Actor actor, bool isIncidentCommander, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!isIncidentCommander)
        {
            return $"{actor} may not reject actions: that needs the IncidentCommander role.";
        }

        return NotPending(request, now, "rejected")
            ?? (string.IsNullOrWhiteSpace(reason) ? "A rejection needs a reason: {\"reason\": \"...\"}." : null);
    }

    /// <summary>Why <paramref name="actor"/> may not cancel it now, or null (only the requester may).</summary>
    public static string? WhyNotCancel(ApprovalRequest request, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        return !IsSamePerson(request.RequestedBy, actor)
            ? $"Only the requester ({request.RequestedBy.Name}) may cancel this request; {actor.Name} may reject it instead, as an incident commander."
            : NotPending(request, now, "cancelled");
    }

    /// <summary>
    /// Whether two actors are one person: by their stable ids when both have one (an issuer's subject: two people may
    /// share a display name, and one person may rename themselves to look like another), else by display name.
    /// </summary>
    public static bool IsSamePerson(Actor a, Actor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Id is { Length: > 0 } idA && b.Id is { Length: > 0 } idB
            ? string.Equals(idA, idB, StringComparison.Ordinal)
            : string.Equals(a.Name.Trim(), b.Name.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    // One person under two display names (a renamed account) is named as both, so the refusal makes sense to them.
    private static string SelfName(Actor requester, Actor approver) =>
        string.Equals(requester.Name, approver.Name, StringComparison.Ordinal) ? approver.Name : $"{approver.Name} (as {requester.Name})";

    private static string? NotPending(ApprovalRequest request, DateTimeOffset now, string verb) => request.StatusAt(now) switch
    {
        ApprovalStatus.Pending => null,
        ApprovalStatus.Expired => $"This request expired at {request.ExpiresAt:u} and can no longer be {verb}; request the action again.",
        ApprovalStatus.Approved => $"This request was already approved by {request.DecidedBy?.Name} at {request.DecidedAt:u}; it cannot be {verb} again.",
        ApprovalStatus.Rejected => $"This request was rejected by {request.DecidedBy?.Name} ({request.Reason}); it cannot be {verb}. Request the action again.",
        ApprovalStatus.Cancelled => $"This request was cancelled by {request.RequestedBy.Name}; it cannot be {verb}. Request the action again.",
        _ => $"This request is void ({request.Reason}); it cannot be {verb}. Request the action again.",
    };
}

/// <summary>
/// The approval requests: persisted (they survive a restart), and streamed live to pages and in-process subscribers (the
/// header badge, the Approvals page, an incident timeline).
/// </summary>
/// <remarks>
/// <para>Lifetime: a singleton. Threading: thread-safe; <see cref="WatchAsync"/> yields on the service's threads (a UI must
/// marshal), each watcher with its own bounded buffer.</para>
/// <para>Cancellation: <see cref="WatchAsync"/> ends without an exception when its token is cancelled.</para>
/// </remarks>
public interface IApprovals
{
    /// <summary>Requests, newest first; only those with <paramref name="status"/> (as of now: a pending one past expiry is Expired) when given.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken);

    Task<ApprovalRequest?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>How many requests are pending now (cheap; for a badge).</summary>
    int PendingCount { get; }

    /// <summary>Every request as it is created or decided (approved, rejected, cancelled, expired, void), from now on.</summary>
    IAsyncEnumerable<ApprovalRequest> WatchAsync(CancellationToken cancellationToken);
}
