using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Keeps a <see cref="BoardState"/> current from <see cref="IAgentBoard.WatchAsync"/> (the snapshot at once, later updates on
/// the renderer through <c>onRenderer</c>, see <see cref="LiveFeed{T}"/>), and follows <see cref="IAgentBoard.Status"/>.
/// Dispose to cancel the loop and wait for it.
/// </summary>
public sealed class BoardFeed : IAsyncDisposable
{
    private readonly IAgentBoard _board;
    private readonly LiveFeed<BoardUpdate> _updates;
    private bool _started;
    private bool _disposed;

    public BoardFeed(IAgentBoard board, Func<Action, Task> onRenderer)
    {
        ArgumentNullException.ThrowIfNull(board);
        _board = board;
        _updates = new LiveFeed<BoardUpdate>(board.WatchAsync, Apply, onRenderer);
        Status = board.Status;
    }

    public BoardState State { get; } = new();

    public ClusterStatus Status { get; private set; }

    /// <summary>Why live updates stopped, when they stopped for a reason other than being disposed.</summary>
    public string? Failure => _updates.Failure;

    /// <summary>How many times the board made this feed start over from a fresh snapshot.</summary>
    public int Resubscriptions { get; private set; }

    /// <summary>Starts watching and applies the snapshot synchronously; call on the renderer's thread. Idempotent.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            return;
        }

        _started = true;
        _board.StatusChanged += OnStatusChanged;
        Status = _board.Status;
        _updates.Start();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _board.StatusChanged -= OnStatusChanged;
        await _updates.DisposeAsync();
    }

    private void Apply(BoardUpdate update)
    {
        switch (update)
        {
            case BoardUpdate.Snapshot snapshot:
                State.Reset(snapshot.Agents);
                if (snapshot.AfterResync)
                {
                    Resubscriptions++;
                }

                break;
            case BoardUpdate.Changes changes:
                State.Apply(changes.Items);
                break;
        }
    }

    private void OnStatusChanged(ClusterStatus status) => _ = _updates.OnRendererAsync(() => Status = status);
}
