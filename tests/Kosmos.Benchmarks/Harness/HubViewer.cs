using Kosmos.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// A SignalR client of <c>/hubs/agents</c> reading the <c>Board()</c> stream in the background, as a wallboard would: it
/// keeps the board it was sent and logs when each agent's restart count changed (<see cref="Arrivals"/>).
/// </summary>
public sealed class HubViewer : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AgentMessage> _agents = new(StringComparer.Ordinal);
    private Task _reading = Task.CompletedTask;
    private Exception? _failure;
    private long _messages;
    private long _agentUpdates;

    private HubViewer(HubConnection connection)
    {
        _connection = connection;
    }

    public ArrivalLog Arrivals { get; } = new();

    /// <summary>Board messages received (the snapshot included).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Agent entries received in all messages: with <see cref="Messages"/>, what the dashboard sends per change.</summary>
    public long AgentUpdates => Interlocked.Read(ref _agentUpdates);

    /// <summary>Agents on this viewer's board now.</summary>
    public int AgentCount
    {
        get { lock (_gate) { return _agents.Count; } }
    }

    /// <summary>Agents on this viewer's board with every desired pod ready.</summary>
    public int ReadyAgentCount
    {
        get { lock (_gate) { return _agents.Values.Count(a => a.DesiredPods > 0 && a.ReadyPods == a.DesiredPods); } }
    }

    public static async Task<HubViewer> ConnectAsync(DashboardServer dashboard, CancellationToken ct)
    {
        var viewer = new HubViewer(dashboard.NewHubConnection());
        await viewer._connection.StartAsync(ct);
        viewer._reading = Task.Run(viewer.ReadAsync, CancellationToken.None);
        return viewer;
    }

    /// <summary>Connects <paramref name="count"/> viewers at once and waits until each holds a board of <paramref name="agents"/> agents.</summary>
    public static async Task<List<HubViewer>> ConnectManyAsync(DashboardServer dashboard, int count, int agents, TimeSpan timeout, CancellationToken ct)
    {
        var viewers = new List<HubViewer>();
        try
        {
            // A few at a time: a hundred WebSocket handshakes at once only measure the machine's scheduler.
            foreach (var chunk in Enumerable.Range(0, count).Chunk(10))
            {
                viewers.AddRange(await Task.WhenAll(chunk.Select(_ => ConnectAsync(dashboard, ct))));
            }

            await Task.WhenAll(viewers.Select(v => v.WaitForBoardAsync(agents, timeout)));
            return viewers;
        }
        catch
        {
            await DisposeAllAsync(viewers);
            throw;
        }
    }

    public static Task DisposeAllAsync(IEnumerable<HubViewer> viewers) => Task.WhenAll(viewers.Select(v => v.DisposeAsync().AsTask()));

    /// <summary>Waits until this viewer's board holds <paramref name="agents"/> agents, each with every pod ready.</summary>
    public Task WaitForBoardAsync(int agents, TimeSpan timeout) =>
        Kosmos.TestSupport.Eventually.Until(() =>
        {
            ThrowIfFailed();
            return ReadyAgentCount >= agents;
        }, timeout, $"a hub viewer's board to hold {agents} ready agents (has {AgentCount}, {ReadyAgentCount} ready)");

    public void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException("a hub viewer's Board stream failed", _failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var message in _connection.StreamAsync<BoardMessage>("Board", _stop.Token))
            {
                var at = Clock.NowMs();
                Interlocked.Increment(ref _messages);
                Interlocked.Add(ref _agentUpdates, message.Agents.Count);
                lock (_gate)
                {
                    if (message.Type != "changes")
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

                foreach (var agent in message.Agents)
                {
                    Arrivals.Observe(agent.Key, agent.Restarts, at);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Done with it.
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }
}
