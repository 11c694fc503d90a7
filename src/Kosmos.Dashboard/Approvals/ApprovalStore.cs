using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Audit;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Approvals;

/// <summary>
/// Approval requests in the audit database (table <c>approvals</c>), with the live stream of changes (<see cref="IApprovals"/>).
/// Writes are serialised, so "one pending request per agent and action" holds across concurrent confirmations. A singleton;
/// thread-safe; disposed by the container when the host has stopped.
/// </summary>
public sealed class ApprovalStore(IDbContextFactory<AuditDbContext> contexts, TimeProvider time, Kosmos.Dashboard.Infrastructure.DashboardMetrics? metrics = null) : IApprovals, IDisposable
{
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Broadcast<ApprovalRequest> _broadcast = new();
    private int _pending = -1;

    public int PendingCount => Math.Max(Volatile.Read(ref _pending), 0);

    public void Dispose() => _write.Dispose();

    /// <summary>
    /// Stores a new pending request for <paramref name="plan"/>, unless one is pending for the same agent and action: then
    /// returns that one as <c>Existing</c> and stores nothing.
    /// </summary>
    public async Task<(ApprovalRequest Request, bool Created)> CreateAsync(ActionPlan plan, Actor requester, TimeSpan expiry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _write.WaitAsync(ct);
        try
        {
            await ExpireDueAsync(ct);
            var existing = (await ListAsync(ApprovalStatus.Pending, ct)).FirstOrDefault(r => r.Kind == plan.Kind && r.Target == plan.Target);
            if (existing is not null)
            {
                return (existing, false);
            }

            var now = time.GetUtcNow();
            var request = new ApprovalRequest(Guid.NewGuid(), plan, requester, now, now + expiry, ApprovalStatus.Pending);
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.Approvals.Add(ToRecord(request));
            await db.SaveChangesAsync(ct);
            await RecountAsync(ct);
            Publish(request);
            return (request, true);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// Changes a request if <paramref name="decide"/> allows it, atomically with respect to every other decision: it gets the
    /// request as now stored (expired ones already marked) and returns the new state, or a refusal. Null when there is no such request.
    /// </summary>
    public async Task<(ApprovalRequest? Request, string? Refusal)> DecideAsync(Guid id, Func<ApprovalRequest, Task<(ApprovalRequest? Next, string? Refusal)>> decide,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decide);
        await _write.WaitAsync(ct);
        try
        {
            await ExpireDueAsync(ct);
            if (await FindAsync(id, ct) is not { } current)
            {
                return (null, null);
            }

            var (next, refusal) = await decide(current);
            if (next is null)
            {
                return (current, refusal);
            }

            await SaveAsync(next, ct);
            return (next, refusal);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Records the action that ran on approval.</summary>
    public async Task SetActionAsync(Guid id, Guid actionId, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            if (await FindAsync(id, ct) is { } current)
            {
                await SaveAsync(current with { ActionId = actionId }, ct);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var records = await db.Approvals.AsNoTracking().OrderByDescending(a => a.RequestedAtUtc).Take(500).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. records.Select(FromRecord).OfType<ApprovalRequest>()
            .Select(r => r.StatusAt(now) == r.Status ? r : r with { Status = r.StatusAt(now) })
            .Where(r => status is null || r.Status == status)];
    }

    public async Task<ApprovalRequest?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = id.ToString("D");
        var record = await db.Approvals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == key, cancellationToken);
        return record is null ? null : FromRecord(record) is { } r ? (r.StatusAt(time.GetUtcNow()) == r.Status ? r : r with { Status = ApprovalStatus.Expired }) : null;
    }

    /// <summary>Marks pending requests past their expiry as Expired (and tells watchers); returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = nameof(ApprovalStatus.Pending);
        var due = await db.Approvals.Where(a => a.Status == pending && a.ExpiresAtUtc <= now).ToListAsync(ct);
        foreach (var record in due)
        {
            record.Status = nameof(ApprovalStatus.Expired);
        }

        await db.SaveChangesAsync(ct);
        foreach (var record in due)
        {
            if (FromRecord(record) is { } expired)
            {
                metrics?.RecordApprovalWait(expired.Kind, "expired", expired.ExpiresAt - expired.RequestedAt);
                Publish(expired);
            }
        }

        await RecountAsync(ct);
        return due.Count;
    }

    public IAsyncEnumerable<ApprovalRequest> WatchAsync(CancellationToken cancellationToken) => _broadcast.WatchAsync(cancellationToken);

    private async Task SaveAsync(ApprovalRequest request, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = request.Id.ToString("D");
        var record = await db.Approvals.FirstAsync(a => a.Id == key, ct);
        var updated = ToRecord(request);
        var decidedNow = record.Status == nameof(ApprovalStatus.Pending) && request.Status != ApprovalStatus.Pending;
        db.Entry(record).CurrentValues.SetValues(updated);
        await db.SaveChangesAsync(ct);
        await RecountAsync(ct);
        if (decidedNow)
        {
            // Once per request, at its decision (later saves only add the action's id).
            metrics?.RecordApprovalWait(request.Kind, request.Status.ToString().ToLowerInvariant(), (request.DecidedAt ?? time.GetUtcNow()) - request.RequestedAt);
        }

        Publish(request);
    }

    private async Task RecountAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = nameof(ApprovalStatus.Pending);
        var now = time.GetUtcNow().UtcDateTime;
        Volatile.Write(ref _pending, await db.Approvals.CountAsync(a => a.Status == pending && a.ExpiresAtUtc > now, ct));
    }

    private void Publish(ApprovalRequest request)
    {
        _broadcast.Publish(request);
    }

    private static ApprovalRecord ToRecord(ApprovalRequest r) => new()
    {
        Id = r.Id.ToString("D"),
        Action = ActionCatalog.Get(r.Kind).Slug,
        Namespace = r.Target.Namespace,
        Agent = r.Target.Name,
        PlanJson = StoredPlan.Serialize(r.Plan),
        RequestedBy = r.RequestedBy.Name,
        RequestedByRole = r.RequestedBy.Role,
        RequestedById = r.RequestedBy.Id,
        RequestedAtUtc = r.RequestedAt.UtcDateTime,
        ExpiresAtUtc = r.ExpiresAt.UtcDateTime,
        Status = r.Status.ToString(),
        DecidedBy = r.DecidedBy?.Name,
        DecidedByRole = r.DecidedBy?.Role,
        DecidedById = r.DecidedBy?.Id,
        DecidedAtUtc = r.DecidedAt?.UtcDateTime,
        Reason = r.Reason,
        ActionId = r.ActionId?.ToString("D"),
    };

    private static ApprovalRequest? FromRecord(ApprovalRecord a)
    {
        if (StoredPlan.Deserialize(a.PlanJson) is not { } plan || !Enum.TryParse<ApprovalStatus>(a.Status, out var status))
        {
            return null;
        }

        return new ApprovalRequest(Guid.Parse(a.Id), plan, new Actor(a.RequestedBy, a.RequestedByRole, a.RequestedById), Utc(a.RequestedAtUtc), Utc(a.ExpiresAtUtc), status)
        {
            DecidedBy = a.DecidedBy is null ? null : new Actor(a.DecidedBy, a.DecidedByRole ?? "none", a.DecidedById),
            DecidedAt = a.DecidedAtUtc is { } at ? Utc(at) : null,
            Reason = a.Reason,
            ActionId = Guid.TryParse(a.ActionId, out var actionId) ? actionId : null,
        };
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>Marks pending requests Expired when their time is up (every 15 s), so badges and watchers learn without a reader asking.</summary>
internal sealed class ApprovalExpiry(ApprovalStore store, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await store.ExpireDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
