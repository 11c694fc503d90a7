using System.Collections.Concurrent;
using Kosmos.Dashboard.Audit;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Terminal;

/// <summary>Whether the browser terminal is on here, and how long an idle session lives. Decided once at start.</summary>
public sealed record TerminalPolicy(bool Enabled, TimeSpan IdleTimeout);

/// <summary>A session as the audit keeps it.</summary>
public sealed record TerminalSessionEntry(Guid Id, string User, string Role, string Namespace, string Pod, string Container,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long BytesIn, long BytesOut, string? EndReason);

/// <summary>
/// The open sessions (one per browser tab) and their audit rows in the audit database. A singleton; thread-safe.
/// </summary>
public sealed class TerminalSessions(IDbContextFactory<AuditDbContext> contexts, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Guid> _byTab = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="tab"/> for a new session; false when that tab has one open already.</summary>
    public bool TryClaim(string tab, Guid session) => _byTab.TryAdd(tab, session);

    public void Release(string tab, Guid session) => _byTab.TryRemove(new KeyValuePair<string, Guid>(tab, session));

    public async Task StartedAsync(Guid id, string user, string role, string ns, string pod, string container)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.TerminalSessions.Add(new TerminalSessionRecord
        {
            Id = id.ToString("D"), User = user, Role = role, Namespace = ns, Pod = pod, Container = container, StartedAtUtc = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
    }

    public async Task EndedAsync(Guid id, long bytesIn, long bytesOut, string reason)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var row = await db.TerminalSessions.FirstOrDefaultAsync(r => r.Id == id.ToString("D"));
        if (row is null)
        {
            return;
        }

        row.EndedAtUtc = time.GetUtcNow().UtcDateTime;
        row.BytesIn = bytesIn;
        row.BytesOut = bytesOut;
        row.EndReason = reason;
        await db.SaveChangesAsync();
    }

    public async Task<IReadOnlyList<TerminalSessionEntry>> RecentAsync(int count, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.TerminalSessions.AsNoTracking().OrderByDescending(r => r.StartedAtUtc).Take(Math.Clamp(count, 1, 500)).ToListAsync(ct);
        return [.. rows.Select(r => new TerminalSessionEntry(Guid.Parse(r.Id), r.User, r.Role, r.Namespace, r.Pod, r.Container,
            Utc(r.StartedAtUtc), r.EndedAtUtc is { } end ? Utc(end) : null, r.BytesIn, r.BytesOut, r.EndReason))];
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
