using Kosmos.Dashboard.Audit;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Kosmos.Recovery.Model;
using Kosmos.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Clock = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace Kosmos.Dashboard.Tests.Incidents;

/// <summary>
/// The incident service on a hand-driven board, fake logs and the real SQLite store in a temp file, with time advanced by
/// the test: detection, evidence captured at the crash, flapping, the gate, and a restart that finds everything again.
/// </summary>
public sealed class IncidentServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kosmos-incidents-");
    private readonly FakeAgentBoard _board = new();
    private readonly FakePodLogs _logs = new();
    private readonly Clock _clock = new(TestData.Now);
    private IDbContextFactory<AuditDbContext> _contexts = null!;
    private IncidentService _service = null!;

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<AuditDbContext>().UseSqlite($"Data Source={Path.Combine(_folder.FullName, "audit.db")}").Options;
        _contexts = new Factory(options);
        await using (var db = await _contexts.CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
        }

        _service = await StartServiceAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task OomAgent_OpensOneIncidentWithEvidenceAndPreviousLogs_FlapsStayOnIt()
    {
        var detail = TestData.OomDetail();
        var pod = detail.Pods[0];
        _logs.SetLog(pod.Name, "agent", previous: true, "loading model", "allocating 700Mi", "Killed");
        _board.SetDetail(detail);
        _board.Upsert(detail.Summary);

        var incident = await WaitForAsync(i => i.Timeline.Any(e => e.Kind == TimelineKind.LogsCaptured), "the crash's previous logs captured");

        Assert.Equal((HealthState.OOMKilled, RunbookSection.OutOfMemory, Checklist.Dashboard), (incident.FailureMode, incident.RunbookSection, incident.OpenedBy));
        Assert.Equal(detail.Summary.Health.Evidence, incident.Evidence);
        Assert.Contains(incident.Timeline, e => e.Kind == TimelineKind.Crash && e.Text.Contains("OOMKilled, exit code 137", StringComparison.Ordinal));
        Assert.Equal(["loading model", "allocating 700Mi", "Killed"], incident.Timeline.Single(e => e.Kind == TimelineKind.LogsCaptured).Lines);
        Assert.Contains(_logs.Reads, r => r.Pod == pod.Name && r.Previous && r.TailLines == 100);

        // Flapping: healthy, then out of memory again — the same incident records both.
        _board.Upsert(detail.Summary with { Health = detail.Summary.Health with { State = HealthState.Healthy }, ReadyPods = 1 });
        _board.Upsert(detail.Summary with { Restarts = 6 });
        incident = await WaitForAsync(i => i.Timeline.Count(e => e.Kind == TimelineKind.HealthChanged) == 2, "two health transitions");
        Assert.Single(_service.List());
    }

    [Fact]
    public async Task Recovered_GateTicksAfterSettle_TicksAndTimelineSurviveRestart()
    {
        var detail = TestData.OomDetail();
        _board.SetDetail(detail);
        _board.Upsert(detail.Summary);
        var opened = await WaitForAsync(i => i.Timeline.Any(e => e.Kind == TimelineKind.Crash), "the incident opened");
        var checkedMetrics = await _service.TickAsync(opened.Id, ChecklistItem.CheckMetricsAndLogs, "ada", CancellationToken.None);
        Assert.True(checkedMetrics.Succeeded, checkedMetrics.Error);
        var byHand = await _service.TickAsync(opened.Id, ChecklistItem.VerifyAgentFunctionality, "ada", CancellationToken.None);
        Assert.Contains("ticked by the dashboard", byHand.Error, StringComparison.Ordinal);

        var healthy = detail.Summary with { Health = detail.Summary.Health with { State = HealthState.Healthy }, ReadyPods = 1 };
        _board.SetDetail(detail with { Summary = healthy });
        _board.Upsert(healthy);
        await WaitForAsync(i => i.QuietSince is not null, "the quiet window to start");
        _clock.Advance(TimeSpan.FromSeconds(119));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var verified = await WaitForAsync(i => i.VerifiedAt is not null, "the verification gate");
        Assert.Equal(Checklist.Dashboard, verified.TickOf(ChecklistItem.VerifyAgentFunctionality)!.By);

        await _service.DisposeAsync();
        _service = await StartServiceAsync();

        var reloaded = _service.Get(opened.Id) ?? throw new InvalidOperationException("the incident is gone after a restart");
        Assert.Equal(verified.Timeline, reloaded.Timeline);
        Assert.Equal(verified.Ticks.OrderBy(t => t.Item), reloaded.Ticks);
        Assert.Equal("ada", reloaded.TickOf(ChecklistItem.CheckMetricsAndLogs)!.By);

        // Nothing recorded twice after the restart, though the board shows the same crash again.
        _board.Upsert(healthy with { Restarts = 5 });
        var resolved = await _service.ResolveAsync(opened.Id, "memory limit below the model's working set", "ada", CancellationToken.None);
        Assert.True(resolved.Succeeded, resolved.Error);
        Assert.Single(resolved.Incident!.Timeline, e => e.Kind == TimelineKind.Crash);
    }

    [Fact]
    public async Task Actions_OnTheOpenIncidentsTimeline_WithWho()
    {
        var detail = TestData.OomDetail();
        _board.SetDetail(detail);
        _board.Upsert(detail.Summary);
        var opened = await WaitForAsync(_ => true, "the incident opened");
        var target = new AgentRef(detail.Summary.Namespace, detail.Summary.Name);
        var id = Guid.NewGuid();
        var ada = new Actor("ada", "Operator");

        _service.ActionStarted(new ActionStart(id, ActionKind.SetResources, target, ada, new ActionRequest(StringMap.Of(("limits.memory", "1Gi"))), _clock.GetUtcNow()));
        _service.ActionFinished(new ActionRecorder(id, ActionKind.SetResources, target, ada, _clock.GetUtcNow()).Finish(ActionStatus.Verified, _clock.GetUtcNow()));
        _service.ApprovalChanged(new ApprovalNotice(Guid.NewGuid(), ApprovalDecision.Rejected, ActionKind.Restart, target, new Actor("ian", "IncidentCommander"), _clock.GetUtcNow(), "not yet"));

        var incident = await WaitForAsync(i => i.Timeline.Any(e => e.Kind == TimelineKind.Rejected), "the action and the rejection on the timeline");
        Assert.Equal(opened.Id, incident.Id);
        Assert.Contains(incident.Timeline, e => e.Kind == TimelineKind.ActionRequested && e.Text == "Set resources requested by ada (Operator): limits.memory=1Gi");
        Assert.Contains(incident.Timeline, e => e.Kind == TimelineKind.ActionResult && e.Actor == "ada" && e.Text.StartsWith("Verified:", StringComparison.Ordinal));
        Assert.Contains(incident.Timeline, e => e.Kind == TimelineKind.Rejected && e.Text == "Restart rejected by ian (IncidentCommander): not yet");
    }

    [Fact]
    public async Task OpenByHand_RefusedWhenOneIsOpenOrNoSuchAgent()
    {
        _board.Upsert(TestData.Agent("quiet-agent"));
        var opened = await _service.OpenAsync(TestData.Ns, "quiet-agent", "ada", "slow answers", CancellationToken.None);
        Assert.True(opened.Succeeded, opened.Error);

        var again = await _service.OpenAsync(TestData.Ns, "quiet-agent", "bob", null, CancellationToken.None);
        var missing = await _service.OpenAsync(TestData.Ns, "nobody", "bob", null, CancellationToken.None);

        Assert.Contains($"already has an open incident ({opened.Incident!.Id:D}", again.Error, StringComparison.Ordinal);
        Assert.Equal("There is no agent kosmos/nobody on the board.", missing.Error);
    }

    private async Task<IncidentService> StartServiceAsync()
    {
        var options = Options.Create(new KosmosOptions { Incidents = { SettleSeconds = 120, LogLines = 100 } });
        var service = new IncidentService(_board, _logs, new SqliteIncidentStore(_contexts), options, _clock, NullLogger<IncidentService>.Instance);
        await service.StartAsync(CancellationToken.None);
        return service;
    }

    private async Task<Incident> WaitForAsync(Func<Incident, bool> condition, string what) =>
        (await Eventually.Until(() => Task.FromResult(_service.List() is [var first, ..] ? first : null), i => i is not null && condition(i), Patience, what))!;

    private sealed class Factory(DbContextOptions<AuditDbContext> options) : IDbContextFactory<AuditDbContext>
    {
        public AuditDbContext CreateDbContext() => new(options);
    }
}
