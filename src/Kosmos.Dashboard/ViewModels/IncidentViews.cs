using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>The incidents list's filters: status (null = all), agent (part of namespace/name), failure mode (null = all). Pure.</summary>
public sealed record IncidentFilter(IncidentStatus? Status = IncidentStatus.Open, string? Agent = null, HealthState? FailureMode = null)
{
    public IReadOnlyList<Incident> Apply(IEnumerable<Incident> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var agent = Agent?.Trim() ?? "";
        return [.. incidents
            .Where(i => Status is null || i.Status == Status)
            .Where(i => agent.Length == 0 || i.AgentKey.Contains(agent, StringComparison.OrdinalIgnoreCase))
            .Where(i => FailureMode is null || i.FailureMode == FailureMode)
            .OrderBy(i => i.IsOpen ? 0 : 1)
            .ThenByDescending(i => i.DetectedAt)];
    }
}

/// <summary>How a timeline entry looks: a Material icon name, a palette colour and a short label. Pure.</summary>
public sealed record TimelineLook(string Icon, string Colour, string Label)
{
    public static TimelineLook Of(TimelineKind kind) => kind switch
    {
        TimelineKind.Opened => new("report", "error", "Opened"),
        TimelineKind.HealthChanged => new("monitor_heart", "info", "Health"),
        TimelineKind.Crash => new("dangerous", "error", "Crash"),
        TimelineKind.LogsCaptured => new("description", "default", "Logs"),
        TimelineKind.KubernetesEvent => new("warning", "warning", "Event"),
        TimelineKind.ActionRequested => new("play_arrow", "primary", "Action"),
        TimelineKind.ActionResult => new("flag", "primary", "Result"),
        TimelineKind.ApprovalRequested => new("pending", "warning", "Approval"),
        TimelineKind.Approved => new("thumb_up", "success", "Approved"),
        TimelineKind.Rejected => new("thumb_down", "error", "Rejected"),
        TimelineKind.Verified => new("verified", "success", "Verified"),
        TimelineKind.VerificationVoid => new("gpp_bad", "error", "Void"),
        TimelineKind.ChecklistTicked => new("check_box", "success", "Checklist"),
        TimelineKind.Resolved => new("task_alt", "success", "Resolved"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no look for this timeline entry"),
    };

    /// <summary>The entries whose category is shown, newest first, each Warning event once (at its latest count).</summary>
    public static IReadOnlyList<TimelineEntry> Visible(Incident incident, IReadOnlySet<TimelineCategory> shown)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(shown);
        return [.. TimelineReading.CollapseEventRepeats(incident.Timeline).Where(e => shown.Contains(TimelineCategories.Of(e.Kind))).Reverse()];
    }
}

/// <summary>One line per open incident for the wallboard, with the actions still running (requested, no result yet).</summary>
public sealed record WallIncident(Guid Id, string Agent, HealthState FailureMode, HealthState CurrentState, string Age, int Ticked, IReadOnlyList<string> Running)
{
    public static IReadOnlyList<WallIncident> From(IEnumerable<Incident> incidents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        return [.. incidents.Where(i => i.IsOpen).OrderBy(i => i.DetectedAt).Select(i => new WallIncident(i.Id, i.AgentKey, i.FailureMode, i.CurrentState,
            TimeText.Duration(i.DetectedAt, now), i.Ticks.Count,
            [.. PostMortem.Actions(i).Where(a => a.Result is null).Select(a => a.Requested.Text)]))];
    }
}
