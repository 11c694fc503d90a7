namespace Kosmos.KubeSim.Fleet;

/// <summary>
/// The behaviour of every agent, changeable at run time (/sim/agents/{agent}/behaviour). A program reads its behaviour when
/// its container starts, as a program reads its configuration; only the deadlock trigger is consulted live. Agents without
/// an entry are healthy. Thread-safe.
/// </summary>
public sealed class AgentBehaviours
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AgentBehaviour> _byAgent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deadlockSpent = new(StringComparer.Ordinal);

    public AgentBehaviours(IReadOnlyDictionary<string, AgentBehaviour>? initial = null)
    {
        foreach (var (agent, behaviour) in initial ?? new Dictionary<string, AgentBehaviour>())
        {
            _byAgent[agent] = behaviour.Validated();
        }
    }

    /// <summary>The configured behaviour, or null when the agent has none (it then behaves as <see cref="AgentBehaviour.Healthy"/>).</summary>
    public AgentBehaviour? Find(string agent)
    {
        lock (_gate)
        {
            return _byAgent.GetValueOrDefault(agent);
        }
    }

    public AgentBehaviour Get(string agent) => Find(agent) ?? AgentBehaviour.Healthy;

    public IReadOnlyDictionary<string, AgentBehaviour> All()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, AgentBehaviour>(_byAgent, StringComparer.Ordinal);
        }
    }

    /// <summary>Replaces an agent's behaviour and re-arms its deadlock. New container starts see it.</summary>
    public void Set(string agent, AgentBehaviour behaviour)
    {
        var valid = behaviour.Validated();
        lock (_gate)
        {
            _byAgent[agent] = valid;
            _deadlockSpent.Remove(agent);
        }
    }

    public bool Remove(string agent)
    {
        lock (_gate)
        {
            _deadlockSpent.Remove(agent);
            return _byAgent.Remove(agent);
        }
    }

    /// <summary>
    /// Whether a serving instance of the agent deadlocks now. With <see cref="DeadlockBehaviour.OncePerAgent"/> only the
    /// first caller gets true until the behaviour is set again.
    /// </summary>
    public bool TryTriggerDeadlock(string agent)
    {
        lock (_gate)
        {
            if (_byAgent.GetValueOrDefault(agent)?.Deadlock is not { } deadlock)
            {
                return false;
            }

            return !deadlock.OncePerAgent || _deadlockSpent.Add(agent);
        }
    }

    /// <summary>Whether the agent's one-time deadlock already happened.</summary>
    public bool DeadlockSpent(string agent)
    {
        lock (_gate)
        {
            return _deadlockSpent.Contains(agent);
        }
    }
}
