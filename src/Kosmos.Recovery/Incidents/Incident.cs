using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Incidents;

public enum IncidentStatus
{
    Open,
    Resolved,
}

/// <summary>
/// One failure of one agent, followed from detection to post-mortem: what was seen when it was detected, everything that
/// happened after (<see cref="Timeline"/>), the runbook's post-recovery checklist and how it ended. Immutable: every change
/// is a new value made by <see cref="IncidentRules"/>, so the service can publish it to every viewer as it is.
/// </summary>
/// <param name="FailureMode">The agent's state when the incident opened (the failure it is about).</param>
/// <param name="Summary">The verdict's one line at detection.</param>
/// <param name="Evidence">The verdict's evidence at detection.</param>
/// <param name="ProblemSince">When the classifier thinks the problem began (may be before detection).</param>
/// <param name="OpenedBy">"dashboard" when opened automatically, otherwise the person.</param>
/// <param name="CurrentState">The agent's state as last seen.</param>
/// <param name="QuietSince">Since when the agent has been healthy with no new restart or Warning event; null while it is not.</param>
/// <param name="RecoveredAt">When the agent turned healthy for good (the start of the quiet window that verified it).</param>
/// <param name="VerifiedAt">When the verification gate held.</param>
/// <param name="Id">The incident's identity (stable across restarts of the dashboard).</param>
/// <param name="Namespace">The agent's namespace.</param>
/// <param name="Agent">The agent's name.</param>
/// <param name="Status">Open until resolved.</param>
/// <param name="RunbookSection">Where the runbook covers the failure.</param>
/// <param name="DetectedAt">When the dashboard opened it.</param>
/// <param name="ResolvedAt">When it was resolved; null while open.</param>
/// <param name="ResolvedBy">Who resolved it; null while open.</param>
/// <param name="RootCause">The root cause written at resolution; null until then.</param>
/// <param name="Timeline">Everything that happened, in order.</param>
/// <param name="Ticks">The post-recovery checklist items ticked so far.</param>
public sealed record Incident(
    Guid Id,
    string Namespace,
    string Agent,
    IncidentStatus Status,
    HealthState FailureMode,
    RunbookSection RunbookSection,
    string Summary,
    ValueList<string> Evidence,
    DateTimeOffset DetectedAt,
    DateTimeOffset? ProblemSince,
    string OpenedBy,
    HealthState CurrentState,
    DateTimeOffset? QuietSince,
    DateTimeOffset? RecoveredAt,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? RootCause,
    ValueList<TimelineEntry> Timeline,
    ValueList<ChecklistTick> Ticks)
{
    public string AgentKey => Live.AgentKey.Of(Namespace, Agent);

    public bool IsOpen => Status == IncidentStatus.Open;

    public ChecklistTick? TickOf(ChecklistItem item) => Ticks.FirstOrDefault(t => t.Item == item);

    /// <summary>Whether the timeline already holds an entry for this fact (<see cref="TimelineEntry.Ref"/>).</summary>
    public bool Has(string reference) => Timeline.Any(e => e.Ref == reference);

    /// <summary>The first action anyone asked for, if any.</summary>
    public TimelineEntry? FirstAction => Timeline.FirstOrDefault(e => e.Kind is TimelineKind.ActionRequested or TimelineKind.ApprovalRequested);

    public int NextSequence => Timeline.Count == 0 ? 1 : Timeline[^1].Sequence + 1;
}

/// <summary>What one timeline entry records.</summary>
public enum TimelineKind
{
    /// <summary>The incident opened (automatically at detection, or by hand).</summary>
    Opened,

    /// <summary>The agent's health state changed.</summary>
    HealthChanged,

    /// <summary>A container terminated: the describe-level facts (reason, exit code, signal, restarts, limits).</summary>
    Crash,

    /// <summary>The previous run's log lines, read right after a crash (the cluster keeps only the last run's).</summary>
    LogsCaptured,

    /// <summary>A Kubernetes Warning event about the agent (new, or repeated with a higher count).</summary>
    KubernetesEvent,

    /// <summary>Someone asked for a recovery action.</summary>
    ActionRequested,

    /// <summary>How an action ended (verified, refused, failed ...), with its steps.</summary>
    ActionResult,

    /// <summary>An action waits for a second person's approval.</summary>
    ApprovalRequested,

    Approved,

    Rejected,

    /// <summary>The verification gate held: rollout complete, pods ready, quiet for the settle window.</summary>
    Verified,

    /// <summary>The agent failed again after it was verified: the verification no longer holds.</summary>
    VerificationVoid,

    ChecklistTicked,

    Resolved,
}

/// <summary>
/// One fact in an incident's timeline, with who and when. <paramref name="Ref"/> identifies the fact it records (a crash
/// by pod, container and restart count; an event by uid and count; an action by id) so the same fact is never recorded twice,
/// even after the dashboard restarts.
/// </summary>
/// <param name="Sequence">Position in the timeline, from 1.</param>
/// <param name="Actor">Who did it ("dashboard" for what the dashboard observed or decided); null for cluster facts.</param>
/// <param name="Lines">Details: evidence lines, log lines, action steps.</param>
/// <param name="Action">The action's slug for action and approval entries.</param>
/// <param name="At">When it happened (or was observed).</param>
/// <param name="Kind">What sort of fact it is.</param>
/// <param name="Text">One line to read.</param>
/// <param name="Ref">The fact it records, so it is recorded once; null for entries that cannot repeat.</param>
public sealed record TimelineEntry(
    int Sequence,
    DateTimeOffset At,
    TimelineKind Kind,
    string Text,
    string? Actor,
    ValueList<string> Lines,
    string? Action = null,
    string? Ref = null);
