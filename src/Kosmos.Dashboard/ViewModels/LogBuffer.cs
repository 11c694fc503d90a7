namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The lines a log view holds: the backlog it read plus what following appended, capped so a chatty container
/// cannot grow a circuit's memory without bound (the oldest lines go first). Not thread-safe.
/// </summary>
public sealed class LogBuffer(int capacity = LogBuffer.DefaultCapacity)
{
    public const int DefaultCapacity = 5000;

    private readonly List<string> _lines = [];

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Lines dropped from the start to stay within <see cref="Capacity"/>.</summary>
    public int Dropped { get; private set; }

    /// <summary>Bumped by every change, so derived text (the download link) can be cached.</summary>
    public int Version { get; private set; }

    public void Replace(IEnumerable<string> lines)
    {
        _lines.Clear();
        Dropped = 0;
        Append(lines);
    }

    public void Append(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _lines.AddRange(lines);
        var excess = _lines.Count - Capacity;
        if (excess > 0)
        {
            _lines.RemoveRange(0, excess);
            Dropped += excess;
        }

        Version++;
    }

    public void Clear() => Replace([]);
}
