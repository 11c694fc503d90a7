using Kosmos.Recovery.Actions;

namespace Kosmos.Recovery.Incidents;

/// <summary>
/// Told by the approval service when an action is put up for approval and when someone decides on it, so the agent's open
/// incident records it (who and when). Lifetime: a singleton; called on the approval service's thread: implementations return
/// at once and do not throw.
/// </summary>
public interface IApprovalObserver
{
    void ApprovalChanged(ApprovalNotice notice);
}

public enum ApprovalDecision
{
    Requested,
    Approved,
    Rejected,
}

/// <summary>One step of an approval: <paramref name="By"/> is the requester for <see cref="ApprovalDecision.Requested"/>, otherwise the decider.</summary>
/// <param name="Reason">A rejection's reason (or a note); null otherwise.</param>
/// <param name="ApprovalId">The approval request.</param>
/// <param name="Decision">Which step this is.</param>
/// <param name="Kind">The action put up for approval.</param>
/// <param name="Target">The agent it acts on.</param>
/// <param name="By">Who requested or decided.</param>
/// <param name="At">When.</param>
public sealed record ApprovalNotice(Guid ApprovalId, ApprovalDecision Decision, ActionKind Kind, AgentRef Target, Actor By, DateTimeOffset At, string? Reason = null);
