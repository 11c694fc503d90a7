using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Kosmos.Recovery.Model;

/// <summary>
/// An immutable list that compares by its items, so records holding it keep value equality.
/// The cache relies on that to tell a changed snapshot from a re-delivered one without diffing by hand.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    private ValueList(T[] items) => _items = items;

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
        Justification = "The empty list of T, as ImmutableArray<T>.Empty: callers name the type anyway.")]
    public static ValueList<T> Empty { get; } = new([]);

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    // Callers hand over a fresh array they no longer touch; copying again would only cost allocations.
    internal static ValueList<T> Own(T[] items) => items.Length == 0 ? Empty : new ValueList<T>(items);

    public ReadOnlySpan<T> AsSpan() => _items;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default));

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !(left == right);
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => ValueList<T>.Own(items.ToArray());

    public static ValueList<T> From<T>(IEnumerable<T>? items) =>
        items switch
        {
            null => ValueList<T>.Empty,
            ValueList<T> list => list,
            _ => ValueList<T>.Own([.. items]),
        };

    public static ValueList<T> ToValueList<T>(this IEnumerable<T>? items) => From(items);
}
