using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Keeps one agent's <see cref="AgentDetail"/> current from <see cref="IAgentBoard.WatchDetailAsync"/> (the current detail
/// at once, later ones on the renderer through <c>onRenderer</c>, see <see cref="LiveFeed{T}"/>). <see cref="Current"/> null
/// means the agent does not exist (or vanished). Dispose to cancel the loop and wait for it.
/// </summary>
public sealed class DetailFeed : IAsyncDisposable
{
    private readonly LiveFeed<AgentDetail?> _details;
    /// <summary>Starts watching and takes the current detail synchronously; call on the renderer's thread.</summary>
    public DetailFeed(IAgentBoard board, string ns, string name, Func<Action, Task> onRenderer)
    {
        ArgumentNullException.ThrowIfNull(board);
        Namespace = ns;
        Name = name;
        _details = new LiveFeed<AgentDetail?>(ct => board.WatchDetailAsync(ns, name, ct), Apply, onRenderer);
        _details.Start();
    }

    public string Namespace { get; }

    public string Name { get; }

    public AgentDetail? Current { get; private set; }

    /// <summary>The agent was seen and then disappeared (as opposed to never found).</summary>
    public bool Vanished { get; private set; }

    public string? Failure => _details.Failure;

    public ValueTask DisposeAsync() => _details.DisposeAsync();

    private void Apply(AgentDetail? detail)
    {
        Vanished = detail is null && (Current is not null || Vanished);
        Current = detail;
    }
}
