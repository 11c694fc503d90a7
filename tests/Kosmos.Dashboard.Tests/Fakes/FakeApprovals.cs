using System.Collections.Concurrent;
using System.Security.Claims;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Approvals;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>
/// Approval requests held in memory for component and view-model tests: a test files and decides them by hand
/// (<see cref="Put"/>), watchers see each change; decisions made through <see cref="IApprovalDecisions"/> are recorded and
/// answered as told (a cancel by the requester succeeds unless <see cref="CancelRefusal"/> is set).
/// </summary>
public sealed class FakeApprovals : IApprovals, IApprovalDecisions
{
    private readonly ConcurrentDictionary<Guid, ApprovalRequest> _requests = new();
    private readonly Broadcast<ApprovalRequest> _broadcast = new();
    private int _cancels;

    public int Cancels => Volatile.Read(ref _cancels);

    /// <summary>When set, a cancel is refused with this message.</summary>
    public string? CancelRefusal { get; set; }

    public int PendingCount => _requests.Values.Count(r => r.Status == ApprovalStatus.Pending);

    /// <summary>A pending request of <paramref name="plan"/> by <paramref name="requester"/>, stored and announced.</summary>
    public ApprovalRequest File(ActionPlan plan, string requester = "ada", Guid? id = null) =>
        Put(new ApprovalRequest(id ?? Guid.NewGuid(), plan, new Actor(requester, "Operator"), TestData.Now, TestData.Now.AddMinutes(15), ApprovalStatus.Pending));

    /// <summary>Stores the request as it is now and tells every watcher.</summary>
    public ApprovalRequest Put(ApprovalRequest request)
    {
        _requests[request.Id] = request;
        _broadcast.Publish(request);
        return request;
    }

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApprovalRequest>>([.. _requests.Values.Where(r => status is null || r.Status == status).OrderByDescending(r => r.RequestedAt)]);

    public Task<ApprovalRequest?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_requests.GetValueOrDefault(id));

    public IAsyncEnumerable<ApprovalRequest> WatchAsync(CancellationToken cancellationToken) => _broadcast.WatchAsync(cancellationToken);

    public Task<ApprovalDecision> ApproveAsync(ClaimsPrincipal user, Guid id, CancellationToken ct) =>
        throw new NotSupportedException("approve through the real ApprovalService (ApprovalServiceTests)");

    public Task<ApprovalDecision> RejectAsync(ClaimsPrincipal user, Guid id, string? reason, CancellationToken ct) =>
        throw new NotSupportedException("reject through the real ApprovalService (ApprovalServiceTests)");

    public Task<ApprovalDecision> CancelAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        Interlocked.Increment(ref _cancels);
        if (!_requests.TryGetValue(id, out var request))
        {
            return Task.FromResult(new ApprovalDecision(null, ApprovalDecisionStatus.NotFound, $"There is no approval request {id:D}."));
        }

        if (CancelRefusal is { } refusal)
        {
            return Task.FromResult(new ApprovalDecision(request, ApprovalDecisionStatus.Conflict, refusal));
        }

        var cancelled = Put(request with { Status = ApprovalStatus.Cancelled, DecidedBy = new Actor(user.Identity?.Name ?? "?", "Operator"), DecidedAt = TestData.Now });
        return Task.FromResult(new ApprovalDecision(cancelled, ApprovalDecisionStatus.Done, null));
    }
}
