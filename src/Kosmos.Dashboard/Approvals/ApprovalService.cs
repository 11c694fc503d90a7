using System.Security.Claims;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Microsoft.AspNetCore.Authorization;

namespace Kosmos.Dashboard.Approvals;

/// <summary>What a decision on a request came to: the request as it is now, or why the decision was refused.</summary>
public sealed record ApprovalDecision(ApprovalRequest? Request, ApprovalDecisionStatus Status, string? Error)
{
    public bool Succeeded => Status == ApprovalDecisionStatus.Done;
}

public enum ApprovalDecisionStatus
{
    Done,
    NotFound,

    /// <summary>The person may not decide (role, or their own request).</summary>
    Refused,

    /// <summary>The request is no longer pending (expired, decided, cancelled, void), or is void now because the agent changed.</summary>
    Conflict,

    Invalid,
}

/// <summary>
/// Decisions on approval requests: approve (by an incident commander who is not the requester; the plan is made again
/// against the current state and the approval is void if anything it touches changed; otherwise the action runs in the
/// background and <see cref="ApprovalRequest.ActionId"/> names it), reject with a reason, cancel by the requester.
/// Authorised on the server for each call. A singleton; thread-safe; one decision at a time.
/// </summary>
public sealed partial class ApprovalService(
    ApprovalStore store,
    ActionExecutor executor,
    IAuthorizationService authorization,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ApprovalService> logger,
    SessionRegistry sessions) : IApprovalDecisions
{
    public async Task<ApprovalDecision> ApproveAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        if (EndedSession(user, id) is { } ended)
        {
            return ended;
        }

        var approver = ActorOf(user);
        var isCommander = await IsCommanderAsync(user);
        var actionId = Guid.NewGuid();
        ActionPlan? replanned = null;
        var (request, refusal) = await store.DecideAsync(id, async current =>
        {
            if (ApprovalRules.WhyNotApprove(current, approver, isCommander, time.GetUtcNow()) is { } why)
            {
                return (null, why);
            }

            var (plan, changed) = await executor.ReplanAsync(current, ct);
            if (plan is null)
            {
                return (current with { Status = ApprovalStatus.Void, DecidedBy = approver, DecidedAt = time.GetUtcNow(), Reason = $"changed since the request; request again: {changed}" },
                    $"{ActionCatalog.Get(current.Kind).Title} of {current.Target} changed since the request; request again. Nothing was applied. ({changed})");
            }

            replanned = plan;
            return (current with { Status = ApprovalStatus.Approved, DecidedBy = approver, DecidedAt = time.GetUtcNow(), ActionId = actionId }, null);
        }, ct);

        if (request is null)
        {
            return new ApprovalDecision(null, ApprovalDecisionStatus.NotFound, $"There is no approval request {id:D}.");
        }

        if (refusal is not null)
        {
            var status = !isCommander || (request.Status == ApprovalStatus.Pending && ApprovalRules.IsSamePerson(request.RequestedBy, approver))
                ? ApprovalDecisionStatus.Refused
                : ApprovalDecisionStatus.Conflict;
            LogRefused(id, approver.Name, refusal);
            return new ApprovalDecision(request, status, refusal);
        }

        // In the background, on the dashboard's lifetime (not the request's): the approver may leave; everyone sees progress.
        _ = Task.Run(() => executor.RunApprovedAsync(request, replanned!, approver, actionId, lifetime.ApplicationStopping), CancellationToken.None);
        LogApproved(id, approver.Name, actionId);
        return new ApprovalDecision(request, ApprovalDecisionStatus.Done, null);
    }

    public async Task<ApprovalDecision> RejectAsync(ClaimsPrincipal user, Guid id, string? reason, CancellationToken ct)
    {
        if (EndedSession(user, id) is { } ended)
        {
            return ended;
        }

        var actor = ActorOf(user);
        var isCommander = await IsCommanderAsync(user);
        var (request, refusal) = await store.DecideAsync(id, current => Task.FromResult(
            ApprovalRules.WhyNotReject(current, actor, isCommander, reason, time.GetUtcNow()) is { } why
                ? ((ApprovalRequest?)null, (string?)why)
                : (current with { Status = ApprovalStatus.Rejected, DecidedBy = actor, DecidedAt = time.GetUtcNow(), Reason = reason!.Trim() }, null)), ct);
        return Result(id, request, refusal, !isCommander ? ApprovalDecisionStatus.Refused
            : string.IsNullOrWhiteSpace(reason) ? ApprovalDecisionStatus.Invalid : ApprovalDecisionStatus.Conflict);
    }

    public async Task<ApprovalDecision> CancelAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        if (EndedSession(user, id) is { } ended)
        {
            return ended;
        }

        var actor = ActorOf(user);
        var (request, refusal) = await store.DecideAsync(id, current => Task.FromResult(
            ApprovalRules.WhyNotCancel(current, actor, time.GetUtcNow()) is { } why
                ? ((ApprovalRequest?)null, (string?)why)
                : (current with { Status = ApprovalStatus.Cancelled, DecidedBy = actor, DecidedAt = time.GetUtcNow() }, null)), ct);
        return Result(id, request, refusal, request is not null && !ApprovalRules.IsSamePerson(request.RequestedBy, actor)
            ? ApprovalDecisionStatus.Refused : ApprovalDecisionStatus.Conflict);
    }

    // A page left open after signing out elsewhere keeps its principal: no decision from a session that has ended.
    private ApprovalDecision? EndedSession(ClaimsPrincipal user, Guid id)
    {
        if (!sessions.HasEnded(user))
        {
            return null;
        }

        var actor = ActorOf(user);
        var message = SessionRegistry.EndedMessage(actor.ToString());
        LogRefused(id, actor.Name, message);
        return new ApprovalDecision(null, ApprovalDecisionStatus.Refused, message);
    }

    private static ApprovalDecision Result(Guid id, ApprovalRequest? request, string? refusal, ApprovalDecisionStatus whenRefused) =>
        request is null ? new ApprovalDecision(null, ApprovalDecisionStatus.NotFound, $"There is no approval request {id:D}.")
        : refusal is null ? new ApprovalDecision(request, ApprovalDecisionStatus.Done, null)
        : new ApprovalDecision(request, whenRefused, refusal);

    private async Task<bool> IsCommanderAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, KosmosPolicies.Approve)).Succeeded;

    private static Actor ActorOf(ClaimsPrincipal user) => ActionExecutor.ActorOf(user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval {ApprovalId} approved by {User}; running as action {ActionId}")]
    private partial void LogApproved(Guid approvalId, string user, Guid actionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval {ApprovalId}: {User} was refused: {Reason}")]
    private partial void LogRefused(Guid approvalId, string user, string reason);
}
