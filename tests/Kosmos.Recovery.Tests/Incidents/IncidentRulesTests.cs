using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Incidents;

public sealed class IncidentRulesTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);
    private static readonly Guid Id = Guid.Parse("11111111-2222-3333-4444-555555555555");

    [Theory]
    [InlineData(HealthState.OOMKilled, false, true)]
    [InlineData(HealthState.CrashLoopBackOff, false, true)]
    [InlineData(HealthState.Unresponsive, false, true)]
    [InlineData(HealthState.Pending, false, true)]
    [InlineData(HealthState.ImagePull, false, true)]
    [InlineData(HealthState.Degraded, false, true)]
    [InlineData(HealthState.Unknown, false, true)]
    [InlineData(HealthState.Healthy, false, false)]
    [InlineData(HealthState.Progressing, false, false)]
    [InlineData(HealthState.OOMKilled, true, false)]
    [InlineData(HealthState.CrashLoopBackOff, true, false)]
    public void ShouldOpen_StateAndOpenIncident_OnlyFailingWithoutOneOpen(HealthState state, bool hasOpen, bool expected) =>
        Assert.Equal(expected, IncidentRules.ShouldOpen(Summary(state), hasOpen));

    [Fact]
    public void Open_FailingAgent_KeepsStateEvidenceAndRunbookSectionAtDetection()
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(1));

        Assert.Equal(IncidentStatus.Open, incident.Status);
        Assert.Equal(HealthState.OOMKilled, incident.FailureMode);
        Assert.Equal(RunbookSection.OutOfMemory, incident.RunbookSection);
        Assert.Equal(["OOMKilled at its 256Mi memory limit 3 times"], incident.Evidence);
        Assert.Equal(Clock.At(1), incident.DetectedAt);
        Assert.Null(incident.QuietSince);
        var opened = Assert.Single(incident.Timeline);
        Assert.Equal(TimelineKind.Opened, opened.Kind);
        Assert.Equal("Detected OOMKilled: summarizer is out of memory", opened.Text);
        Assert.Contains("Runbook: 2. Out of Memory (OOM)", opened.Lines);
    }

    [Fact]
    public void Open_ByHand_NamesThePersonAndTheNote()
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.Healthy), "ada", "users report slow answers", Clock.At(1));

        Assert.Equal("ada", incident.OpenedBy);
        Assert.StartsWith("Opened by hand by ada while the agent is Healthy", incident.Timeline[0].Text, StringComparison.Ordinal);
        Assert.Equal("Note: users report slow answers", incident.Timeline[0].Lines[0]);
        Assert.Equal(Clock.At(1), incident.QuietSince);
    }

    [Fact]
    public void Observe_Flapping_RecordsEachTransitionOnTheSameIncident()
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));

        incident = IncidentRules.Observe(incident, Summary(HealthState.Healthy), null, Clock.At(1));
        Assert.False(IncidentRules.ShouldOpen(Summary(HealthState.OOMKilled), incident.IsOpen));
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), null, Clock.At(2));
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), null, Clock.At(3));

        Assert.Equal(["Opened", "HealthChanged", "HealthChanged"], incident.Timeline.Select(e => e.Kind.ToString()));
        Assert.StartsWith("OOMKilled → Healthy", incident.Timeline[1].Text, StringComparison.Ordinal);
        Assert.StartsWith("Healthy → OOMKilled", incident.Timeline[2].Text, StringComparison.Ordinal);
        Assert.Null(incident.QuietSince);
    }

    [Fact]
    public void Observe_Crash_RecordedOnceWithDescribeFacts()
    {
        var detail = Detail(HealthState.OOMKilled, OomPod(restarts: 3, Clock.At(0, 30)));
        var incident = IncidentRules.Open(Id, detail.Summary, Checklist.Dashboard, null, Clock.At(1));

        incident = IncidentRules.Observe(incident, detail.Summary, detail, Clock.At(1));
        incident = IncidentRules.Observe(incident, detail.Summary, detail, Clock.At(2));

        var crash = Assert.Single(incident.Timeline, e => e.Kind == TimelineKind.Crash);
        Assert.Equal("Container agent of pod summarizer-1 terminated: OOMKilled, exit code 137 (restarts: 3)", crash.Text);
        Assert.Contains("Last State: Terminated, Reason: OOMKilled, Exit Code: 137", crash.Lines);
        Assert.Contains("Limits: memory=256Mi", crash.Lines);
        Assert.Contains("Restart Count: 3", crash.Lines);
    }

    [Fact]
    public void Observe_NextCrash_IsANewEntryAndTheSameRunSeenAsLastStateIsNot()
    {
        var pod = PodBuilder.Pod("summarizer-1", "summarizer")
            .Container(Containers.Terminated("agent", "OOMKilled", 137, finishedAt: Clock.At(0, 30)).WithRestarts(2)).Build();
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(1));
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, pod), Clock.At(1));

        // Restarted: the same run is now the last state (same finish time), then it is killed again.
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, OomPod(3, Clock.At(0, 30))), Clock.At(2));
        Assert.Single(incident.Timeline, e => e.Kind == TimelineKind.Crash);
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, OomPod(4, Clock.At(2, 30))), Clock.At(3));

        Assert.Equal(2, incident.Timeline.Count(e => e.Kind == TimelineKind.Crash));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 4, 2)]
    [InlineData(3, 3, 1)]
    public void Observe_WarningEvent_NewOrRepeatedWithHigherCountIsRecorded(int firstCount, int secondCount, int entries)
    {
        var pod = OomPod(1, Clock.At(0));
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(1));

        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, pod, Warning(pod, firstCount)), Clock.At(1));
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, pod, Warning(pod, secondCount)), Clock.At(2));

        var events = incident.Timeline.Where(e => e.Kind == TimelineKind.KubernetesEvent).ToList();
        Assert.Equal(entries, events.Count);
        Assert.StartsWith("Warning BackOff on pod/summarizer-1", events[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_AnEventRecordedAtEveryCount_ShowsOnceAtItsLatestCount_WithHowOftenAndSince()
    {
        var pod = OomPod(1, Clock.At(0));
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(1));
        for (var count = 1; count <= 30; count++)
        {
            incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, pod, Warning(pod, count)), Clock.At(1, count));
        }

        var other = Workloads.PodEvent(pod, "FailedMount", "MountVolume.SetUp failed", 1) with { Uid = "ev-mount" };
        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), Detail(HealthState.OOMKilled, pod, Warning(pod, 30), other), Clock.At(2));

        Assert.Equal(31, incident.Timeline.Count(e => e.Kind == TimelineKind.KubernetesEvent));
        var read = TimelineReading.CollapseEventRepeats(incident.Timeline);
        var events = read.Where(e => e.Kind == TimelineKind.KubernetesEvent).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal($"Warning BackOff on pod/summarizer-1 (×30): Back-off restarting failed container agent (recorded 30 times since {Clock.At(1, 1).UtcDateTime:HH:mm:ss} UTC; the latest shown)", events[0].Text);
        Assert.Equal("Warning FailedMount on pod/summarizer-1: MountVolume.SetUp failed", events[1].Text);
        Assert.Equal(incident.Timeline.Count - 29, read.Count);
        Assert.Equal(read.Select(e => e.Sequence).Order(), read.Select(e => e.Sequence));
        Assert.DoesNotContain("(×2)", PostMortem.Render(incident), StringComparison.Ordinal);
    }

    // (state, ready/desired, seconds healthy and quiet, a new warning in the window) → ticked
    [Theory]
    [InlineData(HealthState.Healthy, 1, 1, 120, false, true)]
    [InlineData(HealthState.Healthy, 2, 2, 300, false, true)]
    [InlineData(HealthState.Healthy, 1, 1, 119, false, false)]
    [InlineData(HealthState.Healthy, 0, 1, 300, false, false)]
    [InlineData(HealthState.Healthy, 1, 2, 300, false, false)]
    [InlineData(HealthState.Progressing, 1, 1, 300, false, false)]
    [InlineData(HealthState.OOMKilled, 1, 1, 300, false, false)]
    [InlineData(HealthState.Healthy, 1, 1, 300, true, false)]
    public void CheckGate_Table(HealthState state, int ready, int desired, int quietSeconds, bool warningLate, bool ticked)
    {
        var agent = Summary(state) with { ReadyPods = ready, DesiredPods = desired };
        var pod = OomPod(1, Clock.At(0));
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));
        incident = IncidentRules.Observe(incident, agent, Detail(agent, pod), Clock.At(1));
        if (warningLate)
        {
            incident = IncidentRules.Observe(incident, agent, Detail(agent, pod, Warning(pod, 1)), Clock.At(1, quietSeconds - 10));
        }

        incident = IncidentRules.CheckGate(incident, agent, Clock.At(1, quietSeconds), Settle);

        Assert.Equal(ticked, incident.TickOf(ChecklistItem.VerifyAgentFunctionality) is { By: Checklist.Dashboard });
        Assert.Equal(ticked, incident.Timeline.Any(e => e.Kind == TimelineKind.Verified));
        Assert.Equal(ticked ? Clock.At(1) : null, incident.RecoveredAt);
    }

    [Fact]
    public void Observe_FailsAgainAfterVerified_VerificationVoidAndUnticked()
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));
        incident = IncidentRules.Observe(incident, Summary(HealthState.Healthy), null, Clock.At(1));
        incident = IncidentRules.CheckGate(incident, Summary(HealthState.Healthy), Clock.At(4), Settle);
        Assert.NotNull(incident.VerifiedAt);

        incident = IncidentRules.Observe(incident, Summary(HealthState.OOMKilled), null, Clock.At(5));

        Assert.Null(incident.VerifiedAt);
        Assert.Null(incident.TickOf(ChecklistItem.VerifyAgentFunctionality));
        Assert.Equal(TimelineKind.VerificationVoid, incident.Timeline[^1].Kind);
    }

    [Theory]
    [InlineData(ChecklistItem.VerifyAgentFunctionality, false, false, "is ticked by the dashboard when the verification gate holds")]
    [InlineData(ChecklistItem.CheckMetricsAndLogs, true, false, "was already ticked by ada at 2026-03-01 12:01:00Z")]
    [InlineData(ChecklistItem.CheckMetricsAndLogs, false, true, "is resolved; its checklist is closed")]
    [InlineData(ChecklistItem.UpdateRunbookIfNeeded, false, false, null)]
    public void Tick_Table(ChecklistItem item, bool alreadyTicked, bool resolved, string? error)
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));
        if (alreadyTicked)
        {
            incident = IncidentRules.Tick(incident, item, "ada", Clock.At(1), Settle).Incident!;
        }

        if (resolved)
        {
            incident = IncidentRules.Resolve(incident, "memory leak", "ada", Clock.At(1)).Incident!;
        }

        var result = IncidentRules.Tick(incident, item, "bob", Clock.At(2), Settle);

        if (error is null)
        {
            Assert.Equal(new ChecklistTick(item, "bob", Clock.At(2)), result.Incident!.TickOf(item));
            Assert.Equal("Ticked \"Update runbook if needed\"", result.Incident.Timeline[^1].Text);
        }
        else
        {
            Assert.Null(result.Incident);
            Assert.Contains(error, result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, "A root cause is required")]
    [InlineData("   ", "A root cause is required")]
    public void Resolve_WithoutRootCause_Refused(string? rootCause, string error)
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));

        var result = IncidentRules.Resolve(incident, rootCause, "ada", Clock.At(1));

        Assert.False(result.Succeeded);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TooLongRootCause_Refused() =>
        Assert.Contains("at most 4000", IncidentRules.Resolve(
            IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0)), new string('x', 4001), "ada", Clock.At(1)).Error, StringComparison.Ordinal);

    [Fact]
    public void Resolve_WithRootCause_ResolvedTicksDocumentRootCauseAndRefusesASecondTime()
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));

        var resolved = IncidentRules.Resolve(incident, " leak in the summary cache ", "ada", Clock.At(3)).Incident!;

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal("leak in the summary cache", resolved.RootCause);
        Assert.Equal(("ada", Clock.At(3)), (resolved.ResolvedBy, resolved.ResolvedAt!.Value));
        Assert.Equal("ada", resolved.TickOf(ChecklistItem.DocumentRootCause)!.By);
        Assert.Contains("Not ticked: Verify agent functionality, Check metrics and logs, Update runbook if needed, Conduct post-mortem", resolved.Timeline[^1].Lines);
        Assert.Contains("already resolved", IncidentRules.Resolve(resolved, "again", "bob", Clock.At(4)).Error, StringComparison.Ordinal);
        Assert.Same(resolved, IncidentRules.Observe(resolved, Summary(HealthState.OOMKilled), null, Clock.At(5)));
    }

    [Fact]
    public void ActionsAndApprovals_RecordedWithWhoAndDeduplicated()
    {
        var incident = IncidentRules.Open(Id, Summary(HealthState.OOMKilled), Checklist.Dashboard, null, Clock.At(0));
        var actionId = Guid.NewGuid();
        var target = new AgentRef("kosmos", "summarizer");
        var ada = new Actor("ada", "Operator");

        incident = IncidentRules.Approval(incident, new ApprovalNotice(Guid.Empty, ApprovalDecision.Approved, ActionKind.Restart, target, new Actor("ian", "IncidentCommander"), Clock.At(1)));
        incident = IncidentRules.ActionStarted(incident, new ActionStart(actionId, ActionKind.Restart, target, ada, ActionRequest.None, Clock.At(2)));
        var outcome = new ActionRecorder(actionId, ActionKind.Restart, target, ada, Clock.At(2)).Finish(ActionStatus.Verified, Clock.At(3));
        incident = IncidentRules.ActionFinished(incident, outcome);
        incident = IncidentRules.ActionFinished(incident, outcome);

        Assert.Equal(["Opened", "Approved", "ActionRequested", "ActionResult"], incident.Timeline.Select(e => e.Kind.ToString()));
        Assert.Equal("Restart approved by ian (IncidentCommander)", incident.Timeline[1].Text);
        Assert.Equal("Restart requested by ada (Operator)", incident.Timeline[2].Text);
        var action = Assert.Single(PostMortem.Actions(incident));
        Assert.Equal(("ada", "ian"), (action.Requested.Actor, action.Approver));
        Assert.StartsWith("Verified: ", action.Result!.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(65, "1m 05s")]
    [InlineData(3725, "1h 02m")]
    [InlineData(90000, "1d 1h")]
    [InlineData(-5, "-5s")]
    public void Durations_Format(double seconds, string expected) => Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Checklist_SlugsRoundTripInRunbookOrder()
    {
        Assert.Equal(["verify-agent-functionality", "check-metrics-and-logs", "document-root-cause", "update-runbook-if-needed", "conduct-post-mortem"],
            Checklist.Items.Select(Checklist.Slug));
        Assert.All(Checklist.Items, i => Assert.Equal(i, Checklist.FromSlug(Checklist.Slug(i))));
        Assert.Null(Checklist.FromSlug("tidy-up"));
    }

    internal static AgentSummary Summary(HealthState state) => new("kosmos", "summarizer",
        new AgentHealth("summarizer", state, state == HealthState.OOMKilled ? "summarizer is out of memory" : $"summarizer is {state}",
            state == HealthState.OOMKilled ? ["OOMKilled at its 256Mi memory limit 3 times"] : [], Clock.T0,
            state == HealthState.OOMKilled ? RunbookSection.OutOfMemory : RunbookSection.None, 1, 1, []),
        state == HealthState.Healthy ? 1 : 0, 1, 3, Clock.T0, ["registry.kosmos.local/summarizer:1.0"], true);

    internal static PodSnapshot OomPod(int restarts, DateTimeOffset finishedAt) => PodBuilder.Pod("summarizer-1", "summarizer")
        .Container(Containers.Waiting("agent", "CrashLoopBackOff").WithRestarts(restarts).WithLastTermination("OOMKilled", 137, finishedAt).WithMemoryLimit("256Mi"))
        .Build();

    internal static EventSnapshot Warning(PodSnapshot pod, int count) =>
        Workloads.PodEvent(pod, "BackOff", "Back-off restarting failed container agent", count) with { Uid = "ev-backoff" };

    private static AgentDetail Detail(HealthState state, PodSnapshot pod, params EventSnapshot[] events) => Detail(Summary(state), pod, events);

    private static AgentDetail Detail(AgentSummary summary, PodSnapshot pod, params EventSnapshot[] events) =>
        new(summary, null, [pod], [], [.. events], [], []);
}
