using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Board;

/// <summary>The live board: every agent, failing first, filtered and searched. Reads <see cref="IAgentBoard"/> through a <see cref="BoardFeed"/>.</summary>
public sealed partial class AgentBoard
{
    /// <summary>Row height in pixels; kosmos.css gives .kosmos-row the same height so virtualisation measures right.</summary>
    public const float RowHeight = 84;

    /// <summary>
    /// Rows rendered beyond each edge of the screen (Blazor's default). Virtualize renders the screenful plus twice this, and
    /// every rendered row costs each viewer's circuit ~12 KB (two render-tree buffers of its frames, its components): ten
    /// put 20 off-screen rows, about a quarter of a viewer's server memory, into every circuit. Three rows (252 px) still
    /// cover a wheel step; a fast scroll waits for the server's render either way.
    /// </summary>
    public const int OverscanRows = 3;

    private static readonly TimeSpan RefreshAgesEvery = TimeSpan.FromSeconds(10);

    private BoardFeed _feed = default!;
    private RenderTicker? _ticker;

    [Inject]
    private IAgentBoard Board { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        await _feed.DisposeAsync();
    }

    protected override void OnInitialized()
    {
        _feed = new BoardFeed(Board, action => InvokeAsync(() =>
        {
            action();
            StateHasChanged();
        }));
        _feed.Start();
        _ticker = new RenderTicker(Time, RefreshAgesEvery, () => InvokeAsync(StateHasChanged));
    }

    private void OnFilterChanged(BoardFilter filter) => _feed.State.Filter = filter;
}
