using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>The board's order: failing agents first (by <see cref="HealthLook"/> sort order), then by name, then namespace. A total order over keys.</summary>
public sealed class AgentOrder : IComparer<AgentSummary>
{
    public static AgentOrder Instance { get; } = new();

    public int Compare(AgentSummary? x, AgentSummary? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return CompareTo(x, HealthLook.Of(y.Health.State).SortOrder, y.Name, y.Namespace);
    }

    /// <summary>Where <paramref name="x"/> sorts against an agent with this sort order, name and namespace: the same order, from a key.</summary>
    public static int CompareTo(AgentSummary x, int sortOrder, string name, string ns)
    {
        ArgumentNullException.ThrowIfNull(x);
        var bySeverity = HealthLook.Of(x.Health.State).SortOrder.CompareTo(sortOrder);
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        var byName = string.CompareOrdinal(x.Name, name);
        return byName != 0 ? byName : string.CompareOrdinal(x.Namespace, ns);
    }
}
