using System.Threading.Channels;

namespace Kosmos.Recovery.Live;

/// <summary>
/// The live board: every agent's summary, kept current from the shared watch cache. A singleton shared by every viewer
/// (Blazor circuits and SignalR clients); subscribing costs no API-server traffic.
/// </summary>
public interface IAgentBoard
{
    /// <summary>
    /// A snapshot of every agent now, and from then on batches of changes (about every 50–100 ms while things change).
    /// The subscriber must read <see cref="BoardSubscription.Changes"/> promptly: a reader that falls too far behind gets its
    /// channel completed with <see cref="BoardSubscription.Resynced"/> set, and should subscribe again for a fresh snapshot.
    /// Dispose the subscription to stop. Thread-safe.
    /// </summary>
    BoardSubscription Subscribe();

    /// <summary>Everything about one agent now, or null when there is no such agent.</summary>
    AgentDetail? GetDetail(string ns, string name);

    /// <summary>
    /// The agent's detail now and again every time anything about it changes (batched like <see cref="Subscribe"/>).
    /// The channel yields null when the agent disappears. Dispose to stop.
    /// </summary>
    DetailSubscription SubscribeDetail(string ns, string name);

    /// <summary>Cluster identity and per-kind sync state.</summary>
    ClusterStatus Status { get; }

    /// <summary>Raised (on a background thread) when <see cref="Status"/> changes.</summary>
    event Action<ClusterStatus>? StatusChanged;
}

public sealed class BoardSubscription(IReadOnlyList<AgentSummary> snapshot, ChannelReader<IReadOnlyList<BoardChange>> changes, Action unsubscribe, Func<bool> resynced)
    : IDisposable
{
    public IReadOnlyList<AgentSummary> Snapshot { get; } = snapshot;

    public ChannelReader<IReadOnlyList<BoardChange>> Changes { get; } = changes;

    /// <summary>True when the board cut this subscriber off for falling behind; subscribe again.</summary>
    public bool Resynced => resynced();

    public void Dispose() => unsubscribe();
}

public sealed class DetailSubscription(AgentDetail? current, ChannelReader<AgentDetail?> updates, Action unsubscribe) : IDisposable
{
    public AgentDetail? Current { get; } = current;

    public ChannelReader<AgentDetail?> Updates { get; } = updates;

    public void Dispose() => unsubscribe();
}
