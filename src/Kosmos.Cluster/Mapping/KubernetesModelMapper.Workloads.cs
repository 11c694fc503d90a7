using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Mapping;

public static partial class KubernetesModelMapper
{
    public static DeploymentSnapshot ToDeploymentSnapshot(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);

        var meta = deployment.Metadata ?? new V1ObjectMeta();
        var spec = deployment.Spec;
        var status = deployment.Status;
        return new DeploymentSnapshot
        {
            Namespace = meta.NamespaceProperty ?? "",
            Name = meta.Name ?? "",
            Uid = meta.Uid ?? "",
            ResourceVersion = meta.ResourceVersion ?? "",
            Labels = Labels(meta.Labels),
            Annotations = Annotations(meta.Annotations),
            Selector = StringMap.From(spec?.Selector?.MatchLabels),
            Generation = meta.Generation ?? 0,
            ObservedGeneration = status?.ObservedGeneration,

            // The API server defaults spec.replicas to 1; a missing value can only mean the default.
            DesiredReplicas = spec?.Replicas ?? 1,
            CurrentReplicas = status?.Replicas ?? 0,
            UpdatedReplicas = status?.UpdatedReplicas ?? 0,
            ReadyReplicas = status?.ReadyReplicas ?? 0,
            AvailableReplicas = status?.AvailableReplicas ?? 0,
            UnavailableReplicas = status?.UnavailableReplicas ?? 0,
            Paused = spec?.Paused ?? false,
            StrategyType = NullIfEmpty(spec?.Strategy?.Type),
            ProgressDeadlineSeconds = spec?.ProgressDeadlineSeconds,
            Conditions = status?.Conditions?
                .Select(c => new ConditionSnapshot(
                    c.Type ?? "",
                    ParseStatus(c.Status),
                    NullIfEmpty(c.Reason),
                    NullIfEmpty(c.Message),
                    ToTime(c.LastTransitionTime),
                    ToTime(c.LastUpdateTime)))
                .ToValueList() ?? ValueList<ConditionSnapshot>.Empty,
            CreationTimestamp = ToTime(meta.CreationTimestamp),
            Revision = ParseRevision(meta.Annotations),
            Template = ToPodTemplateSnapshot(spec?.Template),
        };
    }

    public static ReplicaSetSnapshot ToReplicaSetSnapshot(V1ReplicaSet replicaSet)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);

        var meta = replicaSet.Metadata ?? new V1ObjectMeta();
        var owner = meta.OwnerReferences?.FirstOrDefault(o => o.Kind == "Deployment" && o.Controller != false);
        return new ReplicaSetSnapshot
        {
            Namespace = meta.NamespaceProperty ?? "",
            Name = meta.Name ?? "",
            Uid = meta.Uid ?? "",
            Labels = Labels(meta.Labels),
            Annotations = Annotations(meta.Annotations),
            OwnerDeployment = NullIfEmpty(owner?.Name),
            Revision = ParseRevision(meta.Annotations),
            CreationTimestamp = ToTime(meta.CreationTimestamp),
            DesiredReplicas = replicaSet.Spec?.Replicas ?? 1,
            CurrentReplicas = replicaSet.Status?.Replicas ?? 0,
            ReadyReplicas = replicaSet.Status?.ReadyReplicas ?? 0,
            AvailableReplicas = replicaSet.Status?.AvailableReplicas ?? 0,
            Template = ToPodTemplateSnapshot(replicaSet.Spec?.Template),
        };
    }
}
