using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Builders;

/// <summary>Small factories for containers in one state; combine with <c>with</c> and the extensions below.</summary>
internal static class Containers
{
    public static ContainerSnapshot Spec(string name) => new() { Name = name, Image = $"registry.kosmos.local/{name}:1.0" };

    public static ContainerSnapshot Running(string name, bool ready = true, DateTimeOffset? startedAt = null) =>
        Spec(name) with
        {
            StatusIndex = 0,
            Ready = ready,
            Started = true,
            State = new ContainerState.Running(startedAt ?? Clock.T0),
        };

    public static ContainerSnapshot Waiting(string name, string? reason, string? message = null) =>
        Spec(name) with { StatusIndex = 0, Started = false, State = new ContainerState.Waiting(reason, message) };

    public static ContainerSnapshot Terminated(
        string name,
        string? reason,
        int exitCode,
        int? signal = null,
        DateTimeOffset? finishedAt = null) =>
        Spec(name) with
        {
            StatusIndex = 0,
            Started = false,
            State = new ContainerState.Terminated(reason, null, exitCode, signal, Clock.T0, finishedAt ?? Clock.T0),
        };

    /// <summary>An init container that ran to completion.</summary>
    public static ContainerSnapshot Completed(string name) => Terminated(name, "Completed", 0);

    public static ContainerSnapshot AsSidecar(this ContainerSnapshot container) => container with { RestartPolicy = "Always" };

    public static ContainerSnapshot WithRestarts(this ContainerSnapshot container, int restarts) =>
        container with { RestartCount = restarts };

    public static ContainerSnapshot WithLastTermination(
        this ContainerSnapshot container,
        string? reason,
        int exitCode,
        DateTimeOffset? finishedAt,
        int? signal = null) =>
        container with
        {
            LastState = new ContainerState.Terminated(reason, null, exitCode, signal, finishedAt?.AddSeconds(-30), finishedAt),
        };

    public static ContainerSnapshot WithMemoryLimit(this ContainerSnapshot container, string limit) =>
        container with
        {
            Resources = new ContainerResources(StringMap.Of(("memory", limit)), StringMap.Of(("memory", limit))),
        };

    public static ContainerSnapshot WithReadinessProbe(this ContainerSnapshot container, ProbeSnapshot probe) =>
        container with { ReadinessProbe = probe };

    public static ContainerSnapshot WithLivenessProbe(this ContainerSnapshot container, ProbeSnapshot probe) =>
        container with { LivenessProbe = probe };
}
