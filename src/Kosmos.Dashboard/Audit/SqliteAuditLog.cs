using System.Text.Json;
using Kosmos.Recovery.Actions;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Audit;

/// <summary>
/// The audit log in SQLite through EF Core. A singleton; each call uses its own short-lived context, so it is thread-safe.
/// Disposed by the container when the host has stopped (the executor records interrupted actions while it stops).
/// </summary>
public sealed class SqliteAuditLog(IDbContextFactory<AuditDbContext> contexts, TimeProvider time, Kosmos.Dashboard.Infrastructure.DashboardMetrics? metrics = null) : IAuditLog, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // One writer at a time: a running action rewrites its row after every step, and two writers of the same new row would
    // both insert (the unique ActionId index then refuses one).
    private readonly SemaphoreSlim _write = new(1, 1);

    public void Dispose() => _write.Dispose();

    public async Task WriteAsync(ActionOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await _write.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var id = outcome.Id.ToString("D");
            var record = await db.Records.FirstOrDefaultAsync(r => r.ActionId == id, cancellationToken);
            if (record is null)
            {
                record = new AuditRecord
                {
                    ActionId = id, User = "", Role = "", Namespace = "", Agent = "", Action = "", Status = "", Preview = "", Steps = "",
                };
                db.Records.Add(record);
            }

            Fill(record, outcome);
            if (outcome.Verification?.Artifact is { } artifact
                && !await db.Exports.AnyAsync(e => e.Id == artifact.Id.ToString("D"), cancellationToken))
            {
                // In the same transaction as the attempt's record: an export is never kept without the audit that made it.
                db.Exports.Add(new StateExportRecord
                {
                    Id = artifact.Id.ToString("D"),
                    ActionId = id,
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
            if (outcome.Status != ActionStatus.Running)
            {
                // A running action's row is rewritten after every step; only how it ended counts.
                metrics?.RecordAction(outcome);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var records = await db.Records.AsNoTracking().OrderByDescending(r => r.Id).Take(Math.Clamp(count, 1, 1000)).ToListAsync(cancellationToken);
        return [.. records.Select(ToEntry)];
    }

    public async Task<AuditEntry?> FindAsync(Guid actionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = actionId.ToString("D");
        var record = await db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.ActionId == id, cancellationToken);
        return record is null ? null : ToEntry(record);
    }

    /// <summary>
    /// At start-up: every record still <see cref="ActionStatus.Running"/> belongs to a dashboard that stopped without
    /// finishing it (killed, crashed, power lost). Marks it <see cref="ActionStatus.Interrupted"/>: the plan step it was in
    /// becomes Interrupted (its change may or may not have reached the cluster), steps not started NotRun. Returns how many.
    /// </summary>
    public async Task<int> InterruptUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var running = nameof(ActionStatus.Running);
        var unfinished = await db.Records.Where(r => r.Status == running).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var record in unfinished)
        {
            var steps = ReadPlanSteps(record.PlanSteps);
            var inFlight = steps.FirstOrDefault(s => s.State == PlanStepState.Running);
            var done = steps.Count(s => s.State == PlanStepState.Done);
            steps = [.. steps.Select(s => s.State switch
            {
                PlanStepState.Running => s with { State = PlanStepState.Interrupted, Detail = "started, not known to be done: check the cluster" },
                PlanStepState.Pending => s with { State = PlanStepState.NotRun, Detail = "not started" },
                _ => s,
            })];
            record.Status = nameof(ActionStatus.Interrupted);
            record.PlanSteps = JsonSerializer.Serialize(steps, Json);
            record.DurationMs = (long)(now - new DateTimeOffset(DateTime.SpecifyKind(record.AtUtc, DateTimeKind.Utc))).TotalMilliseconds;
            record.Error = $"The dashboard stopped while this action ran (found unfinished at start-up, {now:u}): " +
                $"{done} of {steps.Count} step(s) done" + (inFlight is null ? "" : $", step {inFlight.Index + 1} ({inFlight.Description}) interrupted") +
                ". Verify it again, or check the agent.";
            record.Steps = string.Join('\n', record.Steps.Split('\n').Select(line =>
                line.Contains(": NotRun — not yet", StringComparison.Ordinal) ? line.Replace("not yet", "interrupted", StringComparison.Ordinal) : line));
        }

        await db.SaveChangesAsync(cancellationToken);
        return unfinished.Count;
    }

    private static void Fill(AuditRecord record, ActionOutcome outcome)
    {
        record.AtUtc = outcome.StartedAt.UtcDateTime;
        record.DurationMs = (long)(outcome.FinishedAt - outcome.StartedAt).TotalMilliseconds;
        record.User = outcome.Actor.Name;
        record.Role = outcome.Actor.Role;
        record.Namespace = outcome.Target.Namespace;
        record.Agent = outcome.Target.Name;
        record.Action = ActionCatalog.Get(outcome.Kind).Slug;
        record.Status = outcome.Status.ToString();
        record.Preview = outcome.Plan?.ChangesText ?? "";
        record.Steps = string.Join('\n', outcome.Steps.Select(s => s.ToString()));
        record.Verification = outcome.Verification?.Detail;
        record.Error = outcome.Error;
        record.PlanSteps = outcome.PlanSteps.Count == 0 ? "" : JsonSerializer.Serialize(outcome.PlanSteps.ToArray(), Json);
        record.PlanJson = outcome.Plan is null ? null : StoredPlan.Serialize(outcome.Plan);
        record.AppliedResourceVersion = outcome.Applied?.ResourceVersion;
        record.AppliedGeneration = outcome.Applied?.Generation;
        record.ApprovedBy = outcome.ApprovedBy?.ToString();
        record.ApprovalId = outcome.ApprovalId?.ToString("D");
        record.BreakGlassReason = outcome.BreakGlassReason;
    }

    private static AuditEntry ToEntry(AuditRecord r)
    {
        var plan = StoredPlan.Deserialize(r.PlanJson);
        return new AuditEntry(
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
            TimeSpan.FromMilliseconds(r.DurationMs))
        {
            PlanSteps = ReadPlanSteps(r.PlanSteps),
            ApprovedBy = r.ApprovedBy,
            ApprovalId = Guid.TryParse(r.ApprovalId, out var approval) ? approval : null,
            BreakGlassReason = r.BreakGlassReason,
            Plan = plan,
            Applied = plan is not null && r.AppliedResourceVersion is { } rv ? new AppliedAction(plan, rv, r.AppliedGeneration ?? 0) : null,
        };
    }

    /// <summary>The plan steps of a record (none when the column is empty or from an older version).</summary>
    public static IReadOnlyList<PlanStepResult> ReadPlanSteps(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<PlanStepResult[]>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
