namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// What one viewer saw, agent by agent: each time an agent's restart count changed in what it received, the new count and
/// when (<see cref="Clock.NowMs"/>). Restart counts only grow in a run, so "change k arrived" means "the viewer showed a
/// count at least as high as change k made", however the changes were batched. Thread-safe.
/// </summary>
public sealed class ArrivalLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<(int Restarts, double AtMs)>> _byAgent = new(StringComparer.Ordinal);

    public void Observe(string agentKey, int restarts, double atMs)
    {
        lock (_gate)
        {
            if (!_byAgent.TryGetValue(agentKey, out var seen))
            {
                seen = [];
                _byAgent[agentKey] = seen;
            }

            if (seen.Count == 0 || seen[^1].Restarts != restarts)
            {
                seen.Add((restarts, atMs));
            }
        }
    }

    /// <summary>The latest count seen for the agent, or -1.</summary>
    public int Latest(string agentKey)
    {
        lock (_gate)
        {
            return _byAgent.TryGetValue(agentKey, out var seen) && seen.Count > 0 ? seen[^1].Restarts : -1;
        }
    }

    /// <summary>When a count of at least <paramref name="restarts"/> was first seen, or null.</summary>
    public double? FirstAtLeast(string agentKey, int restarts)
    {
        lock (_gate)
        {
            if (_byAgent.TryGetValue(agentKey, out var seen))
            {
                foreach (var (count, atMs) in seen)
                {
                    if (count >= restarts)
                    {
                        return atMs;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>True when every change's count has been seen (the viewer caught up with the stream).</summary>
    public bool HasSeenAll(IEnumerable<AppliedChange> changes) => changes.All(c => Latest(c.AgentKey) >= c.Restarts);

    /// <summary>Milliseconds from each change to its arrival here; <paramref name="missing"/> counts changes never seen.</summary>
    public List<double> LatenciesOf(IEnumerable<AppliedChange> changes, out int missing)
    {
        var latencies = new List<double>();
        missing = 0;
        foreach (var change in changes)
        {
            if (FirstAtLeast(change.AgentKey, change.Restarts) is { } at)
            {
                latencies.Add(at - change.AppliedAtMs);
            }
            else
            {
                missing++;
            }
        }

        return latencies;
    }
}
