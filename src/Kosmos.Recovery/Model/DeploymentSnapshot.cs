namespace Kosmos.Recovery.Model;

/// <summary>An agent's Deployment: desired state, rollout progress and the template its pods come from.</summary>
public sealed record DeploymentSnapshot
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Uid { get; init; } = "";

    public string ResourceVersion { get; init; } = "";

    public StringMap Labels { get; init; } = StringMap.Empty;

    public StringMap Annotations { get; init; } = StringMap.Empty;

    /// <summary>The selector's <c>matchLabels</c>.</summary>
    public StringMap Selector { get; init; } = StringMap.Empty;

    public long Generation { get; init; }

    public long? ObservedGeneration { get; init; }

    /// <summary><c>spec.replicas</c> (the API defaults it to 1).</summary>
    public int DesiredReplicas { get; init; } = 1;

    /// <summary><c>status.replicas</c>: pods of every revision that are not terminating.</summary>
    public int CurrentReplicas { get; init; }

    public int UpdatedReplicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    public int UnavailableReplicas { get; init; }

    public bool Paused { get; init; }

    public string? StrategyType { get; init; }

    public int? ProgressDeadlineSeconds { get; init; }

    public ValueList<ConditionSnapshot> Conditions { get; init; } = ValueList<ConditionSnapshot>.Empty;

    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>The <c>deployment.kubernetes.io/revision</c> annotation.</summary>
    public long? Revision { get; init; }

    public PodTemplateSnapshot Template { get; init; } = PodTemplateSnapshot.Empty;

    public DateTimeOffset? RestartedAt => Template.RestartedAt;

    /// <summary>The controller has not yet acted on the latest spec change (kubectl treats a missing observed generation as 0).</summary>
    public bool IsSpecChangePending => Generation > (ObservedGeneration ?? 0);

    public ConditionSnapshot? GetCondition(string type) =>
        Conditions.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));
}
