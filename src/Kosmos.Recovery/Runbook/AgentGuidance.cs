using Kosmos.Recovery.Live;

namespace Kosmos.Recovery.Runbook;

/// <summary>
/// Everything the runbook guidance says about one agent now: the <see cref="RunbookGuide"/> (null when no runbook section
/// applies), the crashed run's error lines it read (or why it could not), and how the dependencies named in the
/// environment are doing. What the agent page's Runbook tab, the hub and <c>GET /api/agents/{ns}/{name}/guidance</c> show.
/// </summary>
public sealed record AgentGuidance(
    AgentSummary Agent,
    RunbookGuide? Guide,
    IReadOnlyList<string> ErrorLines,
    string? PreviousLogError,
    IReadOnlyList<DependencyStatus> Dependencies)
{
    /// <summary>
    /// The guidance for <paramref name="detail"/>, from the previous run's log when the caller read it
    /// (<paramref name="previousLog"/>, or <paramref name="previousLogError"/> why not), looking dependencies up with
    /// <paramref name="find"/>. Pure.
    /// </summary>
    public static AgentGuidance Build(AgentDetail detail, DateTimeOffset now, IReadOnlyList<string>? previousLog, string? previousLogError,
        Func<string, string, AgentSummary?> find)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var guide = RunbookGuide.Build(detail, now, previousLog);
        return new AgentGuidance(
            detail.Summary,
            guide,
            previousLog is null ? [] : LogErrorLines.Pick(previousLog),
            previousLogError,
            guide is null ? [] : DependencyStatus.Resolve(guide.Dependencies, find));
    }
}
