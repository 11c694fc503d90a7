namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Reads one of the board's streams (<see cref="Kosmos.Recovery.Live.IAgentBoard.WatchAsync"/>,
/// <see cref="Kosmos.Recovery.Live.IAgentBoard.WatchDetailAsync"/>) for a component: <see cref="Start"/> applies the first item
/// at once (the board has it ready, so the first render shows it), then a background loop hands every later item to
/// <c>onRenderer</c>, which must run the action on the renderer's thread and re-render (a component passes
/// <c>a =&gt; InvokeAsync(() =&gt; { a(); StateHasChanged(); })</c>). Dispose to cancel the loop and wait for it.
/// </summary>
public sealed class LiveFeed<T> : IAsyncDisposable
{
    private readonly Func<CancellationToken, IAsyncEnumerable<T>> _watch;
    private readonly Action<T> _apply;
    private readonly Func<Action, Task> _onRenderer;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _disposed;

    public LiveFeed(Func<CancellationToken, IAsyncEnumerable<T>> watch, Action<T> apply, Func<Action, Task> onRenderer)
    {
        _watch = watch;
        _apply = apply;
        _onRenderer = onRenderer;
    }

    /// <summary>Why live updates stopped, when they stopped for a reason other than being disposed.</summary>
    public string? Failure { get; private set; }

    /// <summary>Starts reading and applies the first item synchronously; call on the renderer's thread. Idempotent.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_loop is not null)
        {
            return;
        }

        var items = _watch(_stop.Token).GetAsyncEnumerator();
        // As a Task: its result may be read here and awaited again in the loop (a ValueTask may be consumed only once).
        var first = items.MoveNextAsync().AsTask();
        var applied = first.IsCompletedSuccessfully;
        if (applied && first.Result)
        {
            _apply(items.Current);
        }

        _loop = Task.Run(() => RunAsync(items, first, applied, _stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            // The loop ends on cancellation and records any other failure itself; it never throws.
            await _loop;
        }

        _stop.Dispose();
    }

    // first: the first read, already applied by Start when it completed there.
    private async Task RunAsync(IAsyncEnumerator<T> items, Task<bool> first, bool applied, CancellationToken ct)
    {
        await using (items)
        {
            try
            {
                if (!await first)
                {
                    return;
                }

                if (!applied)
                {
                    var item = items.Current;
                    await OnRendererAsync(() => _apply(item));
                }

                while (await items.MoveNextAsync())
                {
                    var item = items.Current;
                    await OnRendererAsync(() => _apply(item));
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Disposed: nothing more to show.
            }
            catch (Exception ex)
            {
                // A frozen view that looks live is worse than an honest error during an incident.
                await OnRendererAsync(() => Failure = ex.Message);
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> on the renderer and re-renders; nothing happens once the circuit is gone.</summary>
    public async Task OnRendererAsync(Action action)
    {
        try
        {
            await _onRenderer(action);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the update and its render.
        }
    }
}
