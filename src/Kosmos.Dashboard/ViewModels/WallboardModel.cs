using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

public sealed record StateCount(HealthState State, int Count);

public sealed record WallTile(string Key, string Namespace, string Name, HealthState State, string Reason, string Duration);

/// <summary>The wallboard: counts per state and a tile per failing agent (worst first, then the longest-running problem).</summary>
public sealed record WallboardModel(int Total, IReadOnlyList<StateCount> Counts, IReadOnlyList<WallTile> Tiles, int HiddenTiles)
{
    public const int MaxTiles = 48;

    public static WallboardModel From(BoardState state, DateTimeOffset now, int maxTiles = MaxTiles)
    {
        ArgumentNullException.ThrowIfNull(state);
        var counts = HealthLook.StatesInOrder
            .Select(s => new StateCount(s, state.CountOf(s)))
            .Where(c => c.Count > 0 || c.State == HealthState.Healthy)
            .ToList();
        var failing = state.All
            .Where(a => HealthLook.IsFailing(a.Health.State))
            .OrderBy(a => HealthLook.Of(a.Health.State).SortOrder)
            .ThenBy(a => a.Health.Since ?? DateTimeOffset.MaxValue)
            .ThenBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        var tiles = failing.Take(maxTiles).Select(a => Tile(a, now)).ToList();
        return new WallboardModel(state.Count, counts, tiles, failing.Count - tiles.Count);
    }

    private static WallTile Tile(AgentSummary a, DateTimeOffset now) =>
        new(a.Key, a.Namespace, a.Name, a.Health.State, a.Health.Summary, TimeText.Duration(a.Health.Since, now));
}
