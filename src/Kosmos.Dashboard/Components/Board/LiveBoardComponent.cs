using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Board;

/// <summary>
/// What every view of the whole board shares: a <see cref="BoardFeed"/> started before the first render (so the prerendered
/// page already shows the agents), re-rendered on every update and every few seconds (so "for 5m" texts keep moving on a
/// screen nobody touches), and both stopped when the component goes.
/// </summary>
public abstract class LiveBoardComponent : ComponentBase, IAsyncDisposable
{
    private static readonly TimeSpan RefreshAgesEvery = TimeSpan.FromSeconds(10);

    private RenderTicker? _ticker;

    protected BoardFeed Feed { get; private set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    [Inject]
    private IAgentBoard Board { get; set; } = default!;

    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        if (Feed is not null)
        {
            await Feed.DisposeAsync();
        }

        DisposeView();
        GC.SuppressFinalize(this);
    }

    protected override void OnInitialized()
    {
        Feed = new BoardFeed(Board, OnRendererAsync);
        Feed.Start();
        _ticker = new RenderTicker(Time, RefreshAgesEvery, () => InvokeAsync(StateHasChanged));
    }

    /// <summary>Releases what a view adds to the feed and the ticker; called once, when the component goes.</summary>
    protected virtual void DisposeView()
    {
    }

    /// <summary>Runs <paramref name="action"/> on the renderer and re-renders: what live sources beside the feed hand their changes to.</summary>
    protected Task OnRendererAsync(Action action) => InvokeAsync(() =>
    {
        action();
        StateHasChanged();
    });
}
