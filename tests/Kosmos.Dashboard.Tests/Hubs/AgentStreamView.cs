using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Tests.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>Reads one <c>Agent(namespace, name)</c> stream in the background; tests wait on the messages with a deadline.</summary>
public sealed class AgentStreamView : IAsyncDisposable
{
    private readonly StateSignal _state = new();
    private readonly List<AgentDetailMessage> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private Exception? _failure;

    private AgentStreamView()
    {
    }

    public IReadOnlyList<AgentDetailMessage> Messages => _state.Read(() => _messages.ToList());

    public static AgentStreamView Start(HubConnection connection, string @namespace, string name)
    {
        var view = new AgentStreamView();
        view._reading = Task.Run(() => view.ReadAsync(connection, @namespace, name));
        return view;
    }

    /// <summary>Waits until a message satisfies <paramref name="condition"/> and returns the first that does.</summary>
    public async Task<AgentDetailMessage> WaitForAsync(Func<AgentDetailMessage, bool> condition, TimeSpan timeout, string what)
    {
        AgentDetailMessage? match = null;
        await _state.WaitUntilAsync(() =>
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("the Agent stream failed", _failure);
            }

            match = _messages.FirstOrDefault(condition);
            return match is not null;
        }, timeout, what, Describe);
        return match!;
    }

    /// <summary>Waits until the latest message satisfies <paramref name="condition"/> and returns it.</summary>
    public async Task<AgentDetailMessage> WaitForLatestAsync(Func<AgentDetailMessage, bool> condition, TimeSpan timeout, string what)
    {
        AgentDetailMessage? latest = null;
        await _state.WaitUntilAsync(() =>
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("the Agent stream failed", _failure);
            }

            latest = _messages.Count > 0 ? _messages[^1] : null;
            return latest is not null && condition(latest);
        }, timeout, what, Describe);
        return latest!;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(HubConnection connection, string @namespace, string name)
    {
        try
        {
            await foreach (var message in connection.StreamAsync<AgentDetailMessage>("Agent", @namespace, name, _stop.Token))
            {
                _state.Update(() => _messages.Add(message));
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

    private string Describe() => $"{_messages.Count} messages; latest: " + (_messages.Count == 0 ? "none"
        : _messages[^1] is { Agent: null } ? "agent null"
        : $"{_messages[^1].Agent!.State} pods [{string.Join(", ", _messages[^1].Pods.Select(p => $"{p.Name} {p.Status} {p.Ready}"))}]");
}
