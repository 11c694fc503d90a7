namespace Kosmos.Recovery.Model;

/// <summary>
/// Everything the dashboard knows about one pod: enough for the pods table, the health classifier and a
/// describe panel like <c>kubectl describe pod</c>. Immutable; compares by value.
/// </summary>
public sealed record PodSnapshot
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Uid { get; init; } = "";

    public string ResourceVersion { get; init; } = "";

    public StringMap Labels { get; init; } = StringMap.Empty;

    public StringMap Annotations { get; init; } = StringMap.Empty;

    /// <summary>The agent this pod belongs to: its <c>app</c> label.</summary>
    public string? AgentName => Labels.GetValueOrDefault(WellKnownKeys.AgentLabel);

    public PodPhase Phase { get; init; } = PodPhase.Pending;

    /// <summary>Pod-level reason, e.g. Evicted or NodeLost.</summary>
    public string? Reason { get; init; }

    public string? Message { get; init; }

    public string? NodeName { get; init; }

    public string? HostIP { get; init; }

    public string? PodIP { get; init; }

    public ValueList<string> PodIPs { get; init; } = ValueList<string>.Empty;

    public DateTimeOffset? CreationTimestamp { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Set once deletion was requested; the pod lingers until its containers stop.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    public long? DeletionGracePeriodSeconds { get; init; }

    public ValueList<ConditionSnapshot> Conditions { get; init; } = ValueList<ConditionSnapshot>.Empty;

    public OwnerSnapshot? Owner { get; init; }

    public ValueList<ContainerSnapshot> InitContainers { get; init; } = ValueList<ContainerSnapshot>.Empty;

    public ValueList<ContainerSnapshot> Containers { get; init; } = ValueList<ContainerSnapshot>.Empty;

    public ValueList<PodVolumeSnapshot> Volumes { get; init; } = ValueList<PodVolumeSnapshot>.Empty;

    public string? RestartPolicy { get; init; }

    public string? QosClass { get; init; }

    public string? ServiceAccountName { get; init; }

    public bool IsTerminating => DeletionTimestamp is not null;

    public bool IsTerminal => Phase is PodPhase.Succeeded or PodPhase.Failed;

    public bool IsReady => GetCondition(ConditionTypes.Ready)?.IsTrue == true;

    public ConditionSnapshot? GetCondition(string type) =>
        Conditions.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    public ContainerSnapshot? FindContainer(string name) =>
        Containers.FirstOrDefault(c => c.Name == name) ?? InitContainers.FirstOrDefault(c => c.Name == name);
}
