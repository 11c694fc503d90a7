using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.Incidents;

/// <summary>An incident in a list (<c>GET /api/incidents</c>): who, what, when, and how far it got.</summary>
public sealed record IncidentSummaryMessage(
    Guid Id,
    string Namespace,
    string Agent,
    string Status,
    string FailureMode,
    string Summary,
    DateTimeOffset DetectedAt,
    string OpenedBy,
    string CurrentState,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    int Ticked,
    int ChecklistItems)
{
    public static IncidentSummaryMessage From(Incident i) => new(i.Id, i.Namespace, i.Agent, i.Status.ToString(), i.FailureMode.ToString(), i.Summary,
        i.DetectedAt, i.OpenedBy, i.CurrentState.ToString(), i.VerifiedAt, i.ResolvedAt, i.ResolvedBy, i.Ticks.Count, Checklist.Items.Count);
}

/// <summary>One incident with its timeline and checklist (<c>GET /api/incidents/{id}</c>, and the hub's <c>Incidents</c> stream).</summary>
public sealed record IncidentMessage(
    Guid Id,
    string Namespace,
    string Agent,
    string Status,
    string FailureMode,
    string RunbookSection,
    string Summary,
    IReadOnlyList<string> Evidence,
    DateTimeOffset DetectedAt,
    DateTimeOffset? ProblemSince,
    string OpenedBy,
    string CurrentState,
    DateTimeOffset? QuietSince,
    DateTimeOffset? RecoveredAt,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? RootCause,
    IReadOnlyList<TimelineEntryMessage> Timeline,
    IReadOnlyList<ChecklistItemMessage> Checklist)
{
    public static IncidentMessage From(Incident i) => new(i.Id, i.Namespace, i.Agent, i.Status.ToString(), i.FailureMode.ToString(), i.RunbookSection.ToString(),
        i.Summary, i.Evidence, i.DetectedAt, i.ProblemSince, i.OpenedBy, i.CurrentState.ToString(), i.QuietSince, i.RecoveredAt, i.VerifiedAt, i.ResolvedAt,
        i.ResolvedBy, i.RootCause,
        [.. i.Timeline.Select(e => new TimelineEntryMessage(e.Sequence, e.At, e.Kind.ToString(), TimelineCategories.Of(e.Kind).ToString(), e.Text, e.Actor, e.Lines, e.Action))],
        [.. Recovery.Incidents.Checklist.Items.Select(item => ChecklistItemMessage.From(item, i.TickOf(item)))]);
}

/// <param name="Category">Health, Evidence, Events, Actions or Checklist: what the timeline's filters group by.</param>
/// <param name="Sequence">Position in the timeline, from 1.</param>
/// <param name="At">When it happened (or was observed).</param>
/// <param name="Kind">The entry's kind (TimelineKind's name).</param>
/// <param name="Text">One line to read.</param>
/// <param name="Actor">Who did it; null for cluster facts.</param>
/// <param name="Lines">Details: evidence lines, log lines, action steps.</param>
/// <param name="Action">The action's slug for action and approval entries; null otherwise.</param>
public sealed record TimelineEntryMessage(int Sequence, DateTimeOffset At, string Kind, string Category, string Text, string? Actor, IReadOnlyList<string> Lines, string? Action);

/// <param name="Item">The slug to tick it with (<c>POST /api/incidents/{id}/checklist/{item}</c>).</param>
/// <param name="DashboardOnly">True for "Verify agent functionality": only the verification gate ticks it.</param>
/// <param name="Title">The runbook's wording of the item.</param>
/// <param name="TickedBy">Who ticked it; null while it is not ticked.</param>
/// <param name="TickedAt">When it was ticked; null while it is not.</param>
public sealed record ChecklistItemMessage(string Item, string Title, bool DashboardOnly, string? TickedBy, DateTimeOffset? TickedAt)
{
    public static ChecklistItemMessage From(ChecklistItem item, ChecklistTick? tick) =>
        new(Checklist.Slug(item), Checklist.Title(item), item == ChecklistItem.VerifyAgentFunctionality, tick?.By, tick?.At);
}

/// <summary>One message of the hub's <c>Incidents</c> stream: <c>snapshot</c> (every incident), then <c>changes</c> (incidents that changed).</summary>
public sealed record IncidentStreamMessage(string Type, IReadOnlyList<IncidentMessage> Incidents);

/// <summary>Body of <c>POST /api/incidents</c>: open an incident by hand.</summary>
public sealed record OpenIncidentBody(string? Namespace, string? Name, string? Note);

/// <summary>Body of <c>POST /api/incidents/{id}/resolve</c>.</summary>
public sealed record ResolveIncidentBody(string? RootCause);
