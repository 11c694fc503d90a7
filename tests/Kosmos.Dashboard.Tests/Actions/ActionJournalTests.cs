using Kosmos.Dashboard.Audit;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>
/// "Nothing lost": the executor's record is in the SQLite audit before the first change and after every step; a record a
/// stopped dashboard left Running is found Interrupted at start; shutting down stops an action where it is; a failed
/// multi-step plan says exactly which steps were done.
/// </summary>
public sealed class ActionJournalTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ExecutorHarness _h = new();

    private static System.Security.Claims.ClaimsPrincipal Ada => ExecutorHarness.User("ada", KosmosRoles.Operator);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_WhileApplying_RecordIsAlreadyRunningWithThePlanAndItsStep()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Handler.ApplyGate = gate;

        var run = _h.RestartAsync(Ada);
        await _h.Handler.ApplyEntered.Task.WaitAsync(Timeout);
        var during = Assert.Single(await _h.ReadAuditFromFileAsync());
        gate.SetResult();
        var outcome = await run.WaitAsync(Timeout);

        Assert.Equal("Running", during.Status);
        var step = Assert.Single(during.PlanSteps);
        Assert.Equal((PlanStepState.Running, "kubectl rollout restart deployment memory-agent -n kosmos"), (step.State, step.Description));
        Assert.NotNull(during.Plan);
        Assert.Equal(ActionStatus.Verified, outcome.Status);
        var after = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal(("Verified", PlanStepState.Done), (after.Status, Assert.Single(after.PlanSteps).State));
    }

    [Fact]
    public async Task InterruptUnfinished_RecordLeftRunning_InterruptedWithItsSteps()
    {
        _h.Handler.Steps = ["snapshot claim a", "delete claim a", "apply manifests"];
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Handler.SecondStepGate = gate;
        var run = _h.RestartAsync(Ada);
        await Eventually(async () => (await _h.ReadAuditFromFileAsync()).SingleOrDefault()?.PlanSteps.ElementAtOrDefault(1)?.State == PlanStepState.Running);

        // What a restarted dashboard does at start, on the file the "killed" one left (the run above never finishes).
        var interrupted = await NewAuditLog().InterruptUnfinishedAsync(CancellationToken.None);

        Assert.Equal(1, interrupted);
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal("Interrupted", entry.Status);
        Assert.Equal([PlanStepState.Done, PlanStepState.Interrupted, PlanStepState.NotRun], entry.PlanSteps.Select(s => s.State));
        Assert.Contains("1 of 3 step(s) done, step 2 (delete claim a) interrupted", entry.Error, StringComparison.Ordinal);
        gate.SetCanceled();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ExecuteAsync_ShutdownDuringVerify_InterruptedQuicklyAndChangeRecorded()
    {
        _h.Handler.VerifyHangs = true;
        var run = _h.RestartAsync(Ada);
        await Eventually(async () => _h.Handler.Verifies == 1 && await Task.FromResult(true));

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        _h.Lifetime.StopApplication();
        var outcome = await run.WaitAsync(Timeout);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        Assert.Equal(ActionStatus.Interrupted, outcome.Status);
        Assert.True(outcome.Changed);
        Assert.Contains("The dashboard shut down during Verify", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("Interrupted", Assert.Single(await _h.ReadAuditFromFileAsync()).Status);
    }

    [Fact]
    public async Task ExecuteAsync_StepFails_StopsAndSaysWhichStepsWereDone()
    {
        _h.Handler.Steps = ["snapshot claim a", "delete claim a", "apply manifests"];
        _h.Handler.FailAtStep = 1;

        var outcome = await _h.RestartAsync(Ada).WaitAsync(Timeout);

        Assert.Equal(ActionStatus.Unverified, outcome.Status);
        Assert.Equal([PlanStepState.Done, PlanStepState.Failed, PlanStepState.NotRun], outcome.PlanSteps.Select(s => s.State));
        Assert.Contains("Done: 1. snapshot claim a. Not done: 2. delete claim a; 3. apply manifests.", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.Handler.Verifies);
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal([PlanStepState.Done, PlanStepState.Failed, PlanStepState.NotRun], entry.PlanSteps.Select(s => s.State));
    }

    [Fact]
    public async Task ExecuteAsync_Applied_WritesOneEventNamingActionAndRequester()
    {
        var outcome = await _h.RestartAsync(Ada).WaitAsync(Timeout);

        var (target, message) = Assert.Single(_h.Events.Recorded);
        Assert.Equal(ExecutorHarness.Agent, target);
        Assert.StartsWith("Restart requested by ada (Operator) (kosmos-dashboard action " + outcome.Id.ToString("D"), message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_Refused_WritesNoEvent()
    {
        await _h.RestartAsync(ExecutorHarness.User("victor", KosmosRoles.Viewer)).WaitAsync(Timeout);

        Assert.Empty(_h.Events.Recorded);
    }

    [Fact]
    public async Task ExecuteAsync_ProgressReachesTheActivityStream()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<ActionActivity>();

        // The stream's first MoveNextAsync subscribes before it awaits: from here on nothing the action publishes is missed.
        var updates = _h.Activity.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = updates.MoveNextAsync();
        var restart = _h.RestartAsync(Ada);
        while (await next.AsTask().WaitAsync(Timeout))
        {
            seen.Add(updates.Current);
            if (!updates.Current.IsRunning)
            {
                break;
            }

            next = updates.MoveNextAsync();
        }

        var outcome = await restart.WaitAsync(Timeout);
        await updates.DisposeAsync();

        Assert.Contains(seen, a => a.IsRunning && a.Text == "Restart by ada — Waiting for the rollout: 0/1 new pods ready");
        Assert.Equal(outcome, seen[^1].Outcome);
        Assert.Empty(_h.Activity.Running);
        Assert.Equal(ActionStatus.Verified, _h.Activity.Latest(ExecutorHarness.Agent)?.Status);
    }

    private SqliteAuditLog NewAuditLog()
    {
        var services = new ServiceCollection();
        services.AddDbContextFactory<AuditDbContext>(o => o.UseSqlite($"Data Source={_h.DatabasePath};Pooling=False"));
        var provider = services.BuildServiceProvider();
        return new SqliteAuditLog(provider.GetRequiredService<IDbContextFactory<AuditDbContext>>(), TimeProvider.System);
    }

    private static Task Eventually(Func<Task<bool>> condition) =>
        Kosmos.TestSupport.Eventually.Until(condition, Timeout, "the audit to show the step");
}

/// <summary>A database from an earlier version (the first audit table only) gets the current tables and columns at start.</summary>
public sealed class AuditSchemaUpgradeTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kosmos-schema-test-");

    private string ConnectionString => $"Data Source={Path.Combine(_folder.FullName, "audit.db")};Pooling=False";

    [Fact]
    public async Task AddMissing_FirstVersionDatabase_AddsColumnsKeepsRowsAndIsIdempotent()
    {
        await using (var old = new SqliteConnection(ConnectionString))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE "audit" ("Id" INTEGER NOT NULL CONSTRAINT "PK_audit" PRIMARY KEY AUTOINCREMENT, "ActionId" TEXT NOT NULL,
                  "AtUtc" TEXT NOT NULL, "DurationMs" INTEGER NOT NULL, "User" TEXT NOT NULL, "Role" TEXT NOT NULL, "Namespace" TEXT NOT NULL,
                  "Agent" TEXT NOT NULL, "Action" TEXT NOT NULL, "Status" TEXT NOT NULL, "Preview" TEXT NOT NULL, "Steps" TEXT NOT NULL,
                  "Verification" TEXT NULL, "Error" TEXT NULL);
                INSERT INTO "audit" ("ActionId","AtUtc","DurationMs","User","Role","Namespace","Agent","Action","Status","Preview","Steps")
                  VALUES ('6f1c1d52-52c4-4a36-9d7e-0d4c41f0b6a1','2026-12-01 10:00:00',1200,'ada','Operator','kosmos','coder','restart','Verified','','Apply: Done');
                """;
            await create.ExecuteNonQueryAsync();
        }

        var services = new ServiceCollection();
        services.AddDbContextFactory<AuditDbContext>(o => o.UseSqlite(ConnectionString));
        await using var provider = services.BuildServiceProvider();
        var contexts = provider.GetRequiredService<IDbContextFactory<AuditDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();

        var added = await AuditSchemaUpgrade.AddMissingAsync(db, CancellationToken.None);
        var again = await AuditSchemaUpgrade.AddMissingAsync(db, CancellationToken.None);

        Assert.Contains("column audit.PlanSteps", added);
        Assert.Contains("column audit.PlanJson", added);
        Assert.Empty(again);
        var entry = Assert.Single(await new SqliteAuditLog(contexts, TimeProvider.System).RecentAsync(10, CancellationToken.None));
        Assert.Equal(("ada", "Verified", "coder"), (entry.User, entry.Status, entry.Agent));
        Assert.Empty(entry.PlanSteps);

        // Every table of the current model exists and takes a write.
        foreach (var entity in db.Model.GetEntityTypes())
        {
            await using var count = db.Database.GetDbConnection().CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{entity.GetTableName()}\"";
            await db.Database.OpenConnectionAsync();
            Assert.NotNull(await count.ExecuteScalarAsync());
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
