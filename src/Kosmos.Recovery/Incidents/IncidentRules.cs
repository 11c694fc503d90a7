using System.Globalization;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Incidents;

/// <summary>A change to an incident, or why it was refused (a sentence for the person; the incident is unchanged).</summary>
public sealed record IncidentResult(Incident? Incident, string? Error)
{
    public static IncidentResult Ok(Incident incident) => new(incident, null);

    public static IncidentResult Refused(string error) => new(null, error);

    public bool Succeeded => Incident is not null;
}

/// <summary>
/// Every rule of an incident's life, as pure functions from an incident and what was observed to the next incident value:
/// when one opens, what the timeline records, when the verification gate ticks, who may tick what, how it resolves.
/// Time is always passed in.
/// </summary>
public static class IncidentRules
{
    public const int MaxRootCauseLength = 4000;

    /// <summary>States that open an incident: anything but Healthy and Progressing (a rollout under way is not a failure yet).</summary>
    public static bool IsFailing(HealthState state) => state is not (HealthState.Healthy or HealthState.Progressing);

    /// <summary>
    /// Whether a board change should open an incident: the agent fails and has no open incident. While one is open the
    /// same incident records every further flap, so a flapping agent never opens a second one.
    /// </summary>
    public static bool ShouldOpen(AgentSummary agent, bool hasOpenIncident)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return !hasOpenIncident && IsFailing(agent.Health.State);
    }

    /// <summary>
    /// A new incident for <paramref name="agent"/> as it is now: state, evidence and runbook section at detection.
    /// <paramref name="openedBy"/> is <see cref="Checklist.Dashboard"/> for automatic detection, else the person.
    /// </summary>
    public static Incident Open(Guid id, AgentSummary agent, string openedBy, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(openedBy);
        var health = agent.Health;
        var byHand = openedBy != Checklist.Dashboard;
        var text = byHand
            ? $"Opened by hand by {openedBy} while the agent is {health.State}: {health.Summary}"
            : $"Detected {health.State}: {health.Summary}";
        var lines = new List<string>(health.Evidence);
        if (health.RunbookSection != RunbookSection.None)
        {
            lines.Add("Runbook: " + RunbookSectionTitle(health.RunbookSection));
        }

        if (!string.IsNullOrWhiteSpace(note))
        {
            lines.Insert(0, "Note: " + note.Trim());
        }

        var incident = new Incident(id, agent.Namespace, agent.Name, IncidentStatus.Open, health.State, health.RunbookSection, health.Summary,
            health.Evidence, now, health.Since, openedBy, health.State, null, null, null, null, null, null, [], []);
        incident = Append(incident, now, TimelineKind.Opened, text, openedBy, lines, @ref: "opened");
        return incident with { QuietSince = VerificationGate.LooksRecovered(agent) ? now : null };
    }

    /// <summary>
    /// Records what the board shows now: a health transition, every crash and Warning event not yet on the timeline, and the
    /// quiet window (reset by any of them, started when the agent looks recovered). When the agent fails again after it was
    /// verified, the verification is void and "Verify agent functionality" is unticked. A resolved incident is left as it is.
    /// </summary>
    public static Incident Observe(Incident incident, AgentSummary agent, AgentDetail? detail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(agent);
        if (!incident.IsOpen)
        {
            return incident;
        }

        var state = agent.Health.State;
        var next = incident;
        if (state != incident.CurrentState)
        {
            next = Append(next, now, TimelineKind.HealthChanged, $"{incident.CurrentState} → {state}: {agent.Health.Summary}", null,
                [.. agent.Health.Evidence, string.Create(CultureInfo.InvariantCulture, $"{agent.ReadyPods}/{agent.DesiredPods} pods ready, {agent.Restarts} restarts")]);
            next = next with { CurrentState = state };
        }

        var trouble = false;
        if (detail is not null)
        {
            foreach (var crash in AgentFindings.Crashes(detail).Where(c => !next.Has(c.Ref)))
            {
                // Stamped when seen: the cluster's own times (in the facts) come from another clock.
                next = Append(next, now, TimelineKind.Crash, crash.Headline, null, crash.Facts, @ref: crash.Ref);
                trouble = true;
            }

            foreach (var warning in AgentFindings.Warnings(detail).Where(w => !next.Has(w.Ref)))
            {
                next = Append(next, now, TimelineKind.KubernetesEvent, warning.Text, null, [], @ref: warning.Ref);
                trouble = true;
            }
        }

        var recovered = VerificationGate.LooksRecovered(agent);
        next = next with { QuietSince = !recovered ? null : trouble ? now : next.QuietSince ?? now };
        if (IsFailing(state) && next.VerifiedAt is not null)
        {
            next = Append(next, now, TimelineKind.VerificationVoid, $"The agent failed again ({state}) after it was verified; verify again once it has recovered.",
                Checklist.Dashboard, []);
            next = next with
            {
                VerifiedAt = null,
                RecoveredAt = null,
                Ticks = [.. next.Ticks.Where(t => t.Item != ChecklistItem.VerifyAgentFunctionality)],
            };
        }

        return next;
    }

    /// <summary>
    /// Ticks "Verify agent functionality" for the dashboard once the <see cref="VerificationGate"/> holds; otherwise returns
    /// the incident unchanged.
    /// </summary>
    public static Incident CheckGate(Incident incident, AgentSummary? agent, DateTimeOffset now, TimeSpan settle)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (!incident.IsOpen || incident.VerifiedAt is not null || VerificationGate.Pending(incident, agent, now, settle) is not null)
        {
            return incident;
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"Verified: rollout complete, {agent!.ReadyPods}/{agent.DesiredPods} pods Ready, no new restarts or Warning events for {Durations.Format(now - incident.QuietSince!.Value)}");
        var next = Append(incident, now, TimelineKind.Verified, text, Checklist.Dashboard, []);
        next = Append(next, now, TimelineKind.ChecklistTicked, $"Ticked \"{Checklist.Title(ChecklistItem.VerifyAgentFunctionality)}\"", Checklist.Dashboard, []);
        return next with
        {
            VerifiedAt = now,
            RecoveredAt = incident.QuietSince,
            Ticks = [.. next.Ticks, new ChecklistTick(ChecklistItem.VerifyAgentFunctionality, Checklist.Dashboard, now)],
        };
    }

    /// <summary>The previous run's log lines read after <paramref name="crash"/> (or why there are none).</summary>
    public static Incident LogsCaptured(Incident incident, CrashFact crash, LogResult logs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(crash);
        ArgumentNullException.ThrowIfNull(logs);
        if (incident.Has(crash.LogsRef))
        {
            return incident;
        }

        var which = crash.Previous ? "previous run" : "terminated run";
        var text = logs.Error is null
            ? string.Create(CultureInfo.InvariantCulture, $"Captured the last {logs.Lines.Count} log lines of the {which} of {crash.Pod}/{crash.Container}")
            : $"Could not capture the logs of the {which} of {crash.Pod}/{crash.Container}: {logs.Error}";
        return Append(incident, now, TimelineKind.LogsCaptured, text, Checklist.Dashboard, logs.Lines, @ref: crash.LogsRef);
    }

    public static Incident ActionStarted(Incident incident, ActionStart start)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(start);
        var definition = ActionCatalog.Get(start.Kind);
        return Append(incident, start.At, TimelineKind.ActionRequested,
            $"{definition.Title} requested by {start.Actor}" + (start.Request.IsEmpty ? "" : $": {start.Request}"),
            start.Actor.Name, [], definition.Slug, "action:" + start.Id.ToString("D"));
    }

    public static Incident ActionFinished(Incident incident, ActionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(outcome);
        var reference = "action-result:" + outcome.Id.ToString("D");
        if (incident.Has(reference))
        {
            return incident;
        }

        return Append(incident, outcome.FinishedAt, TimelineKind.ActionResult, $"{outcome.Status}: {outcome.Summary}", outcome.Actor.Name,
            [.. outcome.Steps.Select(s => s.ToString())], ActionCatalog.Get(outcome.Kind).Slug, reference);
    }

    public static Incident Approval(Incident incident, ApprovalNotice notice)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(notice);
        var definition = ActionCatalog.Get(notice.Kind);
        var (kind, text) = notice.Decision switch
        {
            ApprovalDecision.Requested => (TimelineKind.ApprovalRequested, $"{definition.Title} awaits approval, requested by {notice.By}"),
            ApprovalDecision.Approved => (TimelineKind.Approved, $"{definition.Title} approved by {notice.By}"),
            _ => (TimelineKind.Rejected, $"{definition.Title} rejected by {notice.By}"),
        };
        var reference = $"approval:{notice.ApprovalId:D}:{notice.Decision}";
        return incident.Has(reference)
            ? incident
            : Append(incident, notice.At, kind, text + (string.IsNullOrWhiteSpace(notice.Reason) ? "" : ": " + notice.Reason.Trim()), notice.By.Name, [],
                definition.Slug, reference);
    }

    /// <summary>A person ticks a checklist item. "Verify agent functionality" is the dashboard's to tick (by the gate), never a person's.</summary>
    public static IncidentResult Tick(Incident incident, ChecklistItem item, string by, DateTimeOffset now, TimeSpan settle)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (!incident.IsOpen)
        {
            return IncidentResult.Refused($"Incident {incident.Id:D} of {incident.AgentKey} is resolved; its checklist is closed.");
        }

        if (item == ChecklistItem.VerifyAgentFunctionality)
        {
            return IncidentResult.Refused(
                $"\"{Checklist.Title(item)}\" is ticked by the dashboard when the verification gate holds (rollout complete, pods Ready, no new restarts or Warning events for {Durations.Format(settle)}), not by hand.");
        }

        if (incident.TickOf(item) is { } tick)
        {
            return IncidentResult.Refused($"\"{Checklist.Title(item)}\" was already ticked by {tick.By} at {tick.At.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}.");
        }

        var next = Append(incident, now, TimelineKind.ChecklistTicked, $"Ticked \"{Checklist.Title(item)}\"", by, []);
        return IncidentResult.Ok(next with { Ticks = [.. next.Ticks, new ChecklistTick(item, by, now)] });
    }

    /// <summary>Resolves with a root cause (required); ticks "Document root cause" for the resolver when nobody has.</summary>
    public static IncidentResult Resolve(Incident incident, string? rootCause, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (!incident.IsOpen)
        {
            return IncidentResult.Refused($"Incident {incident.Id:D} of {incident.AgentKey} is already resolved (by {incident.ResolvedBy}).");
        }

        var text = rootCause?.Trim() ?? "";
        if (text.Length == 0)
        {
            return IncidentResult.Refused("A root cause is required to resolve an incident: say what failed and why.");
        }

        if (text.Length > MaxRootCauseLength)
        {
            return IncidentResult.Refused(string.Create(CultureInfo.InvariantCulture, $"The root cause is {text.Length} characters; at most {MaxRootCauseLength} are kept."));
        }

        var next = incident;
        if (next.TickOf(ChecklistItem.DocumentRootCause) is null)
        {
            next = Append(next, now, TimelineKind.ChecklistTicked, $"Ticked \"{Checklist.Title(ChecklistItem.DocumentRootCause)}\"", by, []);
            next = next with { Ticks = [.. next.Ticks, new ChecklistTick(ChecklistItem.DocumentRootCause, by, now)] };
        }

        var open = Checklist.Items.Where(i => next.TickOf(i) is null).Select(Checklist.Title).ToList();
        next = Append(next, now, TimelineKind.Resolved, $"Resolved by {by}", by,
            ["Root cause: " + text, .. open.Count == 0 ? Array.Empty<string>() : ["Not ticked: " + string.Join(", ", open)]]);
        return IncidentResult.Ok(next with { Status = IncidentStatus.Resolved, ResolvedAt = now, ResolvedBy = by, RootCause = text });
    }

    /// <summary>The runbook's heading for a section.</summary>
    public static string RunbookSectionTitle(RunbookSection section) => section switch
    {
        RunbookSection.CrashLoopBackOff => "1. Pod CrashLoopBackOff",
        RunbookSection.OutOfMemory => "2. Out of Memory (OOM)",
        RunbookSection.UnresponsiveAgent => "3. Unresponsive Agent",
        RunbookSection.Pending => "Pending pods (not in the runbook yet)",
        RunbookSection.ImagePull => "Image cannot be pulled (not in the runbook yet)",
        _ => "none",
    };

    /// <summary>The entries <paramref name="after"/> added to <paramref name="before"/>'s timeline.</summary>
    public static IReadOnlyList<TimelineEntry> Added(Incident? before, Incident after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var seen = before?.Timeline.Count ?? 0;
        return [.. after.Timeline.Skip(seen)];
    }

    private static Incident Append(Incident incident, DateTimeOffset at, TimelineKind kind, string text, string? actor, IEnumerable<string> lines,
        string? action = null, string? @ref = null) =>
        incident with { Timeline = [.. incident.Timeline, new TimelineEntry(incident.NextSequence, at, kind, text, actor, [.. lines], action, @ref)] };
}
