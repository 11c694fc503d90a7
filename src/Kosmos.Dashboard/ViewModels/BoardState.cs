using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The board's agents, kept in <see cref="AgentOrder"/> as changes arrive: one change moves one row (binary search,
/// no re-sort); a large batch re-sorts once. Counts per state are kept alongside. Not thread-safe: the owner applies
/// changes and reads it on one thread (the renderer's).
/// </summary>
/// <remarks>
/// Every board viewer's circuit holds one, so it holds the sorted list and nothing else per agent: an agent's row is found
/// from its key by a binary search per severity (a handful), where an index by key cost each viewer ~28 bytes per agent
/// (55 KB at 2,000 agents, measured with dotnet-gcdump).
/// </remarks>
public sealed class BoardState
{
    // Past this many changes in one batch, sorting once beats moving rows one by one.
    private const int ResortThreshold = 64;

    // Each distinct severity, in board order: the groups an agent's row may be in.
    private static readonly int[] SortOrders = [.. HealthLook.StatesInOrder.Select(s => HealthLook.Of(s).SortOrder).Distinct().Order()];

    private readonly List<AgentSummary> _sorted = [];
    private readonly int[] _counts = new int[Enum.GetValues<HealthState>().Length];
    private BoardFilter _filter = BoardFilter.All;
    private List<AgentSummary>? _visible;

    /// <summary>Every agent in board order.</summary>
    public IReadOnlyList<AgentSummary> All => _sorted;

    public int Count => _sorted.Count;

    /// <summary>Bumped by every change, so views can cache what they derive.</summary>
    public int Version { get; private set; }

    public BoardFilter Filter
    {
        get => _filter;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _filter = value;
            _visible = null;
        }
    }

    /// <summary>
    /// The agents the filter lets through, in board order (a list, as <c>Virtualize</c> wants a collection). Without a filter
    /// it is the board itself, not a copy: a copy per viewer is 8 bytes per agent in every circuit, for nothing.
    /// Read it again after a change.
    /// </summary>
    public List<AgentSummary> Visible => _visible ??= _filter.IsEmpty ? _sorted : [.. _sorted.Where(_filter.Matches)];

    public int CountOf(HealthState state) => _counts[(int)state];

    public int FailingCount => HealthLook.StatesInOrder.Where(HealthLook.IsFailing).Sum(CountOf);

    public AgentSummary? Find(string key) => IndexOf(key) is var index and >= 0 ? _sorted[index] : null;

    /// <summary>Replaces everything with a fresh snapshot.</summary>
    public void Reset(IEnumerable<AgentSummary> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var byKey = new Dictionary<string, AgentSummary>(StringComparer.Ordinal);
        foreach (var agent in snapshot)
        {
            byKey[agent.Key] = agent;
        }

        Resort(byKey.Values);
    }

    public void Apply(IReadOnlyList<BoardChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        if (changes.Count > ResortThreshold)
        {
            // An index for this batch only: it goes when the batch is applied.
            var byKey = _sorted.ToDictionary(a => a.Key, StringComparer.Ordinal);
            foreach (var change in changes)
            {
                if (change is BoardChange.Upsert upsert)
                {
                    byKey[upsert.Key] = upsert.Agent;
                }
                else
                {
                    byKey.Remove(change.Key);
                }
            }

            Resort(byKey.Values);
            return;
        }

        foreach (var change in changes)
        {
            if (IndexOf(change.Key) is var index and >= 0)
            {
                _counts[(int)_sorted[index].Health.State]--;
                _sorted.RemoveAt(index);
            }

            if (change is BoardChange.Upsert { Agent: var agent })
            {
                InsertSorted(agent);
            }
        }

        Changed();
    }

    /// <summary>The row of the agent with this key, or -1: a binary search in each severity's group.</summary>
    private int IndexOf(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..Math.Max(slash, 0)], key[(slash + 1)..]);
        foreach (var order in SortOrders)
        {
            var (lo, hi) = (0, _sorted.Count);
            while (lo < hi)
            {
                var mid = lo + ((hi - lo) / 2);
                if (AgentOrder.CompareTo(_sorted[mid], order, name, ns) < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo < _sorted.Count && AgentOrder.CompareTo(_sorted[lo], order, name, ns) == 0)
            {
                return lo;
            }
        }

        return -1;
    }

    private void InsertSorted(AgentSummary agent)
    {
        var index = _sorted.BinarySearch(agent, AgentOrder.Instance);
        _sorted.Insert(index < 0 ? ~index : index, agent);
        _counts[(int)agent.Health.State]++;
    }

    private void Resort(IEnumerable<AgentSummary> agents)
    {
        _sorted.Clear();
        _sorted.AddRange(agents);
        _sorted.Capacity = _sorted.Count;
        _sorted.Sort(AgentOrder.Instance);
        Array.Clear(_counts);
        foreach (var agent in _sorted)
        {
            _counts[(int)agent.Health.State]++;
        }

        Changed();
    }

    private void Changed()
    {
        Version++;
        _visible = null;
    }
}
