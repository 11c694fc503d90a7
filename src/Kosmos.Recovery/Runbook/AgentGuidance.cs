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
    /// Why a restart cannot help this agent, if the evidence says so: the cause is configuration, memory, a dependency that
    /// is down, scheduling or the image, none of which a restart changes. Shown before a restart is confirmed (dialog and API).
    /// </summary>
    public IReadOnlyList<string> RestartWarnings
    {
        get
        {
            var section = Agent.Health.RunbookSection;
            var warnings = new List<string>();
            if (section == Health.RunbookSection.CrashLoopBackOff && Guide is { ConfigHints.Count: > 0 } guide)
            {
                warnings.Add($"The cause is configuration ({string.Join(", ", guide.ConfigHints.Select(h => h.What))}); a restart will crash again. " +
                    "Fix the configuration first (Set env), which rolls the pods by itself.");
            }

            var down = Down(Dependencies).ToList();
            if (section == Health.RunbookSection.CrashLoopBackOff && down.Count > 0)
            {
                warnings.Add($"It depends on {string.Join(", ", down.Select(d => $"{d.Hint.Agent} ({d.State})"))}, which is not serving; a restart will crash again until that is fixed.");
            }

            if (section == Health.RunbookSection.OutOfMemory && Guide?.Memory.FirstOrDefault(m => !m.AlreadySet) is { } memory)
            {
                warnings.Add($"Container {memory.Container} was OOMKilled at its {memory.KilledAt ?? "unset"} memory limit; a restart keeps that limit and will be OOMKilled again. Set resources instead (no restart needed).");
            }

            if (section == Health.RunbookSection.Pending)
            {
                warnings.Add("The pod cannot be scheduled; a restart creates the same pod, which cannot be scheduled either. Change what it asks for (Set resources) or the cluster.");
            }

            if (section == Health.RunbookSection.ImagePull)
            {
                warnings.Add("The image cannot be pulled; a restart pulls the same image again. Set an image that exists.");
            }

            return warnings;
        }
    }

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
        var dependencies = guide is null ? [] : DependencyStatus.Resolve(guide.Dependencies, find);
        if (guide is not null && detail.Summary.Health.RunbookSection == Health.RunbookSection.CrashLoopBackOff)
        {
            // A crash caused by a dependency that is down is fixed there: this agent starts again by itself (its crash-loop
            // back-off retries) once the dependency serves, so no action on this agent is suggested before that one.
            var first = Down(dependencies).Select(d => new SuggestedStep(null, Actions.ActionRequest.None,
                $"kubectl describe deployment {d.Hint.Agent} -n {d.Hint.Namespace}",
                $"Fix {d.Hint.Agent} first (its agent page: /agents/{d.Hint.Namespace}/{d.Hint.Agent}; it is {d.State}: {d.Text}). " +
                $"{detail.Summary.Name} needs it ({d.Hint.EnvName}) and recovers on its own once {d.Hint.Agent} is ready: its crash-loop back-off starts it again."));
            guide = guide with { Suggestions = [.. first, .. guide.Suggestions] };
        }

        return new AgentGuidance(
            detail.Summary,
            guide,
            previousLog is null ? [] : LogErrorLines.Pick(previousLog),
            previousLogError,
            dependencies);
    }

    /// <summary>The dependencies that are agents the board knows and that are not serving.</summary>
    public static IEnumerable<DependencyStatus> Down(IEnumerable<DependencyStatus> dependencies) =>
        dependencies.Where(d => d.Hint.Agent is not null && d.State is { } state
            && state is not (Health.HealthState.Healthy or Health.HealthState.Recovered or Health.HealthState.Progressing));
}
