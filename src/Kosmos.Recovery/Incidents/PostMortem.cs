using System.Globalization;
using System.Text;

namespace Kosmos.Recovery.Incidents;

/// <summary>
/// The Markdown post-mortem of an incident, pre-filled from its timeline: the timings (detection, first action, recovery),
/// the evidence and captured logs, every action with who requested and who approved it, the checklist and the whole
/// timeline. Pure: the same incident gives the same text.
/// </summary>
public static class PostMortem
{
    public static string Render(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Post-mortem: {incident.AgentKey} — {incident.FailureMode}\n\n");
        md.Append("| | |\n| --- | --- |\n");
        Row(md, "Incident", incident.Id.ToString("D"));
        Row(md, "Status", incident.IsOpen ? "Open" : $"Resolved by {incident.ResolvedBy} at {Stamp(incident.ResolvedAt)}");
        Row(md, "Failure mode", $"{incident.FailureMode} (runbook: {IncidentRules.RunbookSectionTitle(incident.RunbookSection)})");
        Row(md, "Detected", $"{Stamp(incident.DetectedAt)} by {incident.OpenedBy}" + (incident.ProblemSince is { } since ? $" (problem since {Stamp(since)} by the cluster's clock)" : ""));
        var first = incident.FirstAction;
        Row(md, "Time to first action", first is null ? "no action was taken" : $"{Durations.Format(first.At - incident.DetectedAt)} ({Stamp(first.At)}, {first.Text})");
        Row(md, "Time to recovery", incident.RecoveredAt is { } recovered
            ? $"{Durations.Format(recovered - incident.DetectedAt)} (healthy from {Stamp(recovered)}, verified at {Stamp(incident.VerifiedAt)})"
            : "not recovered (the verification gate has not held)");
        if (incident.ResolvedAt is { } resolved)
        {
            Row(md, "Time to resolution", Durations.Format(resolved - incident.DetectedAt));
        }

        md.Append("\n## Summary at detection\n\n").Append(incident.Summary).Append('\n');
        md.Append("\n## Root cause\n\n").Append(incident.RootCause ?? "_Not documented yet._").Append('\n');

        md.Append("\n## Evidence at detection\n\n");
        Bullets(md, incident.Evidence);

        md.Append("\n## Crashes and captured logs\n\n");
        var crashes = incident.Timeline.Where(e => e.Kind == TimelineKind.Crash).ToList();
        if (crashes.Count == 0)
        {
            md.Append("_No container terminations were seen._\n");
        }

        foreach (var crash in crashes)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {crash.Text}\n\nSeen at {Stamp(crash.At)}.\n\n");
            Bullets(md, crash.Lines);
            var logs = incident.Timeline.FirstOrDefault(e => e.Kind == TimelineKind.LogsCaptured && crash.Ref is not null && e.Ref == "logs:" + crash.Ref[6..]);
            if (logs is not null)
            {
                md.Append('\n').Append(logs.Text).Append(":\n\n```text\n");
                foreach (var line in logs.Lines)
                {
                    md.Append(line.Replace("```", "'''", StringComparison.Ordinal)).Append('\n');
                }

                md.Append("```\n");
            }

            md.Append('\n');
        }

        md.Append("\n## Warning events\n\n");
        Bullets(md, TimelineReading.CollapseEventRepeats(incident.Timeline).Where(e => e.Kind == TimelineKind.KubernetesEvent).Select(e => $"{Stamp(e.At)} {e.Text}"));

        md.Append("\n## Actions\n\n");
        var actions = Actions(incident);
        if (actions.Count == 0)
        {
            md.Append("_No action was taken through the dashboard._\n");
        }
        else
        {
            md.Append("| Requested | Action | Requested by | Approved by | Result | Finished |\n| --- | --- | --- | --- | --- | --- |\n");
            foreach (var a in actions)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Stamp(a.Requested.At)} | {Cell(a.Requested.Text)} | {a.Requested.Actor} | {a.Approver ?? "—"} | {Cell(a.Result?.Text ?? "did not finish")} | {(a.Result is null ? "—" : Stamp(a.Result.At))} |\n");
            }
        }

        md.Append("\n## Post-recovery checklist\n\n");
        foreach (var item in Checklist.Items)
        {
            var tick = incident.TickOf(item);
            md.Append(tick is null
                ? $"- [ ] {Checklist.Title(item)}\n"
                : $"- [x] {Checklist.Title(item)} — {tick.By} at {Stamp(tick.At)}\n");
        }

        md.Append("\n## Timeline\n\n| Time | What | Who |\n| --- | --- | --- |\n");
        foreach (var e in TimelineReading.CollapseEventRepeats(incident.Timeline))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Stamp(e.At)} | {e.Kind}: {Cell(e.Text)} | {e.Actor ?? "cluster"} |\n");
        }

        return md.ToString();
    }

    /// <summary>Every action request with its result and the person who approved it (the last approval of that action before it).</summary>
    public static IReadOnlyList<ActionRecord> Actions(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var records = new List<ActionRecord>();
        var used = new HashSet<int>();
        foreach (var request in incident.Timeline.Where(e => e.Kind == TimelineKind.ActionRequested))
        {
            var id = request.Ref?["action:".Length..];
            var result = incident.Timeline.FirstOrDefault(e => e.Kind == TimelineKind.ActionResult && e.Ref == "action-result:" + id);
            var approval = incident.Timeline.LastOrDefault(e => e.Kind == TimelineKind.Approved && e.Action == request.Action
                && e.Sequence < request.Sequence && !used.Contains(e.Sequence));
            if (approval is not null)
            {
                used.Add(approval.Sequence);
            }

            records.Add(new ActionRecord(request, result, approval?.Actor));
        }

        return records;
    }

    private static void Row(StringBuilder md, string name, string value) => md.Append("| ").Append(name).Append(" | ").Append(Cell(value)).Append(" |\n");

    private static void Bullets(StringBuilder md, IEnumerable<string> lines)
    {
        var any = false;
        foreach (var line in lines)
        {
            md.Append("- ").Append(line).Append('\n');
            any = true;
        }

        if (!any)
        {
            md.Append("_None._\n");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    private static string Stamp(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "—";
}

/// <summary>One action on an incident: the request, its result once finished, and who approved it when it needed approval.</summary>
public sealed record ActionRecord(TimelineEntry Requested, TimelineEntry? Result, string? Approver);
