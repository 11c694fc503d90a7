using System.Security.Claims;

namespace Kosmos.Dashboard.Approvals;

/// <summary>
/// Decisions on approval requests, as pages and dialogs make them (<see cref="ApprovalService"/>): each call authorises the
/// person again on the server and answers a refusal as a result, never as an exception.
/// </summary>
/// <remarks>Lifetime: a singleton. Threading: thread-safe; decisions on one request are serialised.
/// Cancellation: <c>ct</c> abandons waiting; a decision already stored stays.</remarks>
public interface IApprovalDecisions
{
    Task<ApprovalDecision> ApproveAsync(ClaimsPrincipal user, Guid id, CancellationToken ct);

    Task<ApprovalDecision> RejectAsync(ClaimsPrincipal user, Guid id, string? reason, CancellationToken ct);

    /// <summary>Withdraws a pending request; only its requester may.</summary>
    Task<ApprovalDecision> CancelAsync(ClaimsPrincipal user, Guid id, CancellationToken ct);
}
