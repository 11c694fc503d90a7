using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Board;

/// <summary>The live board: every agent, failing first, filtered and searched (the home page's body).</summary>
public sealed partial class AgentBoardView
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

    private RunningActions _actions = default!;

    [Inject]
    private IActionActivity Activity { get; set; } = default!;

    protected override void OnInitialized()
    {
        base.OnInitialized();
        _actions = new RunningActions(Activity, OnRendererAsync);
    }

    protected override void DisposeView() => _actions?.Dispose();

    private void OnFilterChanged(BoardFilter filter) => Feed.State.Filter = filter;
}
