namespace Kosmos.Recovery.Incidents;

/// <summary>What the timeline's filters group entries by.</summary>
public enum TimelineCategory
{
    Health,
    Evidence,
    Events,
    Actions,
    Checklist,
}

public static class TimelineCategories
{
    public static TimelineCategory Of(TimelineKind kind) => kind switch
    {
        TimelineKind.Opened or TimelineKind.HealthChanged or TimelineKind.Verified or TimelineKind.VerificationVoid or TimelineKind.Resolved => TimelineCategory.Health,
        TimelineKind.Crash or TimelineKind.LogsCaptured => TimelineCategory.Evidence,
        TimelineKind.KubernetesEvent => TimelineCategory.Events,
        TimelineKind.ActionRequested or TimelineKind.ActionResult or TimelineKind.ApprovalRequested or TimelineKind.Approved or TimelineKind.Rejected => TimelineCategory.Actions,
        TimelineKind.ChecklistTicked => TimelineCategory.Checklist,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no category for this timeline entry"),
    };
}
