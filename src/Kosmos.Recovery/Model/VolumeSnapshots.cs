namespace Kosmos.Recovery.Model;

/// <summary>
/// A volume of a pod or pod template. <see cref="Kind"/> is the source type as the API names it
/// (PersistentVolumeClaim, ConfigMap, Secret, EmptyDir, Projected, ...). <see cref="Source"/> names the
/// ConfigMap/Secret/host path behind it; <see cref="ClaimName"/> is set for claims, including the claim an
/// ephemeral volume creates.
/// </summary>
public sealed record PodVolumeSnapshot(string Name, string Kind, string? Source = null, string? ClaimName = null);

public sealed record VolumeMountSnapshot(string Name, string MountPath, bool ReadOnly = false, string? SubPath = null);

public sealed record ContainerPortSnapshot(int ContainerPort, string Protocol = "TCP", string? Name = null);

/// <summary>Requests and limits keyed by resource name (cpu, memory, ...), as canonical quantity strings like <c>512Mi</c>.</summary>
public sealed record ContainerResources(StringMap Requests, StringMap Limits)
{
    public static ContainerResources None { get; } = new(StringMap.Empty, StringMap.Empty);

    public string? MemoryLimit => Limits.GetValueOrDefault("memory");

    public string? MemoryRequest => Requests.GetValueOrDefault("memory");

    public string? CpuLimit => Limits.GetValueOrDefault("cpu");

    public string? CpuRequest => Requests.GetValueOrDefault("cpu");

    /// <summary>"requests cpu=200m, memory=256Mi; limits memory=512Mi" (<c>&lt;none&gt;</c> for an empty side), as describe prints them.</summary>
    public string Text => $"requests {Quantities(Requests)}; limits {Quantities(Limits)}";

    /// <summary>"cpu=200m, memory=256Mi", or <c>&lt;none&gt;</c>.</summary>
    public static string Quantities(StringMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.Count == 0 ? "<none>" : string.Join(", ", map.Select(q => $"{q.Key}={q.Value}"));
    }
}
