using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Incidents;

/// <summary>An incident's header as stored (table <c>incidents</c>). Times are UTC; lists are one item per line.</summary>
public sealed class IncidentRecord
{
    public required string Id { get; set; }

    public required string Namespace { get; set; }

    public required string Agent { get; set; }

    public required string Status { get; set; }

    public required string FailureMode { get; set; }

    public required string RunbookSection { get; set; }

    public required string Summary { get; set; }

    public required string Evidence { get; set; }

    public DateTime DetectedAtUtc { get; set; }

    public DateTime? ProblemSinceUtc { get; set; }

    public required string OpenedBy { get; set; }

    public required string CurrentState { get; set; }

    public DateTime? QuietSinceUtc { get; set; }

    public DateTime? RecoveredAtUtc { get; set; }

    public DateTime? VerifiedAtUtc { get; set; }

    public DateTime? ResolvedAtUtc { get; set; }

    public string? ResolvedBy { get; set; }

    public string? RootCause { get; set; }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var incident = modelBuilder.Entity<IncidentRecord>();
        incident.ToTable("incidents");
        incident.HasKey(i => i.Id);
        incident.HasIndex(i => new { i.Namespace, i.Agent, i.Status });

        var entry = modelBuilder.Entity<IncidentEntryRecord>();
        entry.ToTable("incident_timeline");
        entry.HasKey(e => e.Id);
        entry.HasIndex(e => new { e.IncidentId, e.Sequence }).IsUnique();

        var tick = modelBuilder.Entity<IncidentTickRecord>();
        tick.ToTable("incident_checklist");
        tick.HasKey(t => t.Id);
        tick.HasIndex(t => new { t.IncidentId, t.Item }).IsUnique();
    }
}

/// <summary>One timeline entry as stored (table <c>incident_timeline</c>); <see cref="Lines"/> is a JSON array.</summary>
public sealed class IncidentEntryRecord
{
    public long Id { get; set; }

    public required string IncidentId { get; set; }

    public int Sequence { get; set; }

    public DateTime AtUtc { get; set; }

    public required string Kind { get; set; }

    public required string Text { get; set; }

    public string? Actor { get; set; }

    public required string Lines { get; set; }

    public string? Action { get; set; }

    public string? Ref { get; set; }
}

/// <summary>One ticked checklist item (table <c>incident_checklist</c>).</summary>
public sealed class IncidentTickRecord
{
    public long Id { get; set; }

    public required string IncidentId { get; set; }

    public required string Item { get; set; }

    public required string By { get; set; }

    public DateTime AtUtc { get; set; }
}
