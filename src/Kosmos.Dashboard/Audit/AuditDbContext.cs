using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Audit;

/// <summary>
/// The audit database: action attempts, approval requests, the state exports actions made, terminal sessions, and incidents
/// with their timelines and checklist ticks. Created at start, and an existing database from an earlier version gets the
/// tables and columns it lacks (<see cref="AuditSchema"/>): add entities here, and nothing else is needed.
/// </summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditRecord> Records => Set<AuditRecord>();

    public DbSet<Incidents.IncidentRecord> Incidents => Set<Incidents.IncidentRecord>();

    public DbSet<Incidents.IncidentEntryRecord> IncidentEntries => Set<Incidents.IncidentEntryRecord>();

    public DbSet<Incidents.IncidentTickRecord> IncidentTicks => Set<Incidents.IncidentTickRecord>();

    public DbSet<StateExportRecord> Exports => Set<StateExportRecord>();

    public DbSet<TerminalSessionRecord> TerminalSessions => Set<TerminalSessionRecord>();

    public DbSet<ApprovalRecord> Approvals => Set<ApprovalRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var record = modelBuilder.Entity<AuditRecord>();
        record.ToTable("audit");
        record.HasKey(r => r.Id);
        record.HasIndex(r => r.ActionId).IsUnique();
        record.HasIndex(r => new { r.Namespace, r.Agent });
        Kosmos.Dashboard.Incidents.IncidentRecord.Configure(modelBuilder);

        var export = modelBuilder.Entity<StateExportRecord>();
        export.ToTable("exports");
        export.HasKey(e => e.Id);
        export.HasIndex(e => new { e.Namespace, e.Agent, e.CreatedAtUtc });

        var session = modelBuilder.Entity<TerminalSessionRecord>();
        session.ToTable("terminal_sessions");
        session.HasKey(t => t.Id);

        var approval = modelBuilder.Entity<ApprovalRecord>();
        approval.ToTable("approvals");
        approval.HasKey(a => a.Id);
        approval.HasIndex(a => a.Status);
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

    /// <summary>The recorded plan's steps (<see cref="Kosmos.Recovery.Actions.PlanStepResult"/>) as JSON; empty without a plan.</summary>
    public string PlanSteps { get; set; } = "";

    /// <summary>The plan as applied (<see cref="StoredPlan"/> JSON), for verify-again; null without a plan.</summary>
    public string? PlanJson { get; set; }

    /// <summary>The Deployment's resourceVersion after Apply; null before.</summary>
    public string? AppliedResourceVersion { get; set; }

    public long? AppliedGeneration { get; set; }

    /// <summary>Who approved it, "name (role)"; null when no approval was needed.</summary>
    public string? ApprovedBy { get; set; }

    public string? ApprovalId { get; set; }

    public string? BreakGlassReason { get; set; }
}

/// <summary>One approval request as stored (<see cref="Kosmos.Recovery.Approvals.ApprovalRequest"/>). Times are UTC.</summary>
public sealed class ApprovalRecord
{
    public required string Id { get; set; }

    public required string Action { get; set; }

    public required string Namespace { get; set; }

    public required string Agent { get; set; }

    /// <summary>The sealed plan (<see cref="StoredPlan"/> JSON): exactly what was confirmed.</summary>
    public required string PlanJson { get; set; }

    public required string RequestedBy { get; set; }

    public required string RequestedByRole { get; set; }

    /// <summary>The requester's stable id (<see cref="Kosmos.Recovery.Actions.Actor.Id"/>); null on rows written before ids.</summary>
    public string? RequestedById { get; set; }

    public DateTime RequestedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    public required string Status { get; set; }

    public string? DecidedBy { get; set; }

    public string? DecidedByRole { get; set; }

    public string? DecidedById { get; set; }

    public DateTime? DecidedAtUtc { get; set; }

    public string? Reason { get; set; }

    public string? ActionId { get; set; }
}

/// <summary>
/// One conversation-state export (export-state), kept with the attempt that made it (<see cref="ActionId"/>). The content
/// is what the agent's export_state wrote, byte for byte; <see cref="Sha256"/> is its SHA-256 in lower-case hex.
/// </summary>
public sealed class StateExportRecord
{
    public required string Id { get; set; }

    public required string ActionId { get; set; }

    public required string Namespace { get; set; }

    public required string Agent { get; set; }

    public required string Pod { get; set; }

    public long Size { get; set; }

    public required string Sha256 { get; set; }

    public int Conversations { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public required byte[] Content { get; set; }
}

/// <summary>One browser terminal session (kubectl exec -it): written when it starts, completed when it ends.</summary>
public sealed class TerminalSessionRecord
{
    public required string Id { get; set; }

    public required string User { get; set; }

    public required string Role { get; set; }

    public required string Namespace { get; set; }

    public required string Pod { get; set; }

    public required string Container { get; set; }

    public DateTime StartedAtUtc { get; set; }

    /// <summary>Null while the session runs (or when the dashboard stopped before it could record the end).</summary>
    public DateTime? EndedAtUtc { get; set; }

    /// <summary>Bytes typed (browser → pod) and shown (pod → browser).</summary>
    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public string? EndReason { get; set; }
}
