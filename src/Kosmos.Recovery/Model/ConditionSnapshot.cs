namespace Kosmos.Recovery.Model;

public enum ConditionStatus
{
    Unknown,
    True,
    False,
}

/// <summary>
/// One status condition of a pod or deployment. <see cref="LastUpdateTime"/> only exists on deployments,
/// where it moves while a rollout progresses even though the status does not transition.
/// </summary>
public sealed record ConditionSnapshot(
    string Type,
    ConditionStatus Status,
    string? Reason = null,
    string? Message = null,
    DateTimeOffset? LastTransitionTime = null,
    DateTimeOffset? LastUpdateTime = null)
{
    public bool IsTrue => Status == ConditionStatus.True;

    public bool IsFalse => Status == ConditionStatus.False;
}

/// <summary>The controlling owner of an object, e.g. the ReplicaSet of a pod or the Deployment of a ReplicaSet.</summary>
public sealed record OwnerSnapshot(string Kind, string Name, string? Uid = null);

/// <summary>A reference to the object an event is about; <see cref="FieldPath"/> names a container, e.g. <c>spec.containers{agent}</c>.</summary>
public sealed record ObjectReferenceSnapshot(
    string Kind,
    string Name,
    string? Namespace = null,
    string? Uid = null,
    string? FieldPath = null);
