using System.Text.Json;
using Kosmos.Dashboard.Audit;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Incidents;

/// <summary>Incidents in the audit database (SQLite through EF Core). Each call uses its own short-lived context.</summary>
public sealed class SqliteIncidentStore(IDbContextFactory<AuditDbContext> contexts) : IIncidentStore
{
    public async Task<IReadOnlyList<Incident>> LoadAsync(int resolved, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = nameof(IncidentStatus.Open);
        var headers = await db.Incidents.AsNoTracking().Where(i => i.Status == open).ToListAsync(cancellationToken);
        headers.AddRange(await db.Incidents.AsNoTracking().Where(i => i.Status != open)
            .OrderByDescending(i => i.ResolvedAtUtc).Take(Math.Max(0, resolved)).ToListAsync(cancellationToken));
        var ids = headers.Select(h => h.Id).ToList();
        var entries = (await db.IncidentEntries.AsNoTracking().Where(e => ids.Contains(e.IncidentId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.IncidentId);
        var ticks = (await db.IncidentTicks.AsNoTracking().Where(t => ids.Contains(t.IncidentId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.IncidentId);
        return [.. headers.Select(h => ToIncident(h, entries[h.Id], ticks[h.Id]))];
    }

    public async Task SaveAsync(Incident incident, IReadOnlyList<TimelineEntry> added, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(added);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = incident.Id.ToString("D");
        var header = await db.Incidents.FindAsync([id], cancellationToken);
        if (header is null)
        {
            header = new IncidentRecord
            {
                Id = id, Namespace = "", Agent = "", Status = "", FailureMode = "", RunbookSection = "", Summary = "", Evidence = "", OpenedBy = "", CurrentState = "",
            };
            db.Incidents.Add(header);
        }

        Fill(header, incident);
        db.IncidentEntries.AddRange(added.Select(e => new IncidentEntryRecord
        {
            IncidentId = id,
            Sequence = e.Sequence,
            AtUtc = e.At.UtcDateTime,
            Kind = e.Kind.ToString(),
            Text = e.Text,
            Actor = e.Actor,
            Lines = JsonSerializer.Serialize(e.Lines.ToArray()),
            Action = e.Action,
            Ref = e.Ref,
        }));

        // Ticks are few and can be withdrawn (a verification made void), so they are replaced as a whole.
        db.IncidentTicks.RemoveRange(db.IncidentTicks.Where(t => t.IncidentId == id));
        db.IncidentTicks.AddRange(incident.Ticks.Select(t => new IncidentTickRecord { IncidentId = id, Item = t.Item.ToString(), By = t.By, AtUtc = t.At.UtcDateTime }));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Fill(IncidentRecord r, Incident i)
    {
        r.Namespace = i.Namespace;
        r.Agent = i.Agent;
        r.Status = i.Status.ToString();
        r.FailureMode = i.FailureMode.ToString();
        r.RunbookSection = i.RunbookSection.ToString();
        r.Summary = i.Summary;
        r.Evidence = string.Join('\n', i.Evidence);
        r.DetectedAtUtc = i.DetectedAt.UtcDateTime;
        r.ProblemSinceUtc = i.ProblemSince?.UtcDateTime;
        r.OpenedBy = i.OpenedBy;
        r.CurrentState = i.CurrentState.ToString();
        r.QuietSinceUtc = i.QuietSince?.UtcDateTime;
        r.RecoveredAtUtc = i.RecoveredAt?.UtcDateTime;
        r.VerifiedAtUtc = i.VerifiedAt?.UtcDateTime;
        r.ResolvedAtUtc = i.ResolvedAt?.UtcDateTime;
        r.ResolvedBy = i.ResolvedBy;
        r.RootCause = i.RootCause;
    }

    private static Incident ToIncident(IncidentRecord r, IEnumerable<IncidentEntryRecord> entries, IEnumerable<IncidentTickRecord> ticks) => new(
        Guid.Parse(r.Id),
        r.Namespace,
        r.Agent,
        Enum.Parse<IncidentStatus>(r.Status),
        Enum.Parse<HealthState>(r.FailureMode),
        Enum.Parse<RunbookSection>(r.RunbookSection),
        r.Summary,
        [.. r.Evidence.Length == 0 ? [] : r.Evidence.Split('\n')],
        Utc(r.DetectedAtUtc),
        Utc(r.ProblemSinceUtc),
        r.OpenedBy,
        Enum.Parse<HealthState>(r.CurrentState),
        Utc(r.QuietSinceUtc),
        Utc(r.RecoveredAtUtc),
        Utc(r.VerifiedAtUtc),
        Utc(r.ResolvedAtUtc),
        r.ResolvedBy,
        r.RootCause,
        [.. entries.OrderBy(e => e.Sequence).Select(e => new TimelineEntry(e.Sequence, Utc(e.AtUtc), Enum.Parse<TimelineKind>(e.Kind), e.Text, e.Actor,
            [.. JsonSerializer.Deserialize<string[]>(e.Lines) ?? []], e.Action, e.Ref))],
        [.. ticks.Select(t => new ChecklistTick(Enum.Parse<ChecklistItem>(t.Item), t.By, Utc(t.AtUtc))).OrderBy(t => t.Item)]);

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? Utc(value) : null;
}
