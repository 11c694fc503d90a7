using System.Threading.Channels;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Keeps a <see cref="BoardState"/> current from <see cref="IAgentBoard"/>: applies the snapshot, then reads the batched
/// changes on a background loop and hands each batch to <c>onRenderer</c>, which must run the action on the renderer's
/// thread and re-render (a component passes <c>a =&gt; InvokeAsync(() =&gt; { a(); StateHasChanged(); })</c>). When the
/// board cuts the subscription off for falling behind, it subscribes again and starts from the fresh snapshot.
/// Also follows <see cref="IAgentBoard.Status"/>. Dispose to cancel the loop and wait for it.
/// </summary>
public sealed class BoardFeed : IAsyncDisposable
{
    private readonly IAgentBoard _board;
    private readonly Func<Action, Task> _onRenderer;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _disposed;

    public BoardFeed(IAgentBoard board, Func<Action, Task> onRenderer)
    {
        _board = board;
        _onRenderer = onRenderer;
        Status = board.Status;
    }

    public BoardState State { get; } = new();

    public ClusterStatus Status { get; private set; }

    /// <summary>Why live updates stopped, when they stopped for a reason other than being disposed.</summary>
    public string? Failure { get; private set; }

    /// <summary>How many times the board made this feed start over from a fresh snapshot.</summary>
    public int Resubscriptions { get; private set; }

    /// <summary>Subscribes and applies the snapshot synchronously; call on the renderer's thread. Idempotent.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_loop is not null)
        {
            return;
        }

        _board.StatusChanged += OnStatusChanged;
        Status = _board.Status;
        var subscription = _board.Subscribe();
        State.Reset(subscription.Snapshot);
        _loop = Task.Run(() => RunAsync(subscription, _stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _board.StatusChanged -= OnStatusChanged;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            // The loop ends on cancellation and records any other failure itself; it never throws.
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(BoardSubscription subscription, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                try
                {
                    await ReadAsync(subscription.Changes, ct);
                }
                finally
                {
                    subscription.Dispose();
                }

                if (!subscription.Resynced || ct.IsCancellationRequested)
                {
                    return;
                }

                subscription = _board.Subscribe();
                var fresh = subscription;
                await OnRendererAsync(() =>
                {
                    State.Reset(fresh.Snapshot);
                    Resubscriptions++;
                });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed: nothing more to show.
        }
        catch (Exception ex)
        {
            // A frozen board that looks live is worse than an honest error during an incident.
            await OnRendererAsync(() => Failure = ex.Message);
        }
    }

    private async Task ReadAsync(ChannelReader<IReadOnlyList<BoardChange>> changes, CancellationToken ct)
    {
        while (await changes.WaitToReadAsync(ct))
        {
            // Everything already queued goes into one render.
            List<IReadOnlyList<BoardChange>> batches = [];
            while (changes.TryRead(out var batch))
            {
                batches.Add(batch);
            }

            await OnRendererAsync(() =>
            {
                foreach (var batch in batches)
                {
                    State.Apply(batch);
                }
            });
        }
    }

    private void OnStatusChanged(ClusterStatus status) => _ = OnRendererAsync(() => Status = status);

    private async Task OnRendererAsync(Action action)
    {
        try
        {
            await _onRenderer(action);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the change and its render.
        }
    }
}
