using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>
/// Stands in for a Blazor circuit: an in-process <see cref="IAgentBoard"/> subscription applied to its own copy of the
/// board, read promptly in the background, subscribing again when the board says it fell behind.
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
        var subscription = board.Subscribe();
        view._state.Update(() => view.Load(subscription.Snapshot));
        view._reading = Task.Run(() => view.ReadAsync(board, subscription));
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

    private async Task ReadAsync(IAgentBoard board, BoardSubscription subscription)
    {
        try
        {
            while (true)
            {
                using (subscription)
                {
                    await foreach (var batch in subscription.Changes.ReadAllAsync(_stop.Token))
                    {
                        _state.Update(() => Apply(batch));
                    }

                    if (!subscription.Resynced)
                    {
                        return; // the board stopped
                    }
                }

                subscription = board.Subscribe();
                var snapshot = subscription.Snapshot;
                _state.Update(() => Load(snapshot));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            subscription.Dispose();
        }
        catch (Exception ex)
        {
            subscription.Dispose();
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
