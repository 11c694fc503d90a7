namespace Kosmos.Recovery.Live;

/// <summary>One item of <see cref="IAgentBoard.WatchAsync"/>: a whole board to start from, or changes to it.</summary>
public abstract record BoardUpdate
{
    private BoardUpdate()
    {
    }

    /// <summary>Every agent now: replace whatever the reader holds.</summary>
    /// <param name="AfterResync">The reader fell behind and lost changes; this snapshot starts it over.</param>
    /// <param name="Agents">Every agent on the board.</param>
    public sealed record Snapshot(IReadOnlyList<AgentSummary> Agents, bool AfterResync) : BoardUpdate;

    /// <summary>Changes since the previous update, in order.</summary>
    public sealed record Changes(IReadOnlyList<BoardChange> Items) : BoardUpdate;
}
