using Kosmos.Dashboard.Actions;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.Guidance;

/// <summary>
/// An agent's runbook guidance as the HTTP API and the hub send it: the same guide the agent page's Runbook tab shows.
/// <see cref="Section"/> is null when no runbook section applies (then the lists are empty).
/// </summary>
public sealed record GuidanceMessage(
    string Namespace,
    string Name,
    string State,
    string Diagnosis,
    string? Section,
    bool InRunbook,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<GuideFactMessage> Facts,
    IReadOnlyList<string> DiagnosisCommands,
    IReadOnlyList<string> ResolutionCommands,
    IReadOnlyList<SkippedCommandMessage> NotNeeded,
    IReadOnlyList<SuggestionMessage> Suggestions,
    IReadOnlyList<string> ErrorLines,
    string? PreviousLogError,
    IReadOnlyList<ConfigHintMessage> ConfigHints,
    IReadOnlyList<DependencyMessage> Dependencies)
{
    public static GuidanceMessage From(AgentGuidance guidance)
    {
        ArgumentNullException.ThrowIfNull(guidance);
        var guide = guidance.Guide;
        return new GuidanceMessage(
            guidance.Agent.Namespace,
            guidance.Agent.Name,
            guidance.Agent.Health.State.ToString(),
            guidance.Agent.Health.Summary,
            guide?.Section.Title,
            guide?.Section.InRunbook ?? false,
            guidance.Agent.Health.Evidence,
            [.. (guide?.Facts ?? []).Select(f => new GuideFactMessage(f.Key, f.Label, f.Value))],
            [.. (guide?.DiagnosisCommands ?? []).Select(c => c.Command)],
            guide?.ResolutionCommands ?? [],
            [.. (guide?.NotNeeded ?? []).Select(n => new SkippedCommandMessage(n.Command, n.Why))],
            [.. (guide?.Suggestions ?? []).Select(SuggestionMessage.From)],
            guidance.ErrorLines,
            guidance.PreviousLogError,
            [.. (guide?.ConfigHints ?? []).Select(h => new ConfigHintMessage(h.What, h.Detail))],
            [.. guidance.Dependencies.Select(d => new DependencyMessage(d.Hint.EnvName, d.Hint.Host, d.Hint.Namespace, d.Hint.Agent, d.State?.ToString(), d.Text))]);
    }
}

public sealed record GuideFactMessage(string Key, string Label, string Value);

public sealed record SkippedCommandMessage(string Command, string Why);

/// <summary>
/// A suggested step: <see cref="Action"/> is the action's slug (POST .../actions/{action}/preview with <see cref="Values"/>),
/// or null for a step to take elsewhere.
/// </summary>
public sealed record SuggestionMessage(string? Action, ActionBody? Values, string Command, string Why)
{
    public static SuggestionMessage From(SuggestedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new SuggestionMessage(
            step.Action is { } kind ? Recovery.Actions.ActionCatalog.Get(kind).Slug : null,
            step.Values.IsEmpty || step.Action is not { } valued ? null : ActionBody.From(valued, step.Values),
            step.Command,
            step.Why);
    }
}

public sealed record ConfigHintMessage(string What, string Detail);

public sealed record DependencyMessage(string EnvName, string Host, string? Namespace, string? Agent, string? State, string Text);
