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

    /// <summary>How many times <see cref="Subscribe"/> was called.</summary>
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

    public BoardSubscription Subscribe()
    {
        lock (_gate)
        {
            var subscriber = new Subscriber(Channel.CreateUnbounded<IReadOnlyList<BoardChange>>());
            _subscribers.Add(subscriber);
            SubscribeCount++;
            return new BoardSubscription(
                [.. _agents.Values],
                subscriber.Channel.Reader,
                () => Unsubscribe(subscriber),
                () => subscriber.Resynced);
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

    public DetailSubscription SubscribeDetail(string ns, string name)
    {
        var current = GetDetail(ns, name);
        lock (_gate)
        {
            var subscriber = new DetailSubscriber(AgentKey.Of(ns, name), Channel.CreateUnbounded<AgentDetail?>());
            _detailSubscribers.Add(subscriber);
            return new DetailSubscription(current, subscriber.Channel.Reader, () =>
            {
                lock (_gate)
                {
                    _detailSubscribers.Remove(subscriber);
                }

                subscriber.Channel.Writer.TryComplete();
            });
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
