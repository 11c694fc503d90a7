using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Audit;

/// <summary>The audit database: action attempts, and incidents with their timelines and checklist ticks. Created at start (<see cref="AuditSchema"/>).</summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditRecord> Records => Set<AuditRecord>();

    public DbSet<Incidents.IncidentRecord> Incidents => Set<Incidents.IncidentRecord>();

    public DbSet<Incidents.IncidentEntryRecord> IncidentEntries => Set<Incidents.IncidentEntryRecord>();

    public DbSet<Incidents.IncidentTickRecord> IncidentTicks => Set<Incidents.IncidentTickRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var record = modelBuilder.Entity<AuditRecord>();
        record.ToTable("audit");
        record.HasKey(r => r.Id);
        record.HasIndex(r => r.ActionId).IsUnique();
        record.HasIndex(r => new { r.Namespace, r.Agent });
        Kosmos.Dashboard.Incidents.IncidentRecord.Configure(modelBuilder);
    }
}

/// <summary>One attempt as stored. Times are UTC; the row id orders records by when they were written.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public required string ActionId { get; set; }

    public DateTime AtUtc { get; set; }

    public long DurationMs { get; set; }

    public required string User { get; set; }

    public required string Role { get; set; }

    public required string Namespace { get; set; }

    public required string Agent { get; set; }

    public required string Action { get; set; }

    public required string Status { get; set; }

    /// <summary>The dry run's change lines (before → after), one per line; empty when there was no preview.</summary>
    public required string Preview { get; set; }

    /// <summary>Every step with its state and detail, one per line: what was and was not done.</summary>
    public required string Steps { get; set; }

    public string? Verification { get; set; }

    public string? Error { get; set; }
}
