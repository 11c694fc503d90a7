using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Runbook;

/// <summary>
/// The memory to give one OOM-killed container: the runbook's values (<c>--limits=memory=2Gi --requests=memory=1Gi</c>)
/// unless the evidence shows they are not enough, and then why. <see cref="KilledAt"/> is the limit the killed pod really
/// had (not the Deployment's, which may have been raised since). <see cref="AlreadySet"/>: the Deployment already has at
/// least the suggested limit (its new pods are rolling out), so there is nothing to set.
/// </summary>
public sealed record MemorySuggestion(
    string Container,
    string Limit,
    string Request,
    bool FromRunbook,
    string? KilledAt,
    string KilledIn,
    string Why,
    bool AlreadySet)
{
    /// <summary>The set-resources values that apply this suggestion.</summary>
    public SetResourcesRequest Values => new(Container, Limit, Request, null, null);
}

/// <summary>
/// The one rule for the memory an OOM-killed agent should get, used by the Runbook tab, the Set resources dialog's
/// pre-fill and the HTTP API's guidance alike. Pure.
/// </summary>
public static class MemoryAdvice
{
    /// <summary>The runbook's Out of Memory resolution: <c>--limits=memory=2Gi</c>.</summary>
    public const string RunbookLimit = "2Gi";

    /// <summary>The runbook's Out of Memory resolution: <c>--requests=memory=1Gi</c>.</summary>
    public const string RunbookRequest = "1Gi";

    private static readonly long RunbookLimitBytes = MemoryQuantity.Parse(RunbookLimit)!.Value;
    private static readonly long RunbookRequestBytes = MemoryQuantity.Parse(RunbookRequest)!.Value;

    /// <summary>A suggestion per container that an OOM kill shows in one of the agent's pods, in container order.</summary>
    public static IReadOnlyList<MemorySuggestion> Suggest(AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var template = detail.Deployment?.Template.Containers ?? [];
        var kills = detail.Pods
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .SelectMany(p => p.Containers.Where(c => OomKill(c) is not null).Select(c => (Pod: p, Container: c)))
            .ToList();
        var suggestions = new List<MemorySuggestion>();
        foreach (var group in kills.GroupBy(k => k.Container.Name, StringComparer.Ordinal))
        {
            var spec = template.FirstOrDefault(c => c.Name == group.Key)?.Resources ?? group.First().Container.Resources;

            // The largest limit any pod was killed at: a kill at the raised limit outweighs an older one at the old limit.
            var worst = group.OrderByDescending(k => MemoryQuantity.Parse(k.Container.Resources.MemoryLimit) ?? long.MaxValue).First();
            var killedAtText = worst.Container.Resources.MemoryLimit;
            var killedAt = MemoryQuantity.Parse(killedAtText);
            var killedIn = "pod " + worst.Pod.Name;
            var currentRequest = MemoryQuantity.Parse(spec.MemoryRequest);

            long limit;
            long request;
            bool fromRunbook;
            string why;
            if (killedAt is null or 0)
            {
                (limit, request, fromRunbook) = (RunbookLimitBytes, RunbookRequestBytes, true);
                why = $"the runbook's values: container {group.Key} was OOMKilled ({killedIn}) without a memory limit (the node ran short of memory); the runbook's limit bounds it";
            }
            else if (killedAt < RunbookLimitBytes)
            {
                (limit, request, fromRunbook) = (RunbookLimitBytes, RunbookRequestBytes, true);
                why = $"the runbook's values: container {group.Key} was OOMKilled ({killedIn}) at its {killedAtText} limit, below the runbook's {RunbookLimit}";
            }
            else
            {
                limit = MemoryQuantity.SuggestLimit(killedAt.Value);
                request = limit / 2;
                fromRunbook = false;
                why = $"more than the runbook's {RunbookLimit}: container {group.Key} was OOMKilled ({killedIn}) at a {killedAtText} limit, so {RunbookLimit} is not enough; " +
                    $"this doubles {killedAtText}, rounded up";
            }

            // Never suggest lowering a request someone set on purpose, nor a request above the limit.
            request = Math.Min(limit, Math.Max(request, currentRequest ?? 0));
            var alreadySet = MemoryQuantity.Parse(spec.MemoryLimit) is { } now && now >= limit;
            if (alreadySet)
            {
                why = $"the Deployment already has a {spec.MemoryLimit} limit for container {group.Key} (it was OOMKilled at {killedAtText ?? "no limit"} in {killedIn}); its pods are being replaced";
            }

            suggestions.Add(new MemorySuggestion(group.Key, MemoryQuantity.Format(limit), MemoryQuantity.Format(request), fromRunbook, killedAtText, killedIn, why, alreadySet));
        }

        return suggestions;
    }

    /// <summary>
    /// The OOM kill a container's state or last state shows: reason OOMKilled, or exit code 137 that is not a clean
    /// completion (the runbook's "Exit code 137"), or null.
    /// </summary>
    public static ContainerState.Terminated? OomKill(ContainerSnapshot container)
    {
        ArgumentNullException.ThrowIfNull(container);
        static bool IsOom(ContainerState? s) =>
            s is ContainerState.Terminated t && (t.Reason == KubeReasons.OomKilled || (t.ExitCode == ExitCodes.SigKill && t.Reason != KubeReasons.Completed));
        return IsOom(container.State) ? (ContainerState.Terminated)container.State!
            : IsOom(container.LastState) ? (ContainerState.Terminated)container.LastState!
            : null;
    }
}
