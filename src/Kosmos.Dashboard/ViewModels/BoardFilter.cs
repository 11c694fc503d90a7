using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>What the board shows: agents in any of <see cref="States"/> (all when empty) whose name contains <see cref="Search"/>.</summary>
public sealed record BoardFilter(IReadOnlySet<HealthState> States, string Search)
{
    public static BoardFilter All { get; } = new(new HashSet<HealthState>(), "");

    public bool IsEmpty => States.Count == 0 && string.IsNullOrWhiteSpace(Search);

    public bool Matches(AgentSummary agent) =>
        (States.Count == 0 || States.Contains(agent.Health.State))
        && (string.IsNullOrWhiteSpace(Search) || agent.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The same filter with <paramref name="state"/> switched on or off.</summary>
    public BoardFilter Toggle(HealthState state)
    {
        var states = new HashSet<HealthState>(States);
        if (!states.Remove(state))
        {
            states.Add(state);
        }

        return this with { States = states };
    }

    public BoardFilter WithSearch(string? search) => this with { Search = search ?? "" };

    public BoardFilter WithoutStates() => this with { States = new HashSet<HealthState>() };
}
