using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Runbook;

/// <summary>The CPU to give a container the scheduler cannot place (FailedScheduling: Insufficient cpu), and why.</summary>
public sealed record CpuSuggestion(string Container, string Request, string Limit, string Why)
{
    /// <summary>The set-resources values that apply this suggestion.</summary>
    public SetResourcesRequest Values => new(Container, null, null, Limit, Request);
}

/// <summary>
/// The one rule for an agent whose pods stay Pending because no node has the CPU it requests: the page, the Set resources
/// dialog's pre-fill and the HTTP API's guidance all use it. The dashboard does not watch nodes, so it cannot size the request
/// to a node's free CPU; it suggests the request and limit the fleet's agents run with (500m, 1), which a node that runs any
/// of them can hold, and says so. Pure.
/// </summary>
public static class CpuAdvice
{
    public const string Request = "500m";
    public const string Limit = "1";

    public static IReadOnlyList<CpuSuggestion> Suggest(AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var unschedulable = detail.Pods
            .Select(p => p.GetCondition(ConditionTypes.PodScheduled))
            .FirstOrDefault(c => c is { IsFalse: true } && (c.Message ?? "").Contains("Insufficient cpu", StringComparison.Ordinal));
        if (unschedulable is null)
        {
            return [];
        }

        var fits = Quantity.Parse(Request);
        return [.. (detail.Deployment?.Template.Containers ?? [])
            .Where(c => Quantity.Decode(c.Resources.CpuRequest) is { } asked && asked.CompareTo(fits) > 0)
            .Select(c => new CpuSuggestion(c.Name, Request, Limit,
                $"no node has {c.Resources.CpuRequest} CPU free for container {c.Name} ({unschedulable.Message?.Split(". ")[0]}); {Request} requested, {Limit} limit, " +
                "as the fleet's other agents run with, fits a node that runs them (the dashboard does not see node capacity: `kubectl describe nodes` shows it)"))];
    }
}
