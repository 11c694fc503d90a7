namespace Kosmos.Recovery.Model;

/// <summary>
/// A core/v1 Event. Kubernetes folds repeats into one event with a <see cref="Count"/>, so
/// <see cref="FirstTimestamp"/>..<see cref="LastTimestamp"/> spans all of them.
/// </summary>
public sealed record EventSnapshot
{
    public string Uid { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Name { get; init; } = "";

    public required ObjectReferenceSnapshot InvolvedObject { get; init; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string Type { get; init; } = "Normal";

    public string Reason { get; init; } = "";

    public string Message { get; init; } = "";

    public int Count { get; init; } = 1;

    public DateTimeOffset? FirstTimestamp { get; init; }

    public DateTimeOffset? LastTimestamp { get; init; }

    public string? SourceComponent { get; init; }

    public string? SourceHost { get; init; }

    public bool IsWarning => string.Equals(Type, "Warning", StringComparison.Ordinal);

    /// <summary>The last time this happened, falling back to the first.</summary>
    public DateTimeOffset? LastSeen => LastTimestamp ?? FirstTimestamp;
}
