using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Tests.Builders;
using static Kosmos.Recovery.Tests.Incidents.IncidentRulesTests;

namespace Kosmos.Recovery.Tests.Incidents;

public sealed class PostMortemTests
{
    [Fact]
    public void Render_OomIncident_TimingsEvidenceLogsActionsAndChecklist()
    {
        var pod = OomPod(3, Clock.At(0, 30));
        var failing = Summary(HealthState.OOMKilled);
        var incident = IncidentRules.Open(Guid.NewGuid(), failing, Checklist.Dashboard, null, Clock.At(1));
        incident = IncidentRules.Observe(incident, failing, new AgentDetail(failing, null, [pod], [], [Warning(pod, 2)], [], []), Clock.At(1));
        var crash = AgentFindings.Crashes(new AgentDetail(failing, null, [pod], [], [], [], [])).Single();
        incident = IncidentRules.LogsCaptured(incident, crash, new LogResult(["allocating 700Mi for the summary cache", "Killed"], null), Clock.At(1, 2));
        var id = Guid.NewGuid();
        var ada = new Actor("ada", "Operator");
        var target = new AgentRef("kosmos", "summarizer");
        incident = IncidentRules.ActionStarted(incident, new ActionStart(id, ActionKind.SetResources, target, ada,
            new ActionRequest(Kosmos.Recovery.Model.StringMap.Of(("limits.memory", "2Gi"))), Clock.At(3)));
        incident = IncidentRules.ActionFinished(incident, new ActionRecorder(id, ActionKind.SetResources, target, ada, Clock.At(3)).Finish(ActionStatus.Verified, Clock.At(4)));
        var healthy = Summary(HealthState.Healthy);
        incident = IncidentRules.Observe(incident, healthy, null, Clock.At(4));
        incident = IncidentRules.CheckGate(incident, healthy, Clock.At(6), TimeSpan.FromSeconds(120));
        incident = IncidentRules.Resolve(incident, "the summary cache grows without bound", "ada", Clock.At(7)).Incident!;

        var md = PostMortem.Render(incident);

        Assert.Contains("# Post-mortem: kosmos/summarizer — OOMKilled", md, StringComparison.Ordinal);
        Assert.Contains("| Detected | 2026-03-01 12:01:00 UTC by dashboard", md, StringComparison.Ordinal);
        Assert.Contains("| Time to first action | 2m 00s (2026-03-01 12:03:00 UTC, Set resources requested by ada (Operator): limits.memory=2Gi) |", md, StringComparison.Ordinal);
        Assert.Contains("| Time to recovery | 3m 00s (healthy from 2026-03-01 12:04:00 UTC, verified at 2026-03-01 12:06:00 UTC) |", md, StringComparison.Ordinal);
        Assert.Contains("| Time to resolution | 6m 00s |", md, StringComparison.Ordinal);
        Assert.Contains("the summary cache grows without bound", md, StringComparison.Ordinal);
        Assert.Contains("terminated: OOMKilled, exit code 137", md, StringComparison.Ordinal);
        Assert.Contains("```text\nallocating 700Mi for the summary cache\nKilled\n```", md, StringComparison.Ordinal);
        Assert.Contains("Warning BackOff on pod/summarizer-1 (×2)", md, StringComparison.Ordinal);
        Assert.Contains("| 2026-03-01 12:03:00 UTC | Set resources requested by ada (Operator): limits.memory=2Gi | ada | — | Verified: Set resources of kosmos/summarizer applied and verified", md, StringComparison.Ordinal);
        Assert.Contains("- [x] Verify agent functionality — dashboard at 2026-03-01 12:06:00 UTC", md, StringComparison.Ordinal);
        Assert.Contains("- [x] Document root cause — ada at 2026-03-01 12:07:00 UTC", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] Conduct post-mortem", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoActionNoCrash_SaysSo()
    {
        var md = PostMortem.Render(IncidentRules.Open(Guid.NewGuid(), Summary(HealthState.Pending), Checklist.Dashboard, null, Clock.At(0)));

        Assert.Contains("| Time to first action | no action was taken |", md, StringComparison.Ordinal);
        Assert.Contains("not recovered (the verification gate has not held)", md, StringComparison.Ordinal);
        Assert.Contains("_No container terminations were seen._", md, StringComparison.Ordinal);
        Assert.Contains("_Not documented yet._", md, StringComparison.Ordinal);
    }
}
