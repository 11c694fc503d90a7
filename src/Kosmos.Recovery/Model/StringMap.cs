using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Kosmos.Recovery.Model;

/// <summary>
/// An immutable string-to-string map (labels, annotations, resource quantities) kept sorted by key
/// (ordinal) so it displays in a stable order and compares by content.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix",
    Justification = "Named after the wire shape it holds (Kubernetes' map[string]string); it is used everywhere as StringMap.")]
public sealed class StringMap : IReadOnlyDictionary<string, string>, IEquatable<StringMap>
{
    private readonly string[] _keys;
    private readonly string[] _values;

    private StringMap(string[] keys, string[] values)
    {
        _keys = keys;
        _values = values;
    }

    public static StringMap Empty { get; } = new([], []);

    public int Count => _keys.Length;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<string> Values => _values;

    public string this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No entry '{key}'.");

    /// <summary>Builds a map; when a key repeats, the last value wins, as it does in a JSON object.</summary>
    public static StringMap From(IEnumerable<KeyValuePair<string, string>>? entries)
    {
        if (entries is null)
        {
            return Empty;
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            sorted[key] = value;
        }

        return sorted.Count == 0 ? Empty : new StringMap([.. sorted.Keys], [.. sorted.Values]);
    }

    public static StringMap Of(params (string Key, string Value)[] entries) =>
        From(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = _values[index];
        return true;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return KeyValuePair.Create(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(StringMap? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (_keys.AsSpan().SequenceEqual(other._keys, StringComparer.Ordinal)
                && _values.AsSpan().SequenceEqual(other._values, StringComparer.Ordinal)));

    public override bool Equals(object? obj) => Equals(obj as StringMap);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _keys.Length; i++)
        {
            hash.Add(_keys[i], StringComparer.Ordinal);
            hash.Add(_values[i], StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", this.Select(e => $"{e.Key}={e.Value}")) + "}";

    public static bool operator ==(StringMap? left, StringMap? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(StringMap? left, StringMap? right) => !(left == right);

    private int IndexOf(string key) => Array.BinarySearch(_keys, key, StringComparer.Ordinal);
}
