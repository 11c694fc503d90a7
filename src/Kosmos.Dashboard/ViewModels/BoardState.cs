using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The board's agents, kept in <see cref="AgentOrder"/> as changes arrive: one change moves one row (binary search,
/// no re-sort); a large batch re-sorts once. Counts per state are kept alongside. Not thread-safe: the owner applies
/// changes and reads it on one thread (the renderer's).
/// </summary>
public sealed class BoardState
{
    // Past this many changes in one batch, sorting once beats moving rows one by one.
    private const int ResortThreshold = 64;

    private readonly Dictionary<string, AgentSummary> _byKey = new(StringComparer.Ordinal);
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

    public AgentSummary? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Replaces everything with a fresh snapshot.</summary>
    public void Reset(IEnumerable<AgentSummary> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _byKey.Clear();
        foreach (var agent in snapshot)
        {
            _byKey[agent.Key] = agent;
        }

        // Grown by doubling while filling it, the index is up to twice the board's size, in every viewer's circuit.
        _byKey.TrimExcess();
        Resort();
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
            foreach (var change in changes)
            {
                if (change is BoardChange.Upsert upsert)
                {
                    _byKey[upsert.Key] = upsert.Agent;
                }
                else
                {
                    _byKey.Remove(change.Key);
                }
            }

            Resort();
            return;
        }

        foreach (var change in changes)
        {
            if (_byKey.Remove(change.Key, out var old))
            {
                RemoveSorted(old);
            }

            if (change is BoardChange.Upsert { Agent: var agent })
            {
                _byKey[change.Key] = agent;
                InsertSorted(agent);
            }
        }

        Changed();
    }

    private void InsertSorted(AgentSummary agent)
    {
        var index = _sorted.BinarySearch(agent, AgentOrder.Instance);
        _sorted.Insert(index < 0 ? ~index : index, agent);
        _counts[(int)agent.Health.State]++;
    }

    private void RemoveSorted(AgentSummary agent)
    {
        var index = _sorted.BinarySearch(agent, AgentOrder.Instance);
        if (index >= 0)
        {
            _sorted.RemoveAt(index);
            _counts[(int)agent.Health.State]--;
        }
    }

    private void Resort()
    {
        _sorted.Clear();
        _sorted.AddRange(_byKey.Values);
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
