using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>
/// Stands in for a Blazor circuit: <see cref="IAgentBoard.WatchAsync"/> applied to its own copy of the board, read promptly
/// in the background.
/// </summary>
public sealed class InProcessBoardView : IAsyncDisposable
{
    private readonly StateSignal _state = new();
    private readonly Dictionary<string, AgentSummary> _agents = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private Exception? _failure;
    private int _batches;

    private InProcessBoardView()
    {
    }

    public static InProcessBoardView Start(IAgentBoard board)
    {
        var view = new InProcessBoardView();
        view._reading = Task.Run(() => view.ReadAsync(board));
        return view;
    }

    public Task WaitUntilAsync(Func<IReadOnlyDictionary<string, AgentSummary>, bool> condition, TimeSpan timeout, string what) =>
        _state.WaitUntilAsync(() =>
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("the board subscription failed", _failure);
            }

            return condition(_agents);
        }, timeout, what, () => $"{_batches} batches; agents: " +
            string.Join(", ", _agents.Values.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Name}={a.Health.State} {a.ReadyPods}/{a.DesiredPods}")));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(IAgentBoard board)
    {
        try
        {
            await foreach (var update in board.WatchAsync(_stop.Token))
            {
                _state.Update(() =>
                {
                    switch (update)
                    {
                        case BoardUpdate.Snapshot snapshot:
                            Load(snapshot.Agents);
                            break;
                        case BoardUpdate.Changes changes:
                            Apply(changes.Items);
                            break;
                    }
                });
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The test is done with it.
        }
        catch (Exception ex)
        {
            _state.Update(() => _failure = ex);
        }
    }

    private void Load(IReadOnlyList<AgentSummary> snapshot)
    {
        _agents.Clear();
        foreach (var agent in snapshot)
        {
            _agents[agent.Key] = agent;
        }
    }

    private void Apply(IReadOnlyList<BoardChange> batch)
    {
        _batches++;
        foreach (var change in batch)
        {
            switch (change)
            {
                case BoardChange.Upsert upsert:
                    _agents[upsert.Key] = upsert.Agent;
                    break;
                case BoardChange.Removed:
                    _agents.Remove(change.Key);
                    break;
            }
        }
    }
}
