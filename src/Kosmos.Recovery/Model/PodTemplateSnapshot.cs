using System.Globalization;

namespace Kosmos.Recovery.Model;

/// <summary>The pod template of a Deployment or ReplicaSet. Containers carry spec only (no status).</summary>
public sealed record PodTemplateSnapshot
{
    public static PodTemplateSnapshot Empty { get; } = new();

    public StringMap Labels { get; init; } = StringMap.Empty;

    public StringMap Annotations { get; init; } = StringMap.Empty;

    public ValueList<ContainerSnapshot> InitContainers { get; init; } = ValueList<ContainerSnapshot>.Empty;

    public ValueList<ContainerSnapshot> Containers { get; init; } = ValueList<ContainerSnapshot>.Empty;

    public ValueList<PodVolumeSnapshot> Volumes { get; init; } = ValueList<PodVolumeSnapshot>.Empty;

    public string? RestartPolicy { get; init; }

    /// <summary>When <c>kubectl rollout restart</c> (or the dashboard) last restarted the pods; null if never or unparseable.</summary>
    public DateTimeOffset? RestartedAt =>
        Annotations.TryGetValue(WellKnownKeys.RestartedAtAnnotation, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>Claim names the template mounts: what a restore has to replace.</summary>
    public IEnumerable<string> ClaimNames => Volumes.Where(v => v.ClaimName is not null).Select(v => v.ClaimName!);
}
