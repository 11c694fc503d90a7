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

/// <summary>How the timeline is read by people (the incident page and the post-mortem). Pure.</summary>
public static class TimelineReading
{
    private const string EventRefPrefix = "event:";

    /// <summary>
    /// The entries with each Kubernetes Warning event shown once, where it was last recorded: the timeline keeps a new entry
    /// every time an event's count grows (a failing probe every few seconds makes dozens), which buries everything else.
    /// The kept entry says how often it was recorded and since when. Entries stay in order; nothing else changes.
    /// </summary>
    public static IReadOnlyList<TimelineEntry> CollapseEventRepeats(IReadOnlyList<TimelineEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = new Dictionary<string, TimelineEntry>(StringComparer.Ordinal);
        var times = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (EventKey(entries[i]) is { } key)
            {
                last[key] = i;
                first.TryAdd(key, entries[i]);
                times[key] = times.GetValueOrDefault(key) + 1;
            }
        }

        var kept = new List<TimelineEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (EventKey(entry) is not { } key)
            {
                kept.Add(entry);
            }
            else if (last[key] == i)
            {
                kept.Add(times[key] == 1 ? entry : entry with
                {
                    Text = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{entry.Text} (recorded {times[key]} times since {first[key].At.UtcDateTime:HH:mm:ss} UTC; the latest shown)"),
                });
            }
        }

        return kept;
    }

    // "event:<uid>/<count>" → "<uid>": one event object, whatever its count.
    private static string? EventKey(TimelineEntry entry) =>
        entry.Kind == TimelineKind.KubernetesEvent && entry.Ref is { } r && r.StartsWith(EventRefPrefix, StringComparison.Ordinal) && r.LastIndexOf('/') is var slash and > 0
            ? r[EventRefPrefix.Length..slash]
            : null;
}
