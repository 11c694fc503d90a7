namespace Kosmos.Recovery.Incidents;

/// <summary>The runbook's "Post-Recovery" checklist, in its order.</summary>
public enum ChecklistItem
{
    /// <summary>Ticked only by the dashboard, when the verification gate holds (<see cref="VerificationGate"/>).</summary>
    VerifyAgentFunctionality,
    CheckMetricsAndLogs,
    DocumentRootCause,
    UpdateRunbookIfNeeded,
    ConductPostMortem,
}

/// <summary>Who ticked an item and when.</summary>
public sealed record ChecklistTick(ChecklistItem Item, string By, DateTimeOffset At);

public static class Checklist
{
    /// <summary>The name the dashboard ticks and records under.</summary>
    public const string Dashboard = "dashboard";

    public static IReadOnlyList<ChecklistItem> Items { get; } = Enum.GetValues<ChecklistItem>();

    /// <summary>The item as the runbook words it.</summary>
    public static string Title(ChecklistItem item) => item switch
    {
        ChecklistItem.VerifyAgentFunctionality => "Verify agent functionality",
        ChecklistItem.CheckMetricsAndLogs => "Check metrics and logs",
        ChecklistItem.DocumentRootCause => "Document root cause",
        ChecklistItem.UpdateRunbookIfNeeded => "Update runbook if needed",
        ChecklistItem.ConductPostMortem => "Conduct post-mortem",
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "not a checklist item"),
    };

    /// <summary>Stable kebab-case name for URLs and scripts, e.g. <c>check-metrics-and-logs</c>.</summary>
    public static string Slug(ChecklistItem item) => Title(item).ToLowerInvariant().Replace(' ', '-');

    public static ChecklistItem? FromSlug(string? slug) =>
        Items.Select(i => (ChecklistItem?)i).FirstOrDefault(i => string.Equals(Slug(i!.Value), slug?.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(i!.Value.ToString(), slug?.Trim(), StringComparison.OrdinalIgnoreCase));
}
