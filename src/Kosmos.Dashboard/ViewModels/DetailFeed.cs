using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Keeps one agent's <see cref="AgentDetail"/> current from <see cref="IAgentBoard.SubscribeDetail"/>, handing each
/// update to <c>onRenderer</c> (run it on the renderer's thread, then re-render). <see cref="Current"/> null means the
/// agent does not exist (or vanished). Dispose to cancel the loop and wait for it.
/// </summary>
public sealed class DetailFeed : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Action, Task> _onRenderer;
    private readonly DetailSubscription _subscription;
    private readonly Task _loop;
    private bool _disposed;

    /// <summary>Subscribes and takes the current detail synchronously; call on the renderer's thread.</summary>
    public DetailFeed(IAgentBoard board, string ns, string name, Func<Action, Task> onRenderer)
    {
        ArgumentNullException.ThrowIfNull(board);
        Namespace = ns;
        Name = name;
        _onRenderer = onRenderer;
        _subscription = board.SubscribeDetail(ns, name);
        Current = _subscription.Current;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public string Namespace { get; }

    public string Name { get; }

    public AgentDetail? Current { get; private set; }

    /// <summary>The agent was seen and then disappeared (as opposed to never found).</summary>
    public bool Vanished { get; private set; }

    public string? Failure { get; private set; }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await _loop;
        _subscription.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var updates = _subscription.Updates;
        try
        {
            while (await updates.WaitToReadAsync(ct))
            {
                // Only the newest detail matters; the ones before it are already out of date.
                AgentDetail? latest = null;
                var any = false;
                while (updates.TryRead(out var detail))
                {
                    latest = detail;
                    any = true;
                }

                if (any)
                {
                    await OnRendererAsync(() =>
                    {
                        Vanished = latest is null && (Current is not null || Vanished);
                        Current = latest;
                    });
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            await OnRendererAsync(() => Failure = ex.Message);
        }
    }

    private async Task OnRendererAsync(Action action)
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
