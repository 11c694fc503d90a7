using Kosmos.Recovery.Actions;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Audit;

/// <summary>The audit log in SQLite through EF Core. A singleton; each call uses its own short-lived context, so it is thread-safe.</summary>
public sealed class SqliteAuditLog(IDbContextFactory<AuditDbContext> contexts, Kosmos.Dashboard.Infrastructure.DashboardMetrics? metrics = null) : IAuditLog
{
    public async Task WriteAsync(ActionOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Records.Add(new AuditRecord
        {
            ActionId = outcome.Id.ToString("D"),
            AtUtc = outcome.StartedAt.UtcDateTime,
            DurationMs = (long)(outcome.FinishedAt - outcome.StartedAt).TotalMilliseconds,
            User = outcome.Actor.Name,
            Role = outcome.Actor.Role,
            Namespace = outcome.Target.Namespace,
            Agent = outcome.Target.Name,
            Action = ActionCatalog.Get(outcome.Kind).Slug,
            Status = outcome.Status.ToString(),
            Preview = outcome.Plan?.ChangesText ?? "",
            Steps = string.Join('\n', outcome.Steps.Select(s => s.ToString())),
            Verification = outcome.Verification?.Detail,
            Error = outcome.Error,
        });
        if (outcome.Verification?.Artifact is { } artifact
            && !await db.Exports.AnyAsync(e => e.Id == artifact.Id.ToString("D"), cancellationToken))
        {
            // In the same transaction as the attempt's record: an export is never kept without the audit that made it.
            db.Exports.Add(new StateExportRecord
            {
                Id = artifact.Id.ToString("D"),
                ActionId = outcome.Id.ToString("D"),
                Namespace = outcome.Target.Namespace,
                Agent = outcome.Target.Name,
                Pod = artifact.Pod,
                Size = artifact.Size,
                Sha256 = artifact.Sha256,
                Conversations = artifact.Conversations,
                CreatedBy = outcome.Actor.Name,
                CreatedAtUtc = outcome.FinishedAt.UtcDateTime,
                Content = artifact.Content,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        metrics?.RecordAction(outcome);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var records = await db.Records.AsNoTracking().OrderByDescending(r => r.Id).Take(Math.Clamp(count, 1, 1000)).ToListAsync(cancellationToken);
        return [.. records.Select(r => new AuditEntry(
            Guid.Parse(r.ActionId),
            new DateTimeOffset(DateTime.SpecifyKind(r.AtUtc, DateTimeKind.Utc)),
            r.User,
            r.Role,
            r.Namespace,
            r.Agent,
            r.Action,
            r.Status,
            r.Preview,
            r.Steps,
            r.Verification,
            r.Error,
            TimeSpan.FromMilliseconds(r.DurationMs)))];
    }
}
