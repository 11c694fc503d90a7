namespace Kosmos.Recovery.Live;

/// <summary>
/// The live board: every agent's summary, kept current from the shared watch cache. A singleton shared by every viewer
/// (Blazor circuits and SignalR clients); watching costs no API-server traffic.
/// </summary>
public interface IAgentBoard
{
    /// <summary>
    /// The board as one stream: first a <see cref="BoardUpdate.Snapshot"/> of every agent, then <see cref="BoardUpdate.Changes"/>
    /// (about every 50–100 ms while things change; whatever queued up while the reader was busy comes as one update). A reader
    /// that falls too far behind is not left with a gap: it gets a fresh snapshot (<see cref="BoardUpdate.Snapshot.AfterResync"/>
    /// set) and changes from there. The first snapshot is ready without waiting (the first <c>MoveNextAsync</c> completes
    /// synchronously), so a page can show it in its first render. The stream ends when the board stops; cancelling
    /// <paramref name="cancellationToken"/> ends it with <see cref="OperationCanceledException"/>. Each enumeration is its own
    /// subscription, released when the enumerator is disposed. Thread-safe.
    /// </summary>
    IAsyncEnumerable<BoardUpdate> WatchAsync(CancellationToken cancellationToken = default);

    /// <summary>Everything about one agent now, or null when there is no such agent.</summary>
    AgentDetail? GetDetail(string ns, string name);

    /// <summary>
    /// One agent's detail now, then again every time anything about it changes (only the newest: a reader never gets a queue
    /// of stale details). Null means there is no such agent (or it disappeared). The first item is ready without waiting;
    /// lifetime and cancellation as for <see cref="WatchAsync"/>.
    /// </summary>
    IAsyncEnumerable<AgentDetail?> WatchDetailAsync(string ns, string name, CancellationToken cancellationToken = default);

    /// <summary>Cluster identity and per-kind sync state.</summary>
    ClusterStatus Status { get; }

    /// <summary>Raised (on a background thread) when <see cref="Status"/> changes.</summary>
    event Action<ClusterStatus>? StatusChanged;
}
