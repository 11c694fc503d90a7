namespace Kosmos.Recovery.Live;

/// <summary>Reading the board now, without subscribing to it.</summary>
public static class AgentBoardExtensions
{
    /// <summary>
    /// Every agent on the board now. The board's stream yields its snapshot before any await, so taking its first item never
    /// blocks; should that ever change, the answer is empty (callers treat the agents as unknown, never as a refusal).
    /// </summary>
    public static IReadOnlyList<AgentSummary> CurrentAgents(this IAgentBoard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var updates = board.WatchAsync().GetAsyncEnumerator();
        try
        {
            var next = updates.MoveNextAsync();
            return next.IsCompletedSuccessfully && next.Result && updates.Current is BoardUpdate.Snapshot snapshot ? snapshot.Agents : [];
        }
        finally
        {
            _ = updates.DisposeAsync().AsTask();
        }
    }
}
