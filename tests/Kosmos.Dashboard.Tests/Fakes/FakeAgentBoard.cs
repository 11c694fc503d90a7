using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>
/// A hand-driven <see cref="IAgentBoard"/>: tests set agents, details and status, then push changes to every live
/// subscriber exactly as the real board would (batches on a channel; null on a detail channel when an agent goes).
/// </summary>
public sealed class FakeAgentBoard : IAgentBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AgentSummary> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentDetail> _details = new(StringComparer.Ordinal);
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<DetailSubscriber> _detailSubscribers = [];
    private ClusterStatus _status = TestData.SyncedStatus();

    public FakeAgentBoard(params AgentSummary[] agents)
    {
        foreach (var agent in agents)
        {
            _agents[agent.Key] = agent;
        }
    }

    public event Action<ClusterStatus>? StatusChanged;

    public ClusterStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>How many board subscriptions <see cref="WatchAsync"/> took (one more after every resync).</summary>
    public int SubscribeCount { get; private set; }

    public int ActiveSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public int ActiveDetailSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return _detailSubscribers.Count;
            }
        }
    }

    public int StatusListeners => StatusChanged?.GetInvocationList().Length ?? 0;

    /// <summary>Like the real board: a snapshot, then each pushed batch, and a fresh snapshot after <see cref="ResyncAll"/>.</summary>
    public async IAsyncEnumerable<BoardUpdate> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var afterResync = false;
        while (true)
        {
            var subscriber = new Subscriber(Channel.CreateUnbounded<IReadOnlyList<BoardChange>>());
            IReadOnlyList<AgentSummary> snapshot;
            lock (_gate)
            {
                _subscribers.Add(subscriber);
                SubscribeCount++;
                snapshot = [.. _agents.Values];
            }

            try
            {
                yield return new BoardUpdate.Snapshot(snapshot, afterResync);
                await foreach (var batch in subscriber.Channel.Reader.ReadAllAsync(cancellationToken))
                {
                    yield return new BoardUpdate.Changes(batch);
                }
            }
            finally
            {
                Unsubscribe(subscriber);
            }

            if (!subscriber.Resynced)
            {
                yield break;
            }

            afterResync = true;
        }
    }

    public AgentDetail? GetDetail(string ns, string name)
    {
        var key = AgentKey.Of(ns, name);
        lock (_gate)
        {
            return _details.TryGetValue(key, out var detail) ? detail
                : _agents.TryGetValue(key, out var agent) ? new AgentDetail(agent, null, [], [], [], [], [])
                : null;
        }
    }

    public async IAsyncEnumerable<AgentDetail?> WatchDetailAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscriber = new DetailSubscriber(AgentKey.Of(ns, name), Channel.CreateUnbounded<AgentDetail?>());
        AgentDetail? current;
        lock (_gate)
        {
            _detailSubscribers.Add(subscriber);
            current = GetDetail(ns, name);
        }

        try
        {
            yield return current;
            await foreach (var detail in subscriber.Channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return detail;
            }
        }
        finally
        {
            lock (_gate)
            {
                _detailSubscribers.Remove(subscriber);
            }
        }
    }

    /// <summary>Adds or replaces agents and pushes one batch of upserts.</summary>
    public void Upsert(params AgentSummary[] agents) => Push([.. agents.Select(a => new BoardChange.Upsert(a))]);

    /// <summary>Removes agents by key and pushes one batch of removals.</summary>
    public void Remove(params string[] keys) => Push([.. keys.Select(k => new BoardChange.Removed(k))]);

    /// <summary>Applies one batch of changes and hands it to every subscriber.</summary>
    public void Push(params BoardChange[] changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (change is BoardChange.Upsert upsert)
                {
                    _agents[upsert.Key] = upsert.Agent;
                }
                else
                {
                    _agents.Remove(change.Key);
                }
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Channel.Writer.TryWrite(changes);
            }
        }
    }

    /// <summary>Changes the board without telling subscribers, then cuts them all off as too slow: they must resubscribe.</summary>
    public void ResyncAll(params AgentSummary[] replacement)
    {
        lock (_gate)
        {
            _agents.Clear();
            foreach (var agent in replacement)
            {
                _agents[agent.Key] = agent;
            }

            foreach (var subscriber in _subscribers.ToList())
            {
                subscriber.Resynced = true;
                _subscribers.Remove(subscriber);
                subscriber.Channel.Writer.TryComplete();
            }
        }
    }

    public void SetStatus(ClusterStatus status)
    {
        lock (_gate)
        {
            _status = status;
        }

        StatusChanged?.Invoke(status);
    }

    /// <summary>Sets an agent's detail (and its summary) and pushes it to the agent's detail subscribers.</summary>
    public void SetDetail(AgentDetail detail)
    {
        lock (_gate)
        {
            _details[detail.Summary.Key] = detail;
            _agents[detail.Summary.Key] = detail.Summary;
            foreach (var subscriber in _detailSubscribers.Where(s => s.Key == detail.Summary.Key))
            {
                subscriber.Channel.Writer.TryWrite(detail);
            }
        }
    }

    /// <summary>The agent disappears: its detail subscribers get null.</summary>
    public void RemoveAgent(string ns, string name)
    {
        var key = AgentKey.Of(ns, name);
        lock (_gate)
        {
            _details.Remove(key);
            _agents.Remove(key);
            foreach (var subscriber in _detailSubscribers.Where(s => s.Key == key))
            {
                subscriber.Channel.Writer.TryWrite(null);
            }
        }
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }

        subscriber.Channel.Writer.TryComplete();
    }

    private sealed class Subscriber(Channel<IReadOnlyList<BoardChange>> channel)
    {
        public Channel<IReadOnlyList<BoardChange>> Channel { get; } = channel;

        public volatile bool Resynced;
    }

    private sealed record DetailSubscriber(string Key, Channel<AgentDetail?> Channel);
}
