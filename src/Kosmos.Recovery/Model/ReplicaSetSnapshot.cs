namespace Kosmos.Recovery.Model;

/// <summary>One revision of a Deployment's pod template.</summary>
public sealed record ReplicaSetSnapshot
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Uid { get; init; } = "";

    public StringMap Labels { get; init; } = StringMap.Empty;

    public StringMap Annotations { get; init; } = StringMap.Empty;

    /// <summary>Name of the owning Deployment; null for a ReplicaSet nobody owns.</summary>
    public string? OwnerDeployment { get; init; }

    /// <summary>The <c>deployment.kubernetes.io/revision</c> annotation.</summary>
    public long? Revision { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public int DesiredReplicas { get; init; }

    public int CurrentReplicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    public PodTemplateSnapshot Template { get; init; } = PodTemplateSnapshot.Empty;

    public string? PodTemplateHash => Labels.GetValueOrDefault(WellKnownKeys.PodTemplateHashLabel);

    public DateTimeOffset? RestartedAt => Template.RestartedAt;
}
