using Kosmos.Recovery.Approvals;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.Incidents;

/// <summary>
/// Puts approval requests and decisions on the agent's open incident: follows the approvals' own stream
/// (<see cref="IApprovals.WatchAsync"/>) and tells every <see cref="IApprovalObserver"/> who requested, approved or
/// rejected, and when. Expiry, cancellation and voiding are on the audit and the Approvals page, not the timeline.
/// A hosted singleton; the stream ends with the host.
/// </summary>
public sealed class ApprovalTimelineFeed(IApprovals approvals, IEnumerable<IApprovalObserver> observers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in approvals.WatchAsync(stoppingToken))
        {
            if (ToNotice(request) is not { } notice)
            {
                continue;
            }

            foreach (var observer in observers)
            {
                observer.ApprovalChanged(notice);
            }
        }
    }

    /// <summary>The timeline's fact for a request as it is now, or null when it is nothing the timeline records.</summary>
    public static ApprovalNotice? ToNotice(ApprovalRequest request) => request.Status switch
    {
        ApprovalStatus.Pending => new ApprovalNotice(request.Id, ApprovalDecision.Requested, request.Kind, request.Target, request.RequestedBy, request.RequestedAt),
        ApprovalStatus.Approved when request.DecidedBy is { } by =>
            new ApprovalNotice(request.Id, ApprovalDecision.Approved, request.Kind, request.Target, by, request.DecidedAt ?? request.RequestedAt),
        ApprovalStatus.Rejected when request.DecidedBy is { } by =>
            new ApprovalNotice(request.Id, ApprovalDecision.Rejected, request.Kind, request.Target, by, request.DecidedAt ?? request.RequestedAt, request.Reason),
        _ => null,
    };
}
