using Kosmos.Recovery.Actions;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Audit;

/// <summary>The exports kept in the audit database (written by <see cref="SqliteAuditLog"/>). A singleton; thread-safe.</summary>
public sealed class SqliteStateExports(IDbContextFactory<AuditDbContext> contexts) : IStateExports
{
    public async Task<IReadOnlyList<StateExportInfo>> ListAsync(AgentRef agent, int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The content stays in the database: a list reads only the small columns.
        var rows = await db.Exports.AsNoTracking()
            .Where(e => e.Namespace == agent.Namespace && e.Agent == agent.Name)
            .OrderByDescending(e => e.CreatedAtUtc)
            .Take(Math.Clamp(count, 1, 500))
            .Select(e => new { e.Id, e.Namespace, e.Agent, e.Pod, e.Size, e.Sha256, e.Conversations, e.CreatedBy, e.CreatedAtUtc })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(e => new StateExportInfo(Guid.Parse(e.Id), new AgentRef(e.Namespace, e.Agent), e.Pod, e.Size, e.Sha256, e.Conversations, e.CreatedBy, Utc(e.CreatedAtUtc)))];
    }

    public async Task<(StateExportInfo Info, byte[] Content)?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = id.ToString("D");
        var e = await db.Exports.AsNoTracking().FirstOrDefaultAsync(x => x.Id == key, cancellationToken);
        return e is null
            ? null
            : (new StateExportInfo(id, new AgentRef(e.Namespace, e.Agent), e.Pod, e.Size, e.Sha256, e.Conversations, e.CreatedBy, Utc(e.CreatedAtUtc)), e.Content);
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
