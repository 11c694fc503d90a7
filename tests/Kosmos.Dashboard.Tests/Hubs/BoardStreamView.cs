using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Tests.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>
/// A hub client's board as a wallboard would keep it: reads the <c>Board</c> stream in the background, replaces its agents on
/// every <c>snapshot</c> (or <c>resync</c>) and applies every <c>changes</c> message. Tests wait on it with a deadline.
/// </summary>
public sealed class BoardStreamView : IAsyncDisposable
{
    private readonly StateSignal _state = new();
    private readonly Dictionary<string, AgentMessage> _agents = new(StringComparer.Ordinal);
    private readonly List<BoardMessage> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private Exception? _failure;
    private bool _ended;

    private BoardStreamView()
    {
    }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<BoardMessage> Messages => _state.Read(() => _messages.ToList());

    /// <summary>The agents as the messages so far describe them.</summary>
    public IReadOnlyDictionary<string, AgentMessage> Agents => _state.Read(() => new Dictionary<string, AgentMessage>(_agents));

    /// <summary>Starts streaming <c>Board</c> on a started connection.</summary>
    public static BoardStreamView Start(HubConnection connection)
    {
        var view = new BoardStreamView();
        view._reading = Task.Run(() => view.ReadAsync(connection));
        return view;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the agents (by key) and the messages received so far.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyDictionary<string, AgentMessage>, IReadOnlyList<BoardMessage>, bool> condition, TimeSpan timeout, string what) =>
        _state.WaitUntilAsync(() => Check() && condition(_agents, _messages), timeout, what, Describe);

    public Task WaitForSnapshotAsync(TimeSpan timeout) =>
        WaitUntilAsync((_, messages) => messages.Count > 0, timeout, "the first Board message");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(HubConnection connection)
    {
        try
        {
            await foreach (var message in connection.StreamAsync<BoardMessage>("Board", _stop.Token))
            {
                _state.Update(() => Apply(message));
            }

            _state.Update(() => _ended = true);
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

    private void Apply(BoardMessage message)
    {
        _messages.Add(message);
        if (message.Type is "snapshot" or "resync")
        {
            _agents.Clear();
        }

        foreach (var agent in message.Agents)
        {
            _agents[agent.Key] = agent;
        }

        foreach (var key in message.Removed)
        {
            _agents.Remove(key);
        }
    }

    // Under the lock: a stream that failed or ended can never satisfy a wait, so say so at once.
    private bool Check()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException("the Board stream failed", _failure);
        }

        if (_ended)
        {
            throw new InvalidOperationException("the Board stream ended; the server completed it");
        }

        return true;
    }

    private string Describe() =>
        $"{_messages.Count} messages ({string.Join(",", _messages.Select(m => m.Type).Distinct())}); agents: " +
        string.Join(", ", _agents.Values.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Name}={a.State} {a.ReadyPods}/{a.DesiredPods}"));
}
