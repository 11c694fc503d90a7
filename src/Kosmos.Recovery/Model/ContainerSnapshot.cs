namespace Kosmos.Recovery.Model;

/// <summary>
/// A container's spec merged with its status (matched by name). In a pod template the status part stays
/// at its defaults: <see cref="StatusIndex"/> null, not ready, no state.
/// </summary>
public sealed record ContainerSnapshot
{
    public required string Name { get; init; }

    public string Image { get; init; } = "";

    /// <summary>The image the runtime resolved (digest), from the status.</summary>
    public string? ImageId { get; init; }

    public string? ContainerId { get; init; }

    public ValueList<string> Command { get; init; } = ValueList<string>.Empty;

    public ValueList<string> Args { get; init; } = ValueList<string>.Empty;

    public ValueList<ContainerPortSnapshot> Ports { get; init; } = ValueList<ContainerPortSnapshot>.Empty;

    /// <summary>Only set on init containers; <c>Always</c> makes the init container a sidecar.</summary>
    public string? RestartPolicy { get; init; }

    public bool IsSidecar => string.Equals(RestartPolicy, "Always", StringComparison.Ordinal);

    /// <summary>
    /// Position in the pod's <c>containerStatuses</c> (or <c>initContainerStatuses</c>); null when the kubelet
    /// has reported nothing yet. kubelet orders regular container statuses by name, not by spec, and kubectl's
    /// STATUS column depends on that order, so it is kept.
    /// </summary>
    public int? StatusIndex { get; init; }

    public bool HasStatus => StatusIndex is not null;

    public bool Ready { get; init; }

    /// <summary>Whether the startup probe (if any) has passed; null when the kubelet did not say.</summary>
    public bool? Started { get; init; }

    public int RestartCount { get; init; }

    public ContainerState? State { get; init; }

    public ContainerState? LastState { get; init; }

    public ContainerResources Resources { get; init; } = ContainerResources.None;

    public ValueList<EnvVarSnapshot> Env { get; init; } = ValueList<EnvVarSnapshot>.Empty;

    public ValueList<EnvFromSnapshot> EnvFrom { get; init; } = ValueList<EnvFromSnapshot>.Empty;

    public ProbeSnapshot? LivenessProbe { get; init; }

    public ProbeSnapshot? ReadinessProbe { get; init; }

    public ProbeSnapshot? StartupProbe { get; init; }

    public ValueList<VolumeMountSnapshot> VolumeMounts { get; init; } = ValueList<VolumeMountSnapshot>.Empty;
}
