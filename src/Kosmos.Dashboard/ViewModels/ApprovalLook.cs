using Kosmos.Recovery.Approvals;
using MudBlazor;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>How an approval request reads to the person who asked for it: one sentence and a severity. Pure.</summary>
public static class ApprovalLook
{
    /// <summary>What the request's state means for the requester, in words they can act on.</summary>
    public static string Text(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Status switch
        {
            ApprovalStatus.Pending => $"Awaiting the approval of an incident commander other than {request.RequestedBy.Name}, until {request.ExpiresAt:u}. Nothing was changed yet.",
            ApprovalStatus.Approved => $"Approved by {request.DecidedBy?.Name}.",
            ApprovalStatus.Rejected => $"Rejected by {request.DecidedBy?.Name}: {request.Reason}. Nothing was changed.",
            ApprovalStatus.Expired => $"Expired at {request.ExpiresAt:u}: no incident commander decided in time. Nothing was changed; request again if it is still needed.",
            ApprovalStatus.Cancelled => $"Cancelled by {request.DecidedBy?.Name ?? request.RequestedBy.Name}. Nothing was changed.",
            _ => $"The agent changed since the request; request again. Nothing was applied.{(request.Reason is { } why ? $" ({why})" : "")}",
        };
    }

    public static Severity SeverityOf(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => Severity.Info,
        ApprovalStatus.Approved => Severity.Success,
        ApprovalStatus.Rejected or ApprovalStatus.Void => Severity.Error,
        _ => Severity.Warning,
    };
}
